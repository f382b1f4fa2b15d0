import { asBoolean, asNumber, replaceValues, switchNotOn, valuesAlways } from '../../engine/cfn/values';
import { setPath } from '../../engine/edit';
import { property, provenance, type Resource } from '../../engine/parse/cloudformation';
import { getPair, scalarText } from '../../engine/parse/tree';
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
  },
  docs: {
    what:
      'ElastiCache replication groups without `TransitEncryptionEnabled: true` (or still in `preferred` mode, which also accepts plain connections), MemoryDB clusters with TLS switched off, ' +
      "and RDS or Aurora parameter groups that leave `rds.force_ssl` (PostgreSQL, SQL Server) or `require_secure_transport` (MySQL, MariaDB) off: explicitly (a warning) or by the engine's default (information).",
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
    fix: 'Makes the server insist on TLS: `TransitEncryptionEnabled: true` or `TransitEncryptionMode: required` on an ElastiCache replication group, `TLSEnabled: true` on a MemoryDB cluster, `rds.force_ssl` or `require_secure_transport` set to 1 in a parameter group. A scaffold: every client must already connect with TLS, and turning on transit encryption of an existing replication group or MemoryDB cluster can replace it.',
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
                    ? { title: 'Require TLS (clients must then connect with TLS)', edits }
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
                  ? { title: 'Require TLS (clients must then connect with TLS)', edits }
                  : undefined;
              },
            });
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
                return edits ? { title: `Require TLS (${setting.name}: 1)`, edits } : undefined;
              },
            });
            break;
          }
        }
      }
    },
  },
});
