import { holdsTransientState } from '../../engine/cfn/databases';
import { editsOfAll, switchNotOn, type SwitchFailure } from '../../engine/cfn/values';
import { asMap, asSeq, get, getPair, type MapNode } from '../../engine/parse/tree';
import { defineRule } from '../../engine/rule';

const specification = 'PointInTimeRecoverySpecification';
const path = [specification, 'PointInTimeRecoveryEnabled'];

export default defineRule({
  id: 'plan-for-the-worst/dynamodb-no-pitr',
  lesson: 'plan-for-the-worst',
  title: 'DynamoDB table without point-in-time recovery',
  severity: 'warning',
  equivalents: ['CKV_AWS_28', 'CKV_AWS_165'],
  fix: 'safe',
  resourceTypes: ['AWS::DynamoDB::Table', 'AWS::DynamoDB::GlobalTable', 'AWS::Serverless::SimpleTable'],
  messages: {
    simpleTable:
      'DynamoDB table {{id}} has no point-in-time recovery: a SAM SimpleTable cannot turn it on; declare it as AWS::DynamoDB::Table with PointInTimeRecoverySpecification.',
    notSet:
      'DynamoDB table {{id}} has no point-in-time recovery: PointInTimeRecoverySpecification is not set.',
    enabledNotSet:
      'DynamoDB table {{id}} has no point-in-time recovery: its PointInTimeRecoverySpecification does not set PointInTimeRecoveryEnabled.',
    off: 'DynamoDB table {{id}} has no point-in-time recovery: PointInTimeRecoveryEnabled is false{{provenance}}.',
    noReplica: 'DynamoDB global table {{id}} has no point-in-time recovery in any replica.',
    someReplicas:
      'DynamoDB global table {{id}} has no point-in-time recovery in {{failing}} of its {{replicas}} replicas.',
  },
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
    fix: 'Sets `PointInTimeRecoveryEnabled: true` on the table, or on every replica of a global table: added when missing, else changed where it is written or in the parameter default it comes from. A SAM `SimpleTable` gets no fix: it has no such setting.',
    references: [
      {
        title: 'Amazon DynamoDB: point-in-time recovery',
        url: 'https://docs.aws.amazon.com/amazondynamodb/latest/developerguide/Point-in-time-recovery.html',
      },
    ],
  },
  checks: {
    cfn({ model: template, resources, target, report }) {
      for (const resource of resources) {
        if (holdsTransientState(resource)) continue;
        const id = resource.logicalId;
        if (resource.type === 'AWS::Serverless::SimpleTable') {
          report({ at: resource.idNode, resource, messageId: 'simpleTable', data: { id } });
        } else if (resource.type === 'AWS::DynamoDB::Table') {
          const found = switchNotOn(target, template, resource.node, ['Properties', ...path]);
          if (!found) continue;
          report({
            at: found.at ?? resource.idNode,
            resource,
            messageId: found.at
              ? 'off'
              : getPair(resource.properties, specification)
                ? 'enabledNotSet'
                : 'notSet',
            data: { id, provenance: found.provenance },
            fix: () => {
              const edits = found.edits();
              return edits ? { title: 'Turn on point-in-time recovery', edits } : undefined;
            },
          });
        } else {
          const replicas = (asSeq(get(resource.properties, 'Replicas'))?.items ?? [])
            .map((item) => asMap(item))
            .filter((replica): replica is MapNode => !!replica);
          const failing = replicas
            .map((replica) => switchNotOn(target, template, replica, path))
            .filter((f): f is SwitchFailure => !!f);
          if (failing.length === 0) continue;
          report({
            at: failing[0].at ?? resource.idNode,
            resource,
            messageId: failing.length === replicas.length ? 'noReplica' : 'someReplicas',
            data: { id, failing: failing.length, replicas: replicas.length },
            fix: () => {
              const edits = editsOfAll(failing);
              return edits && { title: 'Turn on point-in-time recovery in every replica', edits };
            },
          });
        }
      }
    },
  },
});
