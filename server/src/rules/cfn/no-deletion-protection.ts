import { dataStoreNoun, holdsTransientState, ownsData } from '../../engine/cfn/databases';
import { editsOfAll, switchNotOn, type SwitchFailure } from '../../engine/cfn/values';
import { asMap, asSeq, get, scalarText, type MapNode } from '../../engine/parse/tree';
import { defineRule } from '../../engine/rule';

/** The switch each type calls deletion protection. */
const switches: Record<string, string> = {
  'AWS::RDS::DBInstance': 'DeletionProtection',
  'AWS::RDS::DBCluster': 'DeletionProtection',
  'AWS::DocDB::DBCluster': 'DeletionProtection',
  'AWS::Neptune::DBCluster': 'DeletionProtection',
  'AWS::DynamoDB::Table': 'DeletionProtectionEnabled',
};

/**
 * What can delete the store: one API call always; a stack deletion too, unless its DeletionPolicy
 * keeps the data (Snapshot or Retain).
 */
function deletedBy(resource: MapNode): string {
  const policy = scalarText(get(resource, 'DeletionPolicy'));
  if (policy === 'Snapshot') return 'one API call (a stack deletion leaves a final snapshot)';
  if (policy === 'Retain' || policy === 'RetainExceptOnCreate')
    return 'one API call (a stack deletion keeps it)';
  return 'one API call or a stack deletion';
}

export default defineRule({
  id: 'plan-for-the-worst/no-deletion-protection',
  lesson: 'plan-for-the-worst',
  title: 'Database without deletion protection',
  severity: 'info',
  equivalents: [],
  fix: 'safe',
  resourceTypes: [...Object.keys(switches), 'AWS::DynamoDB::GlobalTable'],
  messages: {
    notSet: '{{noun}} {{id}} can be deleted by {{deletedBy}}: {{name}} is not set, and it is off by default.',
    off: '{{noun}} {{id}} can be deleted by {{deletedBy}}: {{name}} is false{{provenance}}.',
    noReplica:
      '{{noun}} {{id}} can be deleted by {{deletedBy}}: no replica turns on DeletionProtectionEnabled.',
    someReplicas:
      '{{noun}} {{id}} can be deleted by {{deletedBy}}: {{failing}} of its {{replicas}} replicas leave DeletionProtectionEnabled off.',
  },
  docs: {
    what:
      'An RDS instance, Aurora, DocumentDB or Neptune cluster without `DeletionProtection: true`, and a DynamoDB table (or a replica of a global table) without `DeletionProtectionEnabled: true`. ' +
      'Aurora member instances, read replicas and tables named for short-lived state (connections, sessions, locks) are not judged. ' +
      'SAM `SimpleTable` has no such switch; use `AWS::DynamoDB::Table` where it matters.',
    why:
      'Deletion protection makes the service refuse to delete the database until someone turns it off on purpose: a script pointed at the wrong account, a console click or a stack deletion then fails instead of wiping production. ' +
      'It complements `DeletionPolicy`, which only covers what CloudFormation does. It is information rather than a warning because it guards against mistakes, not against a fault in the design; ' +
      'turn it on for every database whose loss would be an incident, and expect to switch it off deliberately before retiring one.',
    example: {
      language: 'yaml',
      code: `Orders:
  Type: AWS::DynamoDB::Table
  Properties:
    BillingMode: PAY_PER_REQUEST
    KeySchema: [{AttributeName: id, KeyType: HASH}]
    AttributeDefinitions: [{AttributeName: id, AttributeType: S}]`,
    },
    useInstead: {
      language: 'yaml',
      code: `Orders:
  Type: AWS::DynamoDB::Table
  DeletionPolicy: Retain
  UpdateReplacePolicy: Retain
  Properties:
    BillingMode: PAY_PER_REQUEST
    DeletionProtectionEnabled: true
    KeySchema: [{AttributeName: id, KeyType: HASH}]
    AttributeDefinitions: [{AttributeName: id, AttributeType: S}]`,
    },
    fix: 'Turns on `DeletionProtection` (`DeletionProtectionEnabled` for DynamoDB, on every replica of a global table): added when missing, else changed where it is written or in the parameter default it comes from. Deleting the database later takes turning it off first, on purpose.',
    references: [
      {
        title: 'Amazon RDS: deletion protection',
        url: 'https://docs.aws.amazon.com/AmazonRDS/latest/UserGuide/USER_DeleteInstance.html#USER_DeletionProtection',
      },
      {
        title: 'Amazon DynamoDB: using deletion protection',
        url: 'https://docs.aws.amazon.com/amazondynamodb/latest/developerguide/WorkingWithTables.Basics.html#WorkingWithTables.Basics.DeletionProtection',
      },
    ],
  },
  checks: {
    cfn({ model: template, resources, target, report }) {
      for (const resource of resources) {
        if (!ownsData(resource) || holdsTransientState(resource)) continue;
        const named = {
          noun: dataStoreNoun(resource),
          id: resource.logicalId,
          deletedBy: deletedBy(resource.node),
        };
        const name = switches[resource.type ?? ''];
        if (name) {
          const verdict = switchNotOn(target, template, resource.node, ['Properties', name]);
          if (!verdict) continue;
          report({
            at: verdict.at ?? resource.idNode,
            resource,
            messageId: verdict.at ? 'off' : 'notSet',
            data: { ...named, name, provenance: verdict.provenance },
            fix: () => {
              const edits = verdict.edits();
              return edits ? { title: `Turn on ${name}`, edits } : undefined;
            },
          });
          continue;
        }
        // A global table: each replica has its own switch.
        const replicas = asSeq(get(resource.properties, 'Replicas'))?.items ?? [];
        const failing = replicas
          .map((item) => asMap(item))
          .filter((replica): replica is MapNode => !!replica)
          .map((replica) => switchNotOn(target, template, replica, ['DeletionProtectionEnabled']))
          .filter((f): f is SwitchFailure => !!f);
        if (failing.length === 0) continue;
        report({
          at: failing[0].at ?? resource.idNode,
          resource,
          messageId: failing.length === replicas.length ? 'noReplica' : 'someReplicas',
          data: { ...named, failing: failing.length, replicas: replicas.length },
          fix: () => {
            const edits = editsOfAll(failing);
            return edits && { title: 'Turn on DeletionProtectionEnabled on every replica', edits };
          },
        });
      }
    },
  },
});
