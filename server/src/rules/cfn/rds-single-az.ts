import { removePair, setPath } from '../../engine/edit';
import { isClusterMember, isReplica } from '../../engine/cfn/databases';
import { asBoolean, replaceValues, valuesOrDefault } from '../../engine/cfn/values';
import { property, provenance, type PossibleValue } from '../../engine/parse/cloudformation';
import { scalarText } from '../../engine/parse/tree';
import { defineRule } from '../../engine/rule';

/** Editions that cannot run Multi-AZ. */
const singleZoneEngines = new Set(['sqlserver-ex']);

export default defineRule({
  id: 'scale-database/rds-single-az',
  lesson: 'scale-database',
  title: 'RDS instance in a single Availability Zone',
  severity: 'warning',
  equivalents: ['CKV_AWS_157'],
  fix: 'scaffold',
  resourceTypes: ['AWS::RDS::DBInstance'],
  messages: {
    notSet:
      'RDS database instance {{id}} runs in a single Availability Zone: MultiAZ is not set, so a host or zone failure takes it down until it is rebuilt.',
    off: 'RDS database instance {{id}} runs in a single Availability Zone: MultiAZ is false{{provenance}}, so a host or zone failure takes it down until it is rebuilt.',
  },
  docs: {
    what:
      'An RDS database instance without `MultiAZ: true`, written directly, through a parameter default or on every branch of an `Fn::If`. ' +
      'Aurora and other cluster members, read replicas and SQL Server Express (which cannot run Multi-AZ) are not judged.',
    why:
      'A single-AZ instance is one machine in one data centre. When its host fails, its zone has an outage, or it is patched, the database is down until RDS rebuilds it, and with it everything that reads or writes. ' +
      'Multi-AZ keeps a synchronous standby in another zone and fails over to it in a minute or two, and maintenance happens on the standby first. ' +
      'It is the baseline on which read replicas and sharding build when the database has to grow.',
    example: {
      language: 'yaml',
      code: `OrdersDb:
  Type: AWS::RDS::DBInstance
  Properties:
    Engine: postgres
    DBInstanceClass: db.m7g.large
    AvailabilityZone: eu-west-1a`,
    },
    useInstead: {
      language: 'yaml',
      code: `OrdersDb:
  Type: AWS::RDS::DBInstance
  Properties:
    Engine: postgres
    DBInstanceClass: db.m7g.large
    MultiAZ: true   # RDS picks the zones; AvailabilityZone cannot be set with it`,
    },
    fix: 'Sets `MultiAZ: true` (and drops `AvailabilityZone`, which Multi-AZ cannot have). A scaffold to review: the standby doubles the instance cost, and on a running database the change is applied as a modification with a short failover.',
    references: [
      {
        title: 'Amazon RDS Multi-AZ deployments',
        url: 'https://docs.aws.amazon.com/AmazonRDS/latest/UserGuide/Concepts.MultiAZ.html',
      },
    ],
  },
  checks: {
    cfn({ model: template, resources, target, report }) {
      for (const db of resources) {
        if (isClusterMember(db) || isReplica(db)) continue;
        const engine = scalarText(property(db, 'Engine')?.value)?.toLowerCase();
        if (engine && singleZoneEngines.has(engine)) continue;
        const pair = property(db, 'MultiAZ');
        const values = valuesOrDefault(template, pair?.value, false);
        if (!values || !values.every((v) => asBoolean(v.value) === false)) continue;
        const known = values.map((v) => v.known).filter((v): v is PossibleValue => !!v);
        const zone = property(db, 'AvailabilityZone');
        report({
          at: pair ? pair.value : db.idNode,
          resource: db,
          messageId: pair ? 'off' : 'notSet',
          data: { id: db.logicalId, provenance: provenance(known) },
          fix: () => {
            const edits = !pair
              ? [setPath(target, db.node, ['Properties', 'MultiAZ'], true)]
              : known.length === values.length
                ? replaceValues(target, template, known, true)
                : undefined;
            const needs = [
              `Plan the change for a running ${db.logicalId}: the standby doubles its cost, and the switch is applied as a modification with a short failover`,
            ];
            if (!edits || !db.properties) return edits && { title: 'Turn on Multi-AZ', edits, needs };
            // A Multi-AZ instance cannot be pinned to one zone.
            if (zone) edits.push(removePair(target, db.properties, zone));
            return {
              title: zone ? 'Turn on Multi-AZ and let RDS choose the zones' : 'Turn on Multi-AZ',
              edits,
              needs,
            };
          },
        });
      }
    },
  },
});
