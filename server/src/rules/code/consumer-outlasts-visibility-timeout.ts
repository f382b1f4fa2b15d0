import { relative } from 'node:path';
import type { FileEdits, Pointer, RelatedLocation, Runtime } from '../../engine/applications';
import { queueConsumers } from '../../engine/code/queue-consumers';
import type { CodeModel } from '../../engine/parse/code';
import { defineRule, type CheckContext, type Fix } from '../../engine/rule';
import type { WorkspaceView } from '../../engine/workspace';

/** The longest visibility timeout SQS accepts: 12 hours. */
const longestVisibility = 43200;

export default defineRule({
  id: 'async-event-driven/consumer-outlasts-visibility-timeout',
  lesson: 'async-event-driven',
  title: 'Queue worker on ECS may work on a message longer than the queue hides it',
  severity: 'warning',
  // cfn-lint's E3505 compares Lambda timeouts only; no peer tool reads the worker's code.
  equivalents: [],
  fix: 'scaffold',
  messages: {
    queue:
      'This worker lets a message run for up to {{bound}} s ({{boundWords}}), but {{queue}}, which {{runtime}} gives it as `{{variable}}`, hides a received message for {{visibility}} s ({{visibilityWords}}; {{file}}): a message still in progress becomes visible again, and another worker takes it and does the work a second time.',
    request:
      'This worker asks SQS to hide each message for {{visibility}} s (`VisibilityTimeout`), but lets a message run for up to {{bound}} s ({{boundWords}}): a message still in progress becomes visible again, and another task of {{runtime}} takes it and does the work a second time.',
  },
  docs: {
    what:
      'Code that an ECS service runs and that takes messages from an SQS queue declared in the same template (JS `ReceiveMessageCommand` or `receiveMessage`, sqs-consumer `Consumer.create`, Python boto3 `receive_message`), ' +
      "reading the queue's URL from a variable that the container is given as `!Ref Queue` or `!GetAtt Queue.QueueUrl`, when the time the code lets a message's processing take is longer than the time the queue hides the message: " +
      "sqs-consumer's `handleMessageTimeout`, or the longest `AbortSignal.timeout(…)` (Python `asyncio.wait_for(…, timeout=…)`, `asyncio.timeout(…)`) in the function that receives, against the `VisibilityTimeout` the receive call asks for or else the queue's (30 s when it is not written). " +
      'Only numbers written out count; a worker that extends the visibility as it goes (`ChangeMessageVisibility`, sqs-consumer `heartbeatInterval`) is no finding. Lambda functions fed by a queue are `async-event-driven/visibility-timeout`.',
    why:
      'SQS does not give a message to one worker: it hides it for the visibility timeout, and if the worker has not deleted it by then, hands it to the next one that asks. ' +
      'A worker that may work on a message for 60 s on a queue that hides it for 30 s processes the slow messages twice or more (two charges, two emails, two rows), and with several tasks polling it happens exactly when the work is slowest. ' +
      'The bound is in the code and the visibility timeout in the template; nothing checks one against the other.',
    example: {
      language: 'javascript',
      code: `// worker/index.js — infra/stack.yaml: Jobs (no VisibilityTimeout: 30 s), QUEUE_URL: !Ref Jobs
const consumer = Consumer.create({
  queueUrl: process.env.QUEUE_URL,
  handleMessageTimeout: 120_000,
  handleMessage: exportReport,
});`,
    },
    useInstead: {
      language: 'yaml',
      code: `Jobs:
  Type: AWS::SQS::Queue
  Properties:
    VisibilityTimeout: 240   # longer than the worker's 120 s`,
    },
    fix:
      "Sets the queue's `VisibilityTimeout` (or the one the receive call asks for) to twice the processing bound. " +
      'A scaffold: a longer visibility timeout also delays the retry of a message whose worker crashed.',
    references: [
      {
        title: 'Amazon SQS visibility timeout',
        url: 'https://docs.aws.amazon.com/AWSSimpleQueueService/latest/SQSDeveloperGuide/sqs-visibility-timeout.html',
      },
      {
        title: 'sqs-consumer options (handleMessageTimeout, visibilityTimeout, heartbeatInterval)',
        url: 'https://bbc.github.io/sqs-consumer/interfaces/ConsumerOptions.html',
      },
    ],
  },
  checks: {
    js: (context) => check(context),
    py: (context) => check(context),
  },
});

function check(context: CheckContext<CodeModel, 'queue' | 'request'>): void {
  const { model, document, workspace, applications, report } = context;
  const consumers = queueConsumers(model).filter((c) => c.bound && c.visibility !== 'unknown');
  if (consumers.length === 0) return;
  const app = applications.of(document.path);
  const workers = app?.runtimes.filter((r) => r.kind === 'ecs') ?? [];
  for (const consumer of consumers) {
    const bound = consumer.bound!;
    for (const runtime of workers) {
      const pointer = runtime.pointers?.find(
        (p) => p.variable === consumer.variable && p.service.kind === 'sqs',
      );
      if (!pointer) continue;
      const own = consumer.visibility !== 'unknown' ? consumer.visibility : undefined;
      const queueVisibility = pointer.service.visibility;
      if (!own && !queueVisibility) continue;
      const visibility = own?.seconds ?? queueVisibility!.seconds;
      if (bound.seconds <= visibility) continue;
      const wanted = Math.min(Math.ceil(bound.seconds) * 2, longestVisibility);
      const data = {
        bound: seconds(bound.seconds),
        boundWords: bound.words,
        runtime: runtime.name,
        variable: consumer.variable,
        visibility: seconds(visibility),
      };
      if (own) {
        report({
          at: consumer.at,
          messageId: 'request',
          data,
          related: [
            relatedQueue(runtime, pointer, ': the receive call’s VisibilityTimeout replaces the queue’s'),
          ],
          fix: (): Fix => ({
            title: `Ask for a VisibilityTimeout of ${wanted} s, twice the processing bound`,
            edits: [{ ...own.span, text: String(wanted) }],
          }),
        });
      } else {
        const queue = queueVisibility!;
        report({
          at: consumer.at,
          messageId: 'queue',
          data: {
            ...data,
            queue: pointer.service.name,
            visibilityWords: queue.words,
            file: shown(workspace, document.path, queue.at.path),
          },
          related: [
            {
              path: queue.at.path,
              range: queue.at.range,
              message: `${pointer.service.name} hides a received message for ${seconds(queue.seconds)} s (${queue.words})`,
            },
            relatedQueue(runtime, pointer, ''),
          ],
          fix: () => queueFix(queue.raise?.(wanted), wanted, document.path),
        });
      }
      break;
    }
  }
}

function relatedQueue(runtime: Runtime, pointer: Pointer, words: string): RelatedLocation {
  return {
    path: pointer.at.path,
    range: pointer.at.range,
    message: `${runtime.name} gives this code \`${pointer.variable}\` from ${pointer.service.name}${words}`,
  };
}

function queueFix(edits: FileEdits | undefined, wanted: number, path: string): Fix | undefined {
  if (!edits) return undefined;
  const title = `Set VisibilityTimeout to ${wanted} s, twice the processing bound`;
  return edits.path === path ? { title, edits: edits.edits } : { title, edits: [], otherFiles: [edits] };
}

const seconds = (n: number) => String(Math.round(n * 10) / 10);

function shown(workspace: WorkspaceView, from: string, path: string): string {
  const base = workspace.root ?? from;
  return relative(base, path).split('\\').join('/') || path;
}
