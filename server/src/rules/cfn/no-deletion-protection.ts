import { dataStoreNoun, holdsTransientState, ownsData } from '../../engine/cfn/databases';
import { switchNotOn, type SwitchFailure } from '../../engine/cfn/values';
import { asMap, asSeq, get, type MapNode } from '../../engine/parse/tree';
import { defineRule, type TextEdit } from '../../engine/rule';

/** The switch each type calls deletion protection. */
const switches: Record<string, string> = {
  'AWS::RDS::DBInstance': 'DeletionProtection',
  'AWS::RDS::DBCluster': 'DeletionProtection',
  'AWS::DocDB::DBCluster': 'DeletionProtection',
  'AWS::Neptune::DBCluster': 'DeletionProtection',
  'AWS::DynamoDB::Table': 'DeletionProtectionEnabled',
};

const offByDefault = (name: string) => `${name} is not set, and it is off by default`;

export default defineRule({
  id: 'plan-for-the-worst/no-deletion-protection',
  lesson: 'plan-for-the-worst',
  title: 'Database without deletion protection',
  severity: 'info',
  equivalents: [],
  fix: 'yes',
  resourceTypes: [...Object.keys(switches), 'AWS::DynamoDB::GlobalTable'],
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
    cfn({ model: template, document, report }) {
      const target = { ...document, format: template.format };
      for (const resource of template.resources) {
        const type = resource.type ?? '';
        if (!ownsData(resource) || holdsTransientState(resource)) continue;
        const noun = `${dataStoreNoun(resource)} ${resource.logicalId}`;
        const name = switches[type];
        if (name) {
          const verdict = switchNotOn(
            target,
            template,
            resource.node,
            ['Properties', name],
            offByDefault(name),
          );
          if (!verdict) continue;
          report({
            at: verdict.at ?? resource.idNode,
            message: `${noun} can be deleted by one API call or a stack deletion: ${verdict.words}.`,
            fix: () => {
              const edits = verdict.edits();
              return edits ? { title: `Turn on ${name}`, edits } : undefined;
            },
          });
        } else if (type === 'AWS::DynamoDB::GlobalTable') {
          const replicas = asSeq(get(resource.properties, 'Replicas'))?.items ?? [];
          const failing = replicas
            .map((item) => asMap(item))
            .filter((replica): replica is MapNode => !!replica)
            .map((replica) =>
              switchNotOn(
                target,
                template,
                replica,
                ['DeletionProtectionEnabled'],
                offByDefault('DeletionProtectionEnabled'),
              ),
            )
            .filter((f): f is SwitchFailure => !!f);
          if (failing.length === 0) continue;
          const first = failing[0];
          report({
            at: first.at ?? resource.idNode,
            message: `${noun} can be deleted by one API call or a stack deletion: ${failing.length === replicas.length ? 'no replica turns on DeletionProtectionEnabled' : `${failing.length} of its ${replicas.length} replicas leave DeletionProtectionEnabled off`}.`,
            fix: () => {
              const edits: TextEdit[] = [];
              for (const verdict of failing) {
                const more = verdict.edits();
                if (!more) return undefined;
                edits.push(...more);
              }
              return { title: 'Turn on DeletionProtectionEnabled on every replica', edits };
            },
          });
        }
      }
    },
  },
});
