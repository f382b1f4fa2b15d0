import { defineRule } from '../../engine/rule';
import { checkQueues } from './queue-no-dlq';

export default defineRule({
  id: 'async-event-driven/queue-no-dlq-unconsumed',
  lesson: 'async-event-driven',
  title: 'Queue without a dead-letter queue, and no consumer in the template',
  severity: 'info',
  equivalents: [],
  fix: 'scaffold',
  strictOnly: true,
  resourceTypes: ['AWS::SQS::Queue'],
  messages: {
    noDeadLetterQueueUnconsumed:
      'Queue {{id}} has no dead-letter queue{{conditions}}, and nothing in this template receives from it: if a consumer elsewhere does, a message it keeps failing on is received again and again until its retention period ends, and then it is lost.',
    noDeadLetterQueueExported:
      'Queue {{id}} has no dead-letter queue{{conditions}}; nothing in this template receives from it, but it is exported ({{outputs}}): if a stack or program that imports it consumes it, a message it keeps failing on is received again and again until its retention period ends, and then it is lost.',
  },
  docs: {
    what:
      'An SQS queue without a `RedrivePolicy` (and not a dead-letter queue itself) that nothing in the template is seen to receive from. ' +
      'A consumer is a SAM `SQS` event, a Lambda event source mapping, a pipe or a SAM connector reading from the queue, a grant of `sqs:ReceiveMessage` (or a wildcard that covers it, or `SQSPollerPolicy`) in an IAM or queue policy, a nested stack given the queue, ' +
      'or a function, container, instance or launch template configured with the queue whose permissions the template does not limit to sending. ' +
      'In the `strict` preset only; queues with a consumer in the template are `async-event-driven/queue-no-dlq`, in every preset.',
    why:
      'A dead-letter queue catches what a consumer keeps failing on; a queue that only collects messages, such as the test target of an EventBridge rule, an audit sink or a queue read by hand, has no consumer to fail, and reading real templates most of these findings were not worth a change. ' +
      'The template does not show everything, though: a program deployed elsewhere, or a stack that imports an exported queue, may poll it. ' +
      'If one does, the poison message that comes back after every visibility timeout, costs an attempt each time and disappears when its retention ends is just as real, so turn this rule on to review such queues.',
    example: {
      language: 'yaml',
      code: `ImageEvents:
  Type: AWS::SQS::Queue
ImageEventsRule:
  Type: AWS::Events::Rule
  Properties:
    EventPattern: {source: [aws.s3]}
    Targets: [{Arn: !GetAtt ImageEvents.Arn, Id: images}]
Outputs:
  ImageEventsUrl:
    Value: !Ref ImageEvents
    Export: {Name: image-events}`,
    },
    useInstead: {
      language: 'yaml',
      code: `ImageEvents:
  Type: AWS::SQS::Queue
  Properties:
    RedrivePolicy:
      deadLetterTargetArn: !GetAtt ImageEventsDlq.Arn
      maxReceiveCount: 5
ImageEventsDlq:
  Type: AWS::SQS::Queue
  Properties:
    MessageRetentionPeriod: 1209600
    SqsManagedSseEnabled: true`,
    },
    fix:
      'The same scaffold as `async-event-driven/queue-no-dlq`: a dead-letter queue that keeps messages for 14 days (FIFO when the queue is, encrypted with its key) and a redrive policy that moves a message there after five receives. ' +
      'Check the receive count against how the consumer retries, and alarm on the new queue.',
    references: [
      {
        title: 'Using dead-letter queues in Amazon SQS',
        url: 'https://docs.aws.amazon.com/AWSSimpleQueueService/latest/SQSDeveloperGuide/sqs-dead-letter-queues.html',
      },
    ],
  },
  checks: { cfn: (context) => checkQueues(context, 'unconsumed') },
});
