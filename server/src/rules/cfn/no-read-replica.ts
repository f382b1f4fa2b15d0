import type { PlainValue } from '../../engine/edit';
import { addResources, companionBody, plainValue, standsAlone } from '../../engine/cfn/companions';
import { isClusterMember, isReplica } from '../../engine/cfn/databases';
import { referencedNames } from '../../engine/cfn/references';
import { uniqueLogicalId } from '../../engine/cfn/template-additions';
import { asNumber } from '../../engine/cfn/values';
import { possibleValues, property, type Resource, type Template } from '../../engine/parse/cloudformation';
import { asMap, scalarText, type DataNode } from '../../engine/parse/tree';
import { defineRule, type Fix } from '../../engine/rule';

/** `db.m7g.large` and bigger, not burstable (`db.t…`) or serverless classes. */
const productionClass = /^db\.(?!t\d)[a-z0-9-]+\.(\d*xlarge|large|metal)/;

/** The classes an instance can have, when every one is known and production-sized. */
function productionSized(template: Template, node: DataNode | undefined): string | undefined {
  const values = possibleValues(template, node);
  if (!values || values.some((v) => v.absent || !productionClass.test(String(v.value)))) return undefined;
  return [...new Set(values.map((v) => String(v.value)))].join(' or ');
}

/** Properties a same-region read replica takes over from its source, so that it is just as private and observed. */
const replicaCopies = [
  'DBInstanceClass',
  'VPCSecurityGroups',
  'DBParameterGroupName',
  'PubliclyAccessible',
  'StorageType',
  'MaxAllocatedStorage',
  'MonitoringInterval',
  'MonitoringRoleArn',
  'EnablePerformanceInsights',
  'PerformanceInsightsKMSKeyId',
  'PerformanceInsightsRetentionPeriod',
  'CopyTagsToSnapshot',
  'Tags',
];

/** Writer properties a second cluster instance must not share. */
const writerOnly = new Set([
  'DBInstanceIdentifier',
  'AvailabilityZone',
  'PromotionTier',
  'PreferredMaintenanceWindow',
]);

function copyProperties(
  source: Resource,
  keep: (key: string) => boolean,
): { [key: string]: PlainValue } | undefined {
  const copied: { [key: string]: PlainValue } = {};
  for (const pair of source.properties?.pairs ?? []) {
    const key = String(pair.key.value);
    if (!keep(key)) continue;
    const value = plainValue(pair.value);
    if (value === undefined) return undefined;
    copied[key] = value;
  }
  return copied;
}

export default defineRule({
  id: 'scale-database/no-read-replica',
  lesson: 'scale-database',
  title: 'Production-sized database without a read replica',
  severity: 'info',
  equivalents: [],
  fix: 'scaffold',
  resourceTypes: ['AWS::RDS::DBInstance', 'AWS::RDS::DBCluster'],
  messages: {
    noReplica:
      'RDS database instance {{id}} ({{class}}) has no read replica: reads and writes share one instance, so read traffic cannot be scaled out or moved away from the writes.',
    singleInstanceCluster:
      'Aurora cluster {{id}} has a single instance ({{writer}}, {{class}}): no reader takes read traffic, and a failover waits for a new instance instead of promoting a replica.',
  },
  docs: {
    what:
      'An RDS instance of a production class (`large` and up, not burstable `db.t…`) that no read replica in the template copies, ' +
      'and an Aurora cluster whose only instance is its production-sized writer. Serverless and burstable classes are left alone, and so are templates where a replica’s source cannot be read.',
    why:
      'With one instance, every report, search and page view competes with the writes for the same CPU, memory and connections; the usual first step in scaling a relational database is to send reads to replicas. ' +
      'For Aurora, a reader is also the failover target: without one, a failure of the writer waits for a new instance to be created instead of promoting a warm one in seconds. ' +
      'Whether the application can use a replica (eventual consistency, a second endpoint) depends on it, so this is advice, not an error.',
    example: {
      language: 'yaml',
      code: `OrdersDb:
  Type: AWS::RDS::DBInstance
  Properties:
    Engine: postgres
    DBInstanceClass: db.m7g.xlarge
    MultiAZ: true`,
    },
    useInstead: {
      language: 'yaml',
      code: `OrdersDb:
  Type: AWS::RDS::DBInstance
  Properties:
    Engine: postgres
    DBInstanceClass: db.m7g.xlarge
    MultiAZ: true
OrdersDbReadReplica:
  Type: AWS::RDS::DBInstance
  Properties:
    SourceDBInstanceIdentifier: !Ref OrdersDb
    DBInstanceClass: db.m7g.xlarge   # point reporting and read-only queries here`,
    },
    fix:
      'Adds a read replica of the instance, or a reader instance to the Aurora cluster, with the class, network, monitoring and tags of the source. ' +
      'A scaffold: it doubles the instance cost, and the application must send its reads to the new endpoint.',
    references: [
      {
        title: 'Working with DB instance read replicas',
        url: 'https://docs.aws.amazon.com/AmazonRDS/latest/UserGuide/USER_ReadRepl.html',
      },
      {
        title: 'Aurora replicas',
        url: 'https://docs.aws.amazon.com/AmazonRDS/latest/AuroraUserGuide/Aurora.Replication.html',
      },
    ],
  },
  checks: {
    cfn({ model: template, resources, target, report }) {
      const instances = resources.filter((r) => r.type === 'AWS::RDS::DBInstance');
      const instanceIds = new Set(instances.map((i) => i.logicalId));
      // Instances by their literal DBInstanceIdentifier (the first written, when two share one).
      const byIdentifier = new Map<string, Resource>();
      for (const instance of instances) {
        const identifier = scalarText(property(instance, 'DBInstanceIdentifier')?.value);
        if (identifier !== undefined && !byIdentifier.has(identifier)) byIdentifier.set(identifier, instance);
      }
      // Which instances have replicas and which clusters have members; an unreadable link stops the judging.
      const replicated = new Set<string>();
      const members = new Map<string, Resource[]>();
      let unreadable = false;
      for (const instance of instances) {
        const source = property(instance, 'SourceDBInstanceIdentifier');
        if (source) {
          const names = referencedNames(source.value);
          const literal = scalarText(source.value);
          if (literal) {
            const named = byIdentifier.get(literal);
            if (named) names.add(named.logicalId);
          }
          // A source named by a parameter or import may be any instance here.
          const local = [...names].filter((n) => instanceIds.has(n));
          if (local.length === 0) unreadable = true;
          local.forEach((n) => replicated.add(n));
        }
        const cluster = property(instance, 'DBClusterIdentifier');
        if (cluster) {
          const names = referencedNames(cluster.value);
          if (names.size === 0) unreadable = true;
          for (const name of names) {
            const own = members.get(name);
            if (own) own.push(instance);
            else members.set(name, [instance]);
          }
        }
      }
      if (unreadable) return;

      for (const db of instances) {
        // A replica of an instance inside Fn::ForEach would have to be written in the same loop.
        if (!standsAlone(db) || isClusterMember(db) || isReplica(db) || replicated.has(db.logicalId))
          continue;
        const size = productionSized(template, property(db, 'DBInstanceClass')?.value);
        if (!size) continue;
        report({
          at: db.idNode,
          resource: db,
          messageId: 'noReplica',
          data: { id: db.logicalId, class: size },
          fix: (): Fix | undefined => {
            const backups = possibleValues(template, property(db, 'BackupRetentionPeriod')?.value);
            // A replica needs automated backups on its source.
            if (backups?.some((v) => asNumber(v.value) === 0)) return undefined;
            const copied = copyProperties(db, (key) => replicaCopies.includes(key));
            if (!copied) return undefined;
            const id = uniqueLogicalId(template, `${db.logicalId}ReadReplica`);
            const properties = { SourceDBInstanceIdentifier: { Ref: db.logicalId }, ...copied };
            return {
              title: `Add a read replica ${id}`,
              needs: [
                `Send the application’s read-only queries to ${id}’s endpoint: a replica nobody reads from only costs`,
              ],
              edits: [
                addResources(target, template, [
                  { id, body: companionBody('AWS::RDS::DBInstance', properties, db) },
                ]),
              ],
            };
          },
        });
      }

      for (const cluster of resources) {
        if (cluster.type !== 'AWS::RDS::DBCluster') continue;
        const engine = scalarText(property(cluster, 'Engine')?.value) ?? '';
        const mode = scalarText(property(cluster, 'EngineMode')?.value) ?? 'provisioned';
        if (!standsAlone(cluster) || !/^aurora/.test(engine) || mode !== 'provisioned') continue;
        const own = members.get(cluster.logicalId) ?? [];
        if (own.length !== 1) continue;
        const writer = own[0];
        const size = productionSized(template, property(writer, 'DBInstanceClass')?.value);
        if (!size) continue;
        report({
          at: cluster.idNode,
          resource: cluster,
          messageId: 'singleInstanceCluster',
          data: { id: cluster.logicalId, writer: writer.logicalId, class: size },
          fix: (): Fix | undefined => {
            const copied = copyProperties(writer, (key) => !writerOnly.has(key));
            if (!copied || !asMap(writer.properties)) return undefined;
            const id = uniqueLogicalId(template, `${cluster.logicalId}Reader`);
            return {
              title: `Add a reader instance ${id}`,
              needs: [
                `Send read-only queries to ${cluster.logicalId}’s reader endpoint to spread the load (failover works without it)`,
              ],
              edits: [
                addResources(target, template, [
                  { id, body: companionBody('AWS::RDS::DBInstance', copied, writer) },
                ]),
              ],
            };
          },
        });
      }
    },
  },
});
