import { dataStoreNoun, holdsTransientState, ownsData } from '../../engine/cfn/databases';
import { asBoolean, settingEdits } from '../../engine/cfn/values';
import { setPath, type EditTarget } from '../../engine/edit';
import { possibleValues, provenance, type Template } from '../../engine/parse/cloudformation';
import { asMap, asSeq, get, getPair, type MapNode } from '../../engine/parse/tree';
import { defineRule, type ReportedFinding, type TextEdit } from '../../engine/rule';

/** The switch each type calls deletion protection. */
const switches: Record<string, string> = {
  'AWS::RDS::DBInstance': 'DeletionProtection',
  'AWS::RDS::DBCluster': 'DeletionProtection',
  'AWS::DocDB::DBCluster': 'DeletionProtection',
  'AWS::Neptune::DBCluster': 'DeletionProtection',
  'AWS::DynamoDB::Table': 'DeletionProtectionEnabled',
};

/** A switch that is not on for sure: where it is written (if it is), why, and how to turn it on. */
interface Failure {
  at?: ReportedFinding['at'];
  words: string;
  edits: () => TextEdit[] | undefined;
}

/** Whether `map` (Properties, or a global table replica) turns the switch on for sure. */
function failure(
  template: Template,
  target: EditTarget,
  owner: MapNode,
  map: MapNode | undefined,
  name: string,
  path: string[],
): Failure | undefined {
  const pair = getPair(map, name);
  if (!pair) {
    return {
      words: `${name} is not set, and it is off by default`,
      edits: () => [setPath(target, owner, path, true)],
    };
  }
  const values = possibleValues(template, pair.value);
  if (!values || !values.every((v) => v.absent || asBoolean(v.value) === false)) return undefined;
  return {
    at: pair.value,
    words: `${name} is false${provenance(values)}`,
    edits: () => settingEdits(target, template, owner, path, values, true),
  };
}

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
          const verdict = failure(template, target, resource.node, resource.properties, name, [
            'Properties',
            name,
          ]);
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
              failure(template, target, replica, replica, 'DeletionProtectionEnabled', [
                'DeletionProtectionEnabled',
              ]),
            )
            .filter((f): f is Failure => !!f);
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
