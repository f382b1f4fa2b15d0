import { appendItem, setPath, type EditTarget, type PlainValue } from '../../engine/edit';
import { addResources, companionBody } from '../../engine/cfn/companions';
import {
  asyncSources,
  type AsyncSource,
  executionRole,
  failureDestination,
  functionTypes,
  hasOwnRole,
  startedOnlyBySchedule,
} from '../../engine/cfn/functions';
import { uniqueLogicalId } from '../../engine/cfn/template-additions';
import type { Resource, Template } from '../../engine/parse/cloudformation';
import { asSeq, getPair } from '../../engine/parse/tree';
import { defineRule, type Fix, type TextEdit } from '../../engine/rule';

/** A policy on the function's role that lets Lambda put failed events on the queue. */
function sendToQueuePolicy(name: string, queue: string): PlainValue {
  return {
    PolicyName: name,
    PolicyDocument: {
      Version: '2012-10-17',
      Statement: [{ Effect: 'Allow', Action: 'sqs:SendMessage', Resource: { 'Fn::GetAtt': [queue, 'Arn'] } }],
    },
  };
}

/** Grant the role the queue: append to its inline policies, or start the list. */
function grantRole(target: EditTarget, role: Resource, policy: PlainValue): TextEdit | undefined {
  const policies = getPair(role.properties, 'Policies');
  if (!policies) return setPath(target, role.node, ['Properties', 'Policies'], [policy]);
  const list = asSeq(policies.value);
  return list ? appendItem(target, list, policy) : undefined;
}

function dlqFix(target: EditTarget, template: Template, fn: Resource): Fix | undefined {
  const sam = fn.type === 'AWS::Serverless::Function';
  const role = executionRole(template, fn);
  // SAM grants its own generated role the queue; a role named by the template needs a policy.
  if ((!sam || hasOwnRole(template, fn)) && !role) return undefined;
  const dlq = uniqueLogicalId(template, `${fn.logicalId}Dlq`);
  const arn = { 'Fn::GetAtt': [dlq, 'Arn'] };
  const edits: TextEdit[] = [
    sam
      ? setPath(target, fn.node, ['Properties', 'DeadLetterQueue'], { Type: 'SQS', TargetArn: arn })
      : setPath(target, fn.node, ['Properties', 'DeadLetterConfig'], { TargetArn: arn }),
  ];
  if (role) {
    const grant = grantRole(target, role, sendToQueuePolicy(`${fn.logicalId}DeadLetters`, dlq));
    if (!grant) return undefined;
    edits.push(grant);
  }
  edits.push(
    addResources(target, template, [
      {
        id: dlq,
        body: companionBody(
          'AWS::SQS::Queue',
          { MessageRetentionPeriod: 1209600, SqsManagedSseEnabled: true },
          fn,
        ),
      },
    ]),
  );
  return {
    title: `Send failed events to a new dead-letter queue ${dlq}`,
    edits,
    needs: [
      `Alarm on messages arriving in ${dlq}, and decide who replays or discards them`,
      ...(role ? [] : [`Let the role of ${fn.logicalId} send messages to ${dlq} (sqs:SendMessage)`]),
    ],
  };
}

/**
 * The callers in words, by service: `EventBridge (OrderRule) and S3 (Uploads)`. A permission is a
 * grant, not a caller: it names the resource its `SourceArn` points at, or only its service.
 */
function callersOf(sources: AsyncSource[]): string {
  const byService = new Map<string, Set<string>>();
  for (const source of sources) {
    const names = byService.get(source.service) ?? new Set<string>();
    byService.set(source.service, names);
    const name = source.grant ? source.grant.caller : source.via;
    if (name) names.add(name);
  }
  const words = [...byService].map(([service, names]) =>
    names.size > 0 ? `${service} (${[...names].join(', ')})` : service,
  );
  return words.length > 1
    ? `${words.slice(0, -1).join(', ')} and ${words[words.length - 1]}`
    : words.join('');
}

export default defineRule({
  id: 'async-event-driven/lambda-no-failure-destination',
  lesson: 'async-event-driven',
  title: 'Asynchronously invoked function without a dead-letter queue',
  severity: 'warning',
  equivalents: ['CKV_AWS_116'],
  fix: 'scaffold',
  resourceTypes: functionTypes,
  messages: {
    noDestination:
      'Function {{id}} is invoked asynchronously by {{callers}} but has no dead-letter queue or OnFailure destination: an event that fails every retry is dropped without a trace.',
    onlyDeliveryDeadLetters:
      'Function {{id}} is invoked asynchronously by {{callers}} but has no dead-letter queue or OnFailure destination: an event that fails every retry is dropped without a trace (the dead-letter settings of {{delivery}} only keep events that could not be delivered, not those the function failed on).',
  },
  docs: {
    what:
      'A Lambda or SAM function that S3, SNS, EventBridge rules, IoT or CloudWatch Logs invoke asynchronously, ' +
      'as SAM events or through permissions, subscriptions, rules and bucket notifications in the template, ' +
      'with neither a dead-letter queue (`DeadLetterQueue`, `DeadLetterConfig`) nor an `OnFailure` destination ' +
      '(`EventInvokeConfig` or an `AWS::Lambda::EventInvokeConfig`), on the function or in SAM `Globals`. ' +
      'Schedules do not count as asynchronous sources here (`Schedule`/`ScheduleV2` events, EventBridge rules with a `ScheduleExpression` and the permissions that let them invoke, EventBridge Scheduler schedules), ' +
      'and a function that only schedules start, as `immutable-infrastructure/no-gradual-deployment` reads it, is left alone: a scheduled event carries nothing but the time, so a dead-letter queue would keep nothing worth replaying, and the next run does the work again. ' +
      'Alarm on the function’s `Errors` metric to learn that runs fail.',
    why:
      'An asynchronous caller hands the event to Lambda and moves on; nobody waits for the answer. ' +
      'When the function throws or times out, Lambda retries twice and then discards the event, so an upload that was never processed or an order event that was never handled leaves no trace but a log line. ' +
      'A dead-letter queue or an `OnFailure` destination keeps the failed event, with the error, where it can be alarmed on and replayed once the cause is fixed.',
    example: {
      language: 'yaml',
      code: `Thumbnailer:
  Type: AWS::Serverless::Function
  Properties:
    Handler: app.handler
    Runtime: python3.12
    Events:
      Upload:
        Type: S3
        Properties:
          Bucket: !Ref Uploads
          Events: s3:ObjectCreated:*`,
    },
    useInstead: {
      language: 'yaml',
      code: `Thumbnailer:
  Type: AWS::Serverless::Function
  Properties:
    Handler: app.handler
    Runtime: python3.12
    DeadLetterQueue:
      Type: SQS
      TargetArn: !GetAtt ThumbnailerDlq.Arn
    Events:
      Upload:
        Type: S3
        Properties:
          Bucket: !Ref Uploads
          Events: s3:ObjectCreated:*
ThumbnailerDlq:
  Type: AWS::SQS::Queue
  Properties:
    MessageRetentionPeriod: 1209600`,
    },
    fix:
      'Adds an SQS queue that keeps failed events for 14 days, points the function’s `DeadLetterQueue` (SAM) or `DeadLetterConfig` at it, and lets a role the template defines send to it. ' +
      'A scaffold: something must alarm on that queue and replay what lands there.',
    references: [
      {
        title: 'Lambda: handling errors in asynchronous invocation',
        url: 'https://docs.aws.amazon.com/lambda/latest/dg/invocation-async-retain-records.html',
      },
      {
        title: 'AWS SAM: DeadLetterQueue and EventInvokeConfig',
        url: 'https://docs.aws.amazon.com/serverless-application-model/latest/developerguide/sam-resource-function.html',
      },
    ],
  },
  checks: {
    cfn({ model: template, resources, target, report }) {
      for (const fn of resources) {
        // A scheduled run carries nothing but the time, and the next tick does the work again.
        const sources = asyncSources(template, fn).filter((s) => !s.schedule);
        if (sources.length === 0 || failureDestination(template, fn)) continue;
        if (startedOnlyBySchedule(template, fn)) continue;
        const delivery = sources.filter((s) => s.deliveryDeadLetter).map((s) => s.via);
        report({
          at: fn.idNode,
          resource: fn,
          messageId: delivery.length > 0 ? 'onlyDeliveryDeadLetters' : 'noDestination',
          data: {
            id: fn.logicalId,
            callers: callersOf(sources),
            delivery: delivery.join(', '),
          },
          fix: () => dlqFix(target, template, fn),
        });
      }
    },
  },
});
