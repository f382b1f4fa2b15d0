import { setPath } from '../../engine/edit';
import { defaultFunctionTimeout, queueConsumers, type QueueConsumer } from '../../engine/cfn/functions';
import { effectiveProperty } from '../../engine/cfn/resources';
import { asNumber, replaceValues, valuesOrDefault } from '../../engine/cfn/values';
import {
  property,
  provenance,
  type PossibleValue,
  type Resource,
  type Template,
} from '../../engine/parse/cloudformation';
import type { DataNode } from '../../engine/parse/tree';
import { defineRule } from '../../engine/rule';

/** SQS hides a received message for 30 seconds unless the queue says otherwise. */
const defaultVisibility = 30;
/** The longest visibility timeout SQS accepts: 12 hours. */
const longestVisibility = 43200;

/** Every number a property can be, with its default standing in when it is left out; undefined when unknowable. */
function numbers(
  template: Template,
  node: DataNode | undefined,
  fallback: number,
): { seconds: number[]; known: PossibleValue[] } | undefined {
  const values = valuesOrDefault(template, node, fallback);
  if (!values) return undefined;
  const seconds = values.map((v) => asNumber(v.value));
  if (seconds.some((s) => s === undefined)) return undefined;
  return {
    seconds: seconds as number[],
    known: values.map((v) => v.known).filter((v): v is PossibleValue => !!v),
  };
}

export default defineRule({
  id: 'async-event-driven/visibility-timeout',
  lesson: 'async-event-driven',
  title: 'Queue visibility timeout shorter than its consumer',
  severity: 'error',
  equivalents: ['E3505'],
  fix: 'safe',
  resourceTypes: ['AWS::SQS::Queue'],
  messages: {
    shorterThanConsumer:
      'Queue {{id}} hides a received message for {{visibility}} seconds{{visibilityOrigin}}, but function {{function}} ({{via}}) may run for {{timeout}} seconds{{timeoutOrigin}}: the message is handed out again while it is still being processed, and Lambda refuses to create the mapping.',
  },
  docs: {
    what:
      'An SQS queue that feeds a Lambda function in the same template (a SAM `SQS` event or an `AWS::Lambda::EventSourceMapping`) ' +
      'whose `VisibilityTimeout` (30 seconds when left out) is shorter than the function’s `Timeout` (3 seconds when left out, or SAM `Globals`). ' +
      'Parameter defaults and every branch of `Fn::If` are compared; unknowable values are not.',
    why:
      'While a consumer works on a message, the queue hides it for the visibility timeout; when that runs out, the message becomes visible and another poller takes it. ' +
      'A timeout shorter than the function’s means a slow batch is handed out a second time while the first invocation is still running: the work is done twice, ' +
      'and after a few such rounds the message lands in the dead-letter queue although nothing failed. ' +
      'Lambda refuses to create such a mapping, so the stack fails to deploy. AWS advises a visibility timeout of six times the function timeout, which leaves room for retries.',
    example: {
      language: 'yaml',
      code: `Jobs:
  Type: AWS::SQS::Queue          # VisibilityTimeout defaults to 30 seconds
Worker:
  Type: AWS::Serverless::Function
  Properties:
    Timeout: 120
    Events:
      Jobs:
        Type: SQS
        Properties:
          Queue: !GetAtt Jobs.Arn`,
    },
    useInstead: {
      language: 'yaml',
      code: `Jobs:
  Type: AWS::SQS::Queue
  Properties:
    VisibilityTimeout: 720       # six times the worker's timeout
Worker:
  Type: AWS::Serverless::Function
  Properties:
    Timeout: 120
    Events:
      Jobs:
        Type: SQS
        Properties:
          Queue: !GetAtt Jobs.Arn`,
    },
    fix: 'Sets `VisibilityTimeout` to six times the longest timeout of the queue’s consumers (at most 12 hours), where the value is written or in the parameter default that supplies it.',
    references: [
      {
        title: 'Using Lambda with Amazon SQS: configuring a queue for Lambda',
        url: 'https://docs.aws.amazon.com/lambda/latest/dg/services-sqs-configure.html',
      },
      {
        title: 'Amazon SQS visibility timeout',
        url: 'https://docs.aws.amazon.com/AWSSimpleQueueService/latest/SQSDeveloperGuide/sqs-visibility-timeout.html',
      },
    ],
  },
  checks: {
    cfn({ model: template, resources, target, report }) {
      const byQueue = new Map<Resource, QueueConsumer[]>();
      for (const consumer of queueConsumers(template)) {
        const list = byQueue.get(consumer.queue);
        if (list) list.push(consumer);
        else byQueue.set(consumer.queue, [consumer]);
      }
      for (const queue of resources) {
        const consumers = byQueue.get(queue);
        if (!consumers) continue;
        const visibilityPair = property(queue, 'VisibilityTimeout');
        const visibility = numbers(template, visibilityPair?.value, defaultVisibility);
        if (!visibility) continue;
        // The slowest consumer that is certain to outlast the queue's longest visibility timeout.
        let worst: { consumer: QueueConsumer; seconds: number; words: string } | undefined;
        for (const consumer of consumers) {
          const timeout = effectiveProperty(template, consumer.fn, 'Timeout');
          const seconds = numbers(template, timeout?.pair.value, defaultFunctionTimeout);
          if (!seconds) continue;
          const shortest = Math.min(...seconds.seconds);
          if (Math.max(...visibility.seconds) >= shortest) continue;
          const longestRun = Math.max(...seconds.seconds);
          if (worst && worst.seconds >= longestRun) continue;
          const origin = !timeout
            ? ' (the Lambda default)'
            : timeout.fromGlobals
              ? ' (from SAM Globals)'
              : provenance(seconds.known);
          worst = { consumer, seconds: longestRun, words: origin };
        }
        if (!worst) continue;
        const longest = Math.max(...visibility.seconds);
        const wanted = Math.min(worst.seconds * 6, longestVisibility);
        report({
          at: visibilityPair ? visibilityPair.value : queue.idNode,
          resource: queue,
          messageId: 'shorterThanConsumer',
          data: {
            id: queue.logicalId,
            visibility: longest,
            visibilityOrigin: visibilityPair ? provenance(visibility.known) : ' (the SQS default)',
            function: worst.consumer.fn.logicalId,
            via: worst.consumer.via,
            timeout: worst.seconds,
            timeoutOrigin: worst.words,
          },
          fix: () => {
            const edits = visibilityPair
              ? replaceValues(target, template, visibility.known, wanted)
              : [setPath(target, queue.node, ['Properties', 'VisibilityTimeout'], wanted)];
            if (!edits || (visibilityPair && visibility.known.length !== visibility.seconds.length))
              return undefined;
            return {
              title: `Set VisibilityTimeout to ${wanted} seconds (six times the function timeout)`,
              edits,
            };
          },
        });
      }
    },
  },
});
