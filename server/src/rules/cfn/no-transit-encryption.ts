import { isClusterMember, isReplica } from '../../engine/cfn/databases';
import { asBoolean, asNumber, replaceValues, switchNotOn, valuesAlways } from '../../engine/cfn/values';
import { setPath } from '../../engine/edit';
import { attributesRead } from '../../engine/cfn/references';
import { property, provenance, type Resource, type Template } from '../../engine/parse/cloudformation';
import { asMap, asSeq, get, getPair, getPath, scalarText } from '../../engine/parse/tree';
import { defineRule } from '../../engine/rule';

/** The parameter that makes an engine refuse connections without TLS, and whether it is off by default. */
function tlsParameter(family: string): { name: string; offByDefault: boolean } | undefined {
  const f = family.toLowerCase();
  const version = asNumber(/(\d+)/.exec(f)?.[1]);
  if (f.startsWith('aurora-postgresql')) return { name: 'rds.force_ssl', offByDefault: true };
  // RDS for PostgreSQL turns rds.force_ssl on by default from version 15.
  if (f.startsWith('postgres')) return { name: 'rds.force_ssl', offByDefault: (version ?? 0) < 15 };
  if (f.startsWith('sqlserver')) return { name: 'rds.force_ssl', offByDefault: true };
  if (f.startsWith('mysql') || f.startsWith('mariadb') || f.startsWith('aurora-mysql') || f === 'aurora5.6') {
    return { name: 'require_secure_transport', offByDefault: true };
  }
  return undefined;
}

/** Aurora reads these settings from the cluster parameter group, not the instance one. */
function judgedHere(resource: Resource, family: string): boolean {
  if (resource.type === 'AWS::RDS::DBClusterParameterGroup') return true;
  return resource.type === 'AWS::RDS::DBParameterGroup' && !/^aurora/i.test(family);
}

/**
 * The engine of a database that takes the engine's default parameter group, when that default
 * lets clients connect without TLS. Undefined when it names a group (judged where it is), takes
 * its settings from a cluster or a source, or runs a version whose default requires TLS.
 */
function defaultGroupWithoutTls(resource: Resource): { name: string; parameter: string } | undefined {
  const cluster = resource.type === 'AWS::RDS::DBCluster';
  if (property(resource, cluster ? 'DBClusterParameterGroupName' : 'DBParameterGroupName')) return undefined;
  if (!cluster && (isClusterMember(resource) || isReplica(resource))) return undefined;
  const engine = scalarText(property(resource, 'Engine')?.value)?.toLowerCase() ?? '';
  const version = scalarText(property(resource, 'EngineVersion')?.value) ?? '';
  const [major, minor] = version.split('.').map((part) => Number(part));
  if (cluster) {
    // Aurora PostgreSQL defaults differ between versions; Aurora MySQL leaves TLS optional in all.
    return engine === 'aurora-mysql'
      ? { name: 'Aurora MySQL', parameter: 'require_secure_transport' }
      : undefined;
  }
  // Without a version, RDS creates the latest, whose default may differ: only a written version is judged.
  if (!version || !Number.isFinite(major))
    return engine.startsWith('sqlserver') ? { name: 'SQL Server', parameter: 'rds.force_ssl' } : undefined;
  if (engine === 'postgres' && major < 15) return { name: `PostgreSQL ${major}`, parameter: 'rds.force_ssl' };
  // RDS requires TLS by default from MySQL 9 and MariaDB 11.8.
  if (engine === 'mysql' && major < 9)
    return { name: `MySQL ${major}.${minor ?? 0}`, parameter: 'require_secure_transport' };
  if (engine === 'mariadb' && (major < 11 || (major === 11 && (minor ?? 0) < 8)))
    return { name: `MariaDB ${major}.${minor ?? 0}`, parameter: 'require_secure_transport' };
  if (engine.startsWith('sqlserver')) return { name: 'SQL Server', parameter: 'rds.force_ssl' };
  return undefined;
}

/**
 * An Aurora cluster with the Data API on (`EnableHttpEndpoint: true`) whose endpoint address no
 * resource or exported output of the template reads: its clients here call the Data API, over HTTPS.
 */
function reachedOnlyByDataApi(template: Template, resource: Resource): boolean {
  if (resource.type !== 'AWS::RDS::DBCluster') return false;
  if (asBoolean(scalarText(property(resource, 'EnableHttpEndpoint')?.value)) !== true) return false;
  return ![...attributesRead(template, resource.logicalId)].some((a) => /^(Read)?Endpoint(\.|$)/.test(a));
}

/** What the user must check before a server insists on TLS. */
function tlsNeeds(resource: Resource): string[] {
  const parameterGroup = /ParameterGroup$/.test(resource.type ?? '');
  return [
    `Switch every client of ${resource.logicalId} to TLS first (rediss://, sslmode=verify-full, useSSL=true): plain connections are refused`,
    ...(parameterGroup
      ? []
      : [
          `Plan the change for a running ${resource.logicalId}: turning on transit encryption can replace it`,
        ]),
  ];
}

const off = (value: unknown) => /^(0|off|false)$/i.test(String(value).trim());

export default defineRule({
  id: 'encrypt-everything/no-transit-encryption',
  lesson: 'encrypt-everything',
  title: 'Database or cache accepts unencrypted connections',
  severity: 'warning',
  equivalents: ['CKV_AWS_30', 'CKV2_AWS_69'],
  fix: 'scaffold',
  resourceTypes: [
    'AWS::ElastiCache::ReplicationGroup',
    'AWS::MemoryDB::Cluster',
    'AWS::RDS::DBParameterGroup',
    'AWS::RDS::DBClusterParameterGroup',
    'AWS::RDS::DBInstance',
    'AWS::RDS::DBCluster',
    'AWS::Redshift::ClusterParameterGroup',
    'AWS::OpenSearchService::Domain',
    'AWS::Elasticsearch::Domain',
    'AWS::MSK::Cluster',
    'AWS::ECS::TaskDefinition',
  ],
  messages: {
    notSet:
      'ElastiCache replication group {{id}} accepts connections without TLS (TransitEncryptionEnabled is not set, and it is off by default).',
    off: 'ElastiCache replication group {{id}} accepts connections without TLS (TransitEncryptionEnabled is false{{provenance}}).',
    preferred:
      'ElastiCache replication group {{id}} still accepts connections without TLS (TransitEncryptionMode is preferred, a migration setting).',
    memoryDbOff:
      'MemoryDB cluster {{id}} accepts connections without TLS (TLSEnabled is false{{provenance}}).',
    parameterNotSet:
      'Parameter group {{id}} ({{family}}) lets clients connect without TLS: {{parameter}} is not set, and the engine leaves it off.',
    parameterOff:
      'Parameter group {{id}} ({{family}}) lets clients connect without TLS ({{parameter}} is {{value}}{{provenance}}).',
    defaultParameterGroup:
      '{{noun}} {{id}} uses the default parameter group of {{engine}}, which lets clients connect without TLS ({{parameter}} is off): give it a parameter group that sets {{parameter}} to 1.',
    warehouseParameterOff:
      'Redshift parameter group {{id}} lets clients connect without TLS (require_ssl is {{value}}{{provenance}}).',
    nodeToNodeNotSet:
      '{{noun}} {{id}} sends data between its nodes unencrypted (NodeToNodeEncryptionOptions is not enabled, and it is off by default).',
    nodeToNodeOff:
      '{{noun}} {{id}} sends data between its nodes unencrypted (NodeToNodeEncryptionOptions Enabled is false{{provenance}}).',
    httpNotEnforced:
      '{{noun}} {{id}} answers plain HTTP requests (DomainEndpointOptions EnforceHTTPS is not set, and it is off by default).',
    httpAllowed:
      '{{noun}} {{id}} answers plain HTTP requests (DomainEndpointOptions EnforceHTTPS is false{{provenance}}).',
    kafkaPlaintext:
      'MSK cluster {{id}} lets clients connect without TLS (ClientBroker is {{value}}{{provenance}}).',
    kafkaInClusterOff:
      'MSK cluster {{id}} sends data between its brokers unencrypted (InCluster is false{{provenance}}); it can only be chosen when the cluster is created.',
    efsVolumeNotSet:
      'Task definition {{id}} mounts the EFS volume {{volume}} without TLS (TransitEncryption is not set, and it is off by default): file contents cross the network in clear text.',
    efsVolumeOff:
      'Task definition {{id}} mounts the EFS volume {{volume}} without TLS (TransitEncryption is DISABLED{{provenance}}): file contents cross the network in clear text.',
  },
  docs: {
    what:
      'ElastiCache replication groups without `TransitEncryptionEnabled: true` (or still in `preferred` mode, which also accepts plain connections), MemoryDB clusters with TLS switched off, ' +
      "RDS or Aurora parameter groups that leave `rds.force_ssl` (PostgreSQL, SQL Server) or `require_secure_transport` (MySQL, MariaDB) off: explicitly (a warning) or by the engine's default (information), " +
      'and, as information, database instances and Aurora MySQL clusters on the default parameter group of an engine version whose default leaves it off (PostgreSQL before 15, MySQL before 9, MariaDB before 11.8, SQL Server); ' +
      'Redshift parameter groups with `require_ssl` false; OpenSearch and Elasticsearch domains without node-to-node encryption or `EnforceHTTPS`; MSK clusters that accept plaintext clients or switch off encryption between brokers; ' +
      'and ECS task definitions that mount EFS volumes without `TransitEncryption: ENABLED`. ' +
      'Kinesis, SQS and SNS take requests over HTTPS only and are not judged here; Redshift clusters on the default parameter group are not either (it requires TLS for clusters created since January 2025), ' +
      'nor Aurora PostgreSQL clusters on theirs (its default differs between versions), nor Aurora clusters with the Data API on (`EnableHttpEndpoint: true`) whose endpoint address no resource and no exported output of the template reads (the template’s clients call the Data API, which is HTTPS), nor a database whose engine version is not written, SQL Server aside (RDS then creates the latest version, whose default may require TLS).',
    why:
      'Inside a VPC, traffic still crosses shared networks, peering links and VPN tunnels, and anything that can capture it sees queries, results and passwords in clear text. ' +
      'Requiring TLS on the server side means a misconfigured client fails loudly instead of silently talking in the clear. ' +
      'Clients must then connect with TLS (for Redis, `rediss://`; for PostgreSQL, `sslmode=verify-full`); switch them first, then make the server insist.',
    example: {
      language: 'yaml',
      code: `Sessions:
  Type: AWS::ElastiCache::ReplicationGroup
  Properties:
    ReplicationGroupDescription: sessions
    Engine: redis
    CacheNodeType: cache.t4g.small
    NumCacheClusters: 2
    AutomaticFailoverEnabled: true
DbParameters:
  Type: AWS::RDS::DBParameterGroup
  Properties:
    Family: postgres14
    Description: orders database
    Parameters:
      log_min_duration_statement: '500'`,
    },
    useInstead: {
      language: 'yaml',
      code: `Sessions:
  Type: AWS::ElastiCache::ReplicationGroup
  Properties:
    ReplicationGroupDescription: sessions
    Engine: redis
    CacheNodeType: cache.t4g.small
    NumCacheClusters: 2
    AutomaticFailoverEnabled: true
    TransitEncryptionEnabled: true     # clients connect with rediss://
    AtRestEncryptionEnabled: true
DbParameters:
  Type: AWS::RDS::DBParameterGroup
  Properties:
    Family: postgres14
    Description: orders database
    Parameters:
      log_min_duration_statement: '500'
      rds.force_ssl: '1'`,
    },
    fix:
      'Makes the server insist on TLS: `TransitEncryptionEnabled: true` or `TransitEncryptionMode: required` on an ElastiCache replication group, `TLSEnabled: true` on a MemoryDB cluster, `rds.force_ssl`, `require_secure_transport` or `require_ssl` set in a parameter group, node-to-node encryption and `EnforceHTTPS` on a search domain, `ClientBroker: TLS` on an MSK cluster, `TransitEncryption: ENABLED` on an EFS volume of a task definition. ' +
      'A scaffold: every client must already connect with TLS, and turning on transit encryption of an existing replication group or MemoryDB cluster can replace it. A database on the default parameter group and encryption between MSK brokers (fixed at creation) get no fix.',
    references: [
      {
        title: 'Amazon ElastiCache: in-transit encryption',
        url: 'https://docs.aws.amazon.com/AmazonElastiCache/latest/dg/in-transit-encryption.html',
      },
      {
        title: 'Amazon RDS: using SSL/TLS to encrypt a connection to a DB instance',
        url: 'https://docs.aws.amazon.com/AmazonRDS/latest/UserGuide/UsingWithRDS.SSL.html',
      },
    ],
  },
  checks: {
    cfn({ model: template, resources, target, report }) {
      for (const resource of resources) {
        const id = resource.logicalId;
        switch (resource.type) {
          case 'AWS::ElastiCache::ReplicationGroup': {
            if (property(resource, 'GlobalReplicationGroupId') || property(resource, 'PrimaryClusterId'))
              break;
            const off = switchNotOn(target, template, resource.node, [
              'Properties',
              'TransitEncryptionEnabled',
            ]);
            if (off) {
              report({
                at: off.at ?? resource.idNode,
                resource,
                messageId: off.at ? 'off' : 'notSet',
                data: { id, provenance: off.provenance },
                fix: () => {
                  const edits = off.edits();
                  return edits
                    ? {
                        title: 'Require TLS (clients must then connect with TLS)',
                        edits,
                        needs: tlsNeeds(resource),
                      }
                    : undefined;
                },
              });
              break;
            }
            const mode = property(resource, 'TransitEncryptionMode');
            if (mode && scalarText(mode.value) === 'preferred') {
              report({
                at: mode.value,
                resource,
                messageId: 'preferred',
                data: { id },
                severity: 'info',
                fix: () => ({
                  title: 'Require TLS (TransitEncryptionMode: required)',
                  needs: tlsNeeds(resource),
                  edits: [
                    setPath(target, resource.node, ['Properties', 'TransitEncryptionMode'], 'required'),
                  ],
                }),
              });
            }
            break;
          }
          case 'AWS::MemoryDB::Cluster': {
            // Left out, TLS is on.
            const pair = property(resource, 'TLSEnabled');
            const values = valuesAlways(template, pair?.value, (v) => asBoolean(v) === false);
            if (!pair || !values) break;
            report({
              at: pair.value,
              resource,
              messageId: 'memoryDbOff',
              data: { id, provenance: provenance(values) },
              fix: () => {
                const edits = replaceValues(target, template, values, true);
                return edits
                  ? {
                      title: 'Require TLS (clients must then connect with TLS)',
                      edits,
                      needs: tlsNeeds(resource),
                    }
                  : undefined;
              },
            });
            break;
          }
          case 'AWS::RDS::DBInstance':
          case 'AWS::RDS::DBCluster': {
            const engine = defaultGroupWithoutTls(resource);
            if (!engine || reachedOnlyByDataApi(template, resource)) break;
            report({
              at: resource.idNode,
              resource,
              messageId: 'defaultParameterGroup',
              data: {
                noun: resource.type === 'AWS::RDS::DBCluster' ? 'Aurora cluster' : 'RDS database instance',
                id,
                engine: engine.name,
                parameter: engine.parameter,
              },
              severity: 'info',
            });
            break;
          }
          case 'AWS::Redshift::ClusterParameterGroup': {
            for (const item of asSeq(property(resource, 'Parameters')?.value)?.items ?? []) {
              if (scalarText(get(item, 'ParameterName')) !== 'require_ssl') continue;
              const values = valuesAlways(
                template,
                get(item, 'ParameterValue'),
                (v) => asBoolean(v) === false,
              );
              if (!values) continue;
              report({
                at: get(item, 'ParameterValue')!,
                resource,
                messageId: 'warehouseParameterOff',
                data: { id, value: String(values[0].value), provenance: provenance(values) },
                fix: () => {
                  const edits = replaceValues(target, template, values, 'true');
                  return edits
                    ? { title: 'Require TLS (require_ssl: true)', edits, needs: tlsNeeds(resource) }
                    : undefined;
                },
              });
            }
            break;
          }
          case 'AWS::OpenSearchService::Domain':
          case 'AWS::Elasticsearch::Domain': {
            const noun =
              resource.type === 'AWS::Elasticsearch::Domain' ? 'Elasticsearch domain' : 'OpenSearch domain';
            const checks = [
              {
                path: ['NodeToNodeEncryptionOptions', 'Enabled'],
                notSet: 'nodeToNodeNotSet',
                off: 'nodeToNodeOff',
                title: 'Encrypt traffic between the nodes',
              },
              {
                path: ['DomainEndpointOptions', 'EnforceHTTPS'],
                notSet: 'httpNotEnforced',
                off: 'httpAllowed',
                title: 'Refuse plain HTTP (EnforceHTTPS)',
              },
            ] as const;
            for (const check of checks) {
              const failure = switchNotOn(target, template, resource.node, ['Properties', ...check.path]);
              if (!failure) continue;
              report({
                at: failure.at ?? resource.idNode,
                resource,
                messageId: failure.at ? check.off : check.notSet,
                data: { noun, id, provenance: failure.provenance },
                fix: () => {
                  const edits = failure.edits();
                  return edits ? { title: check.title, edits, needs: tlsNeeds(resource) } : undefined;
                },
              });
            }
            break;
          }
          case 'AWS::MSK::Cluster': {
            const transit = getPath(resource.properties, 'EncryptionInfo', 'EncryptionInTransit');
            const broker = getPair(asMap(transit), 'ClientBroker');
            const plaintext = valuesAlways(template, broker?.value, (v) => /PLAINTEXT/i.test(String(v)));
            if (broker && plaintext) {
              report({
                at: broker.value,
                resource,
                messageId: 'kafkaPlaintext',
                data: { id, value: String(plaintext[0].value), provenance: provenance(plaintext) },
                fix: () => {
                  const edits = replaceValues(target, template, plaintext, 'TLS');
                  return edits
                    ? {
                        title: 'Accept TLS clients only (ClientBroker: TLS)',
                        edits,
                        needs: tlsNeeds(resource),
                      }
                    : undefined;
                },
              });
            }
            const inCluster = getPair(asMap(transit), 'InCluster');
            const inClusterOff = valuesAlways(template, inCluster?.value, (v) => asBoolean(v) === false);
            if (inCluster && inClusterOff) {
              report({
                at: inCluster.value,
                resource,
                messageId: 'kafkaInClusterOff',
                data: { id, provenance: provenance(inClusterOff) },
              });
            }
            break;
          }
          case 'AWS::ECS::TaskDefinition': {
            for (const volume of asSeq(property(resource, 'Volumes')?.value)?.items ?? []) {
              const efs = asMap(get(volume, 'EFSVolumeConfiguration'));
              if (!efs) continue;
              const name = scalarText(get(volume, 'Name')) ?? 'without a name';
              const pair = getPair(efs, 'TransitEncryption');
              const values = pair
                ? valuesAlways(template, pair.value, (v) => String(v).toUpperCase() === 'DISABLED')
                : undefined;
              if (pair && !values) continue;
              report({
                at: pair
                  ? pair.value
                  : (getPair(asMap(volume), 'EFSVolumeConfiguration')?.key ?? resource.idNode),
                resource,
                messageId: pair ? 'efsVolumeOff' : 'efsVolumeNotSet',
                data: { id, volume: name, provenance: values ? provenance(values) : '' },
                fix: () => {
                  const edits = values
                    ? replaceValues(target, template, values, 'ENABLED')
                    : [setPath(target, efs, ['TransitEncryption'], 'ENABLED')];
                  return edits
                    ? {
                        title: `Mount ${name} with TLS (TransitEncryption: ENABLED)`,
                        edits,
                        needs: [
                          `On the EC2 launch type, check that the container instances of ${id} have amazon-efs-utils (the ECS-optimized AMI does)`,
                        ],
                      }
                    : undefined;
                },
              });
            }
            break;
          }
          default: {
            const family = scalarText(property(resource, 'Family')?.value) ?? '';
            const setting = tlsParameter(family);
            if (!setting || !judgedHere(resource, family)) break;
            const parameters = property(resource, 'Parameters')?.value;
            const pair = getPair(parameters, setting.name);
            const data = { id, family, parameter: setting.name };
            if (!pair) {
              if (!setting.offByDefault) break;
              report({
                at: resource.idNode,
                resource,
                messageId: 'parameterNotSet',
                data,
                severity: 'info',
                fix: () => ({
                  title: `Require TLS (${setting.name}: 1)`,
                  needs: tlsNeeds(resource),
                  edits: [setPath(target, resource.node, ['Properties', 'Parameters', setting.name], '1')],
                }),
              });
              break;
            }
            const values = valuesAlways(template, pair.value, off);
            if (!values) break;
            report({
              at: pair.value,
              resource,
              messageId: 'parameterOff',
              data: { ...data, value: String(values[0].value), provenance: provenance(values) },
              fix: () => {
                const edits = replaceValues(target, template, values, '1');
                return edits
                  ? { title: `Require TLS (${setting.name}: 1)`, edits, needs: tlsNeeds(resource) }
                  : undefined;
              },
            });
            break;
          }
        }
      }
    },
  },
});
