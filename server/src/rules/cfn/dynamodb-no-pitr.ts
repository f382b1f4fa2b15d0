import { dataStoreNoun, holdsTransientState } from '../../engine/cfn/databases';
import { switchNotOn, type SwitchFailure } from '../../engine/cfn/values';
import { asMap, asSeq, get, type MapNode } from '../../engine/parse/tree';
import { defineRule, type TextEdit } from '../../engine/rule';

const specification = 'PointInTimeRecoverySpecification';
const path = [specification, 'PointInTimeRecoveryEnabled'];
const missing = `${specification} is not set`;

export default defineRule({
  id: 'plan-for-the-worst/dynamodb-no-pitr',
  lesson: 'plan-for-the-worst',
  title: 'DynamoDB table without point-in-time recovery',
  severity: 'warning',
  equivalents: ['CKV_AWS_28', 'CKV_AWS_165'],
  fix: 'yes',
  resourceTypes: ['AWS::DynamoDB::Table', 'AWS::DynamoDB::GlobalTable', 'AWS::Serverless::SimpleTable'],
  docs: {
    what:
      'A DynamoDB table, a replica of a global table, or a SAM `SimpleTable` without point-in-time recovery. ' +
      'Tables whose name says they hold short-lived state (WebSocket connections, sessions, locks, caches, idempotency keys) are left alone: the application rebuilds them.',
    why:
      'Point-in-time recovery keeps a continuous backup of the table for up to 35 days, so that a bad deployment, a script that overwrote items or a mistaken delete can be undone to the second. ' +
      'Without it, the only way back is an on-demand backup that someone remembered to take before the accident. ' +
      "It is switched on per table, costs a fraction of the table's storage, and does not touch its performance. " +
      "SAM's `SimpleTable` has no such setting: declare the table as `AWS::DynamoDB::Table` when its data matters.",
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
  Properties:
    BillingMode: PAY_PER_REQUEST
    KeySchema: [{AttributeName: id, KeyType: HASH}]
    AttributeDefinitions: [{AttributeName: id, AttributeType: S}]
    PointInTimeRecoverySpecification:
      PointInTimeRecoveryEnabled: true`,
    },
    references: [
      {
        title: 'Amazon DynamoDB: point-in-time recovery',
        url: 'https://docs.aws.amazon.com/amazondynamodb/latest/developerguide/Point-in-time-recovery.html',
      },
    ],
  },
  checks: {
    cfn({ model: template, document, report }) {
      const target = { ...document, format: template.format };
      for (const resource of template.resources) {
        const noun = `${dataStoreNoun(resource)} ${resource.logicalId}`;
        if (holdsTransientState(resource)) continue;
        if (resource.type === 'AWS::Serverless::SimpleTable') {
          report({
            at: resource.idNode,
            message: `${noun} has no point-in-time recovery: a SAM SimpleTable cannot turn it on; declare it as AWS::DynamoDB::Table with ${specification}.`,
          });
        } else if (resource.type === 'AWS::DynamoDB::Table') {
          const found = switchNotOn(target, template, resource.node, ['Properties', ...path], missing);
          if (!found) continue;
          report({
            at: found.at ?? resource.idNode,
            message: `${noun} has no point-in-time recovery: ${found.words}.`,
            fix: () => {
              const edits = found.edits();
              return edits ? { title: 'Turn on point-in-time recovery', edits } : undefined;
            },
          });
        } else if (resource.type === 'AWS::DynamoDB::GlobalTable') {
          const replicas = (asSeq(get(resource.properties, 'Replicas'))?.items ?? [])
            .map((item) => asMap(item))
            .filter((replica): replica is MapNode => !!replica);
          const failing = replicas
            .map((replica) => switchNotOn(target, template, replica, path, missing))
            .filter((f): f is SwitchFailure => !!f);
          if (failing.length === 0) continue;
          report({
            at: failing[0].at ?? resource.idNode,
            message: `${noun} has no point-in-time recovery in ${failing.length === replicas.length ? 'any replica' : `${failing.length} of its ${replicas.length} replicas`}.`,
            fix: () => {
              const edits: TextEdit[] = [];
              for (const f of failing) {
                const more = f.edits();
                if (!more) return undefined;
                edits.push(...more);
              }
              return { title: 'Turn on point-in-time recovery in every replica', edits };
            },
          });
        }
      }
    },
  },
});
