import { setPath, type PlainValue } from '../../engine/edit';
import { branches, conditionWords } from '../../engine/cfn/branches';
import { addResources, companionBody, plainValue } from '../../engine/cfn/companions';
import { isDeadLetterQueue } from '../../engine/cfn/queues';
import { uniqueLogicalId } from '../../engine/cfn/template-additions';
import { asBoolean } from '../../engine/cfn/values';
import { possibleValues, property } from '../../engine/parse/cloudformation';
import { get } from '../../engine/parse/tree';
import { defineRule } from '../../engine/rule';

/** Fourteen days, the longest SQS keeps a message: failed messages wait as long as possible. */
const longestRetention = 1209600;

export default defineRule({
  id: 'async-event-driven/queue-no-dlq',
  lesson: 'async-event-driven',
  title: 'Queue without a dead-letter queue',
  severity: 'warning',
  equivalents: [],
  fix: 'scaffold',
  resourceTypes: ['AWS::SQS::Queue'],
  messages: {
    noDeadLetterQueue:
      'Queue {{id}} has no dead-letter queue{{conditions}}: a message that keeps failing is received again and again until its retention period ends, and then it is lost.',
  },
  docs: {
    what:
      'An SQS queue without a `RedrivePolicy`, unless it is a dead-letter queue itself: named as one, declaring a `RedriveAllowPolicy`, ' +
      'or used as the dead-letter queue or failure destination of something else in the template. ' +
      'With `Fn::If`, it is flagged only when no branch sets a redrive policy.',
    why:
      'A message that a consumer cannot handle, because it is malformed or hits a bug, comes back after every visibility timeout and is tried again until its retention period runs out. ' +
      'Meanwhile it costs an invocation per attempt, fills the logs with the same error, holds back a FIFO group, and then disappears without a trace. ' +
      'A redrive policy moves it aside after a few receives into a dead-letter queue, where it waits to be inspected, alarmed on and redriven once the bug is fixed.',
    example: {
      language: 'yaml',
      code: `OrdersQueue:
  Type: AWS::SQS::Queue
  Properties:
    VisibilityTimeout: 120`,
    },
    useInstead: {
      language: 'yaml',
      code: `OrdersQueue:
  Type: AWS::SQS::Queue
  Properties:
    VisibilityTimeout: 120
    RedrivePolicy:
      deadLetterTargetArn: !GetAtt OrdersQueueDlq.Arn
      maxReceiveCount: 5
OrdersQueueDlq:
  Type: AWS::SQS::Queue
  Properties:
    MessageRetentionPeriod: 1209600   # 14 days to look at what failed
    SqsManagedSseEnabled: true`,
    },
    fix:
      'Adds a dead-letter queue that keeps messages for 14 days (FIFO when the queue is, encrypted with its key), and a redrive policy that moves a message there after five receives. ' +
      'A scaffold: check the receive count against how the consumer retries, and alarm on the new queue.',
    references: [
      {
        title: 'Using dead-letter queues in Amazon SQS',
        url: 'https://docs.aws.amazon.com/AWSSimpleQueueService/latest/SQSDeveloperGuide/sqs-dead-letter-queues.html',
      },
      {
        title: 'Configuring a dead-letter queue redrive',
        url: 'https://docs.aws.amazon.com/AWSSimpleQueueService/latest/SQSDeveloperGuide/sqs-configure-dead-letter-queue-redrive.html',
      },
    ],
  },
  checks: {
    cfn({ model: template, resources, target, report }) {
      for (const queue of resources) {
        const redrive = property(queue, 'RedrivePolicy');
        const found = branches(redrive?.value);
        if (found.some((b) => b.node)) continue;
        if (isDeadLetterQueue(template, queue)) continue;
        report({
          at: redrive ? redrive.value : queue.idNode,
          resource: queue,
          messageId: 'noDeadLetterQueue',
          data: { id: queue.logicalId, conditions: conditionWords(found) },
          fix: () => {
            const dlq = uniqueLogicalId(template, `${queue.logicalId}Dlq`);
            const properties: { [key: string]: PlainValue } = { MessageRetentionPeriod: longestRetention };
            const fifo = (possibleValues(template, get(queue.properties, 'FifoQueue')) ?? []).map((v) =>
              asBoolean(v.value),
            );
            // A FIFO queue needs a FIFO dead-letter queue: no fix when a condition decides which.
            if (fifo.some((f) => f) && !fifo.every((f) => f)) return undefined;
            if (fifo.some((f) => f)) properties.FifoQueue = true;
            const key = plainValue(get(queue.properties, 'KmsMasterKeyId'));
            if (key !== undefined && key !== null) properties.KmsMasterKeyId = key;
            else properties.SqsManagedSseEnabled = true;
            return {
              title: `Add a dead-letter queue ${dlq} with a redrive policy`,
              needs: [
                `Alarm on messages arriving in ${dlq}, and decide who replays or discards them`,
                `Check that 5 receives suit ${queue.logicalId}: a message is moved after its fifth failed attempt`,
              ],
              edits: [
                setPath(target, queue.node, ['Properties', 'RedrivePolicy'], {
                  deadLetterTargetArn: { 'Fn::GetAtt': [dlq, 'Arn'] },
                  maxReceiveCount: 5,
                }),
                addResources(target, template, [
                  { id: dlq, body: companionBody('AWS::SQS::Queue', properties, queue) },
                ]),
              ],
            };
          },
        });
      }
    },
  },
});
