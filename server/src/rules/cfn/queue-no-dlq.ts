import { setPath, type PlainValue } from '../../engine/edit';
import { branches, conditionWords } from '../../engine/cfn/branches';
import { addResources, companionBody, plainValue } from '../../engine/cfn/companions';
import { queueConsumers } from '../../engine/cfn/functions';
import { identityPolicies, listItems, managedPolicies, statementGroups } from '../../engine/cfn/iam';
import { isDeadLetterQueue } from '../../engine/cfn/queues';
import { referencedNames, resourcesMentioning, walk } from '../../engine/cfn/references';
import { perTemplate } from '../../engine/cfn/resources';
import { uniqueLogicalId } from '../../engine/cfn/template-additions';
import { asBoolean } from '../../engine/cfn/values';
import { possibleValues, property, type Resource, type Template } from '../../engine/parse/cloudformation';
import { asMap, get, getPath, scalarText, type DataNode } from '../../engine/parse/tree';
import { defineRule, type TemplateContext } from '../../engine/rule';

/** Fourteen days, the longest SQS keeps a message: failed messages wait as long as possible. */
const longestRetention = 1209600;

/** Whether the template shows something that receives from a queue, or leaves that unknown. */
export type QueueScope = 'consumed' | 'unconsumed';

/** IAM actions that receive from a queue (or may: wildcards). */
const receiveAction =
  /^(\*|sqs:\*|sqs:r\*|sqs:rec\*|sqs:receive\*|sqs:receivemessage|sqs:deletemessage\*?)$/i;

/** AWS-managed policies that allow sqs:ReceiveMessage on every queue. */
const managedReaders = new Set(['AWSLambdaSQSQueueExecutionRole', 'AmazonSQSFullAccess']);

/** Resources that watch a queue without sending to it or receiving from it. */
const observers = new Set([
  'AWS::CloudWatch::Alarm',
  'AWS::CloudWatch::CompositeAlarm',
  'AWS::CloudWatch::Dashboard',
  'AWS::CloudWatch::AnomalyDetector',
]);

interface QueueUse {
  /** Queues something in the template receives from, or may (their users are unknown). */
  consumed: Set<string>;
  /** Queues some identity policy of the template grants SQS actions on (send-only, if not consumed). */
  permitted: Set<string>;
  /** Queues whose URL, ARN or name a compute resource gets in its environment or user data. */
  configured: Set<string>;
  /** Output names under which each queue is exported. */
  exported: Map<string, string[]>;
  /** Whether some identity policy receives from any queue (`Resource: '*'`). */
  receivesAny: boolean;
}

/** Where a compute resource takes its configuration: environment variables and user data. */
const computeConfig: Record<string, string[][]> = {
  'AWS::Lambda::Function': [['Environment']],
  'AWS::Serverless::Function': [['Environment']],
  'AWS::ECS::TaskDefinition': [['ContainerDefinitions']],
  'AWS::EC2::Instance': [['UserData']],
  'AWS::EC2::LaunchTemplate': [['LaunchTemplateData', 'UserData']],
  'AWS::AutoScaling::LaunchConfiguration': [['UserData']],
  'AWS::Batch::JobDefinition': [['ContainerProperties']],
  'AWS::AppRunner::Service': [['SourceConfiguration']],
  'AWS::ElasticBeanstalk::Environment': [['OptionSettings']],
};

const queueUses = perTemplate((template): QueueUse => {
  const use: QueueUse = {
    consumed: new Set(),
    permitted: new Set(),
    configured: new Set(),
    exported: new Map(),
    receivesAny: false,
  };
  const consume = (node: DataNode | undefined) => {
    for (const name of referencedNames(node)) use.consumed.add(name);
  };
  for (const { queue } of queueConsumers(template)) use.consumed.add(queue.logicalId);
  for (const mapping of template.resourcesOfType(['AWS::Lambda::EventSourceMapping']))
    consume(get(mapping.properties, 'EventSourceArn'));
  for (const pipe of template.resourcesOfType(['AWS::Pipes::Pipe'])) consume(get(pipe.properties, 'Source'));
  for (const connector of template.resourcesOfType(['AWS::Serverless::Connector'])) {
    const permissions = listItems(get(connector.properties, 'Permissions')).map((p) => String(p.value));
    if (permissions.includes('Read')) consume(get(connector.properties, 'Source'));
  }
  // Grants: identity policies of roles and SAM resources, and queue policies (another account's reader).
  const statements = identityPolicies(template).flatMap((p) =>
    statementGroups(p.resource, p.document).flat(),
  );
  for (const policy of template.resourcesOfType(['AWS::SQS::QueuePolicy'])) {
    const document = asMap(get(policy.properties, 'PolicyDocument'));
    if (document) statements.push(...statementGroups(policy, document).flat());
  }
  for (const statement of statements) {
    if (/^deny$/i.test(scalarText(get(statement.node, 'Effect')) ?? '')) continue;
    const actions = listItems(get(statement.node, 'Action')).map((a) => String(a.value));
    const receives = actions.some((a) => receiveAction.test(a.trim()));
    const resources = get(statement.node, 'Resource');
    const policyQueues =
      statement.resource.type === 'AWS::SQS::QueuePolicy'
        ? referencedNames(get(statement.resource.properties, 'Queues'))
        : new Set<string>();
    const names = new Set([...referencedNames(resources), ...policyQueues]);
    if (receives) {
      for (const name of names) use.consumed.add(name);
      if (
        statement.resource.type !== 'AWS::SQS::QueuePolicy' &&
        listItems(resources).some((r) => r.value === '*')
      )
        use.receivesAny = true;
    } else if (actions.some((a) => /^sqs:/i.test(a.trim()))) {
      for (const name of names) use.permitted.add(name);
    }
  }
  // AWS-managed policies that receive from every queue of the account.
  if (managedPolicies(template).some((p) => managedReaders.has(p.name))) use.receivesAny = true;
  // SAM policy templates: SQSPollerPolicy receives, the others (SQSSendMessagePolicy) only send.
  walk(template.root, (node) => {
    if (node.type !== 'map') return;
    for (const pair of node.pairs) {
      const key = typeof pair.key.value === 'string' ? pair.key.value : '';
      if (key === 'SQSPollerPolicy') consume(pair.value);
      else if (/^SQS\w*Policy$/.test(key))
        for (const name of referencedNames(pair.value)) use.permitted.add(name);
    }
  });
  for (const resource of template.resourcesOfType(Object.keys(computeConfig))) {
    for (const path of computeConfig[resource.type ?? ''] ?? [])
      for (const name of referencedNames(getPath(resource.properties, ...path))) use.configured.add(name);
  }
  for (const name of referencedNames(getPath(template.globals, 'Function', 'Environment')))
    use.configured.add(name);
  // Another stack (nested, or a SAM application) given the queue may consume it: unknown, so consumed.
  for (const stack of template.resourcesOfType([
    'AWS::CloudFormation::Stack',
    'AWS::Serverless::Application',
  ]))
    consume(get(stack.properties, 'Parameters'));
  for (const output of asMap(get(template.root, 'Outputs'))?.pairs ?? []) {
    const exportName = get(output.value, 'Export');
    if (!exportName) continue;
    for (const name of referencedNames(get(output.value, 'Value'))) {
      const list = use.exported.get(name) ?? [];
      list.push(String(output.key.value));
      use.exported.set(name, list);
    }
  }
  return use;
});

/**
 * Whether something in the template receives from the queue, or may: a Lambda event source, a
 * pipe, a grant of sqs:ReceiveMessage, a nested stack given it, or a compute resource configured
 * with it whose permissions the template does not limit to sending. A queue that no other
 * resource mentions counts as consumed too: its users are not in the template.
 */
export function isConsumedHere(template: Template, queue: Resource): boolean {
  const use = queueUses(template);
  const id = queue.logicalId;
  if (use.consumed.has(id) || use.receivesAny) return true;
  // Nothing in the template sends to the queue or reads it (alarms only watch): who does is
  // unknown (an application deployed elsewhere, most often both), so it is judged as consumed.
  if (resourcesMentioning(template, id).every((r) => observers.has(r.type ?? ''))) return true;
  return use.configured.has(id) && !use.permitted.has(id);
}

/** Queues without a redrive policy, of the scope asked for: consumed in this template, or not. */
export function checkQueues(
  { model: template, resources, target, report }: TemplateContext<string>,
  scope: QueueScope,
): void {
  for (const queue of resources) {
    const redrive = property(queue, 'RedrivePolicy');
    const found = branches(redrive?.value);
    if (found.some((b) => b.node)) continue;
    if (isDeadLetterQueue(template, queue)) continue;
    const consumed = isConsumedHere(template, queue);
    if (consumed !== (scope === 'consumed')) continue;
    const exported = queueUses(template).exported.get(queue.logicalId);
    report({
      at: redrive ? redrive.value : queue.idNode,
      resource: queue,
      messageId: consumed
        ? 'noDeadLetterQueue'
        : exported
          ? 'noDeadLetterQueueExported'
          : 'noDeadLetterQueueUnconsumed',
      data: {
        id: queue.logicalId,
        conditions: conditionWords(found),
        outputs: (exported ?? []).join(', '),
      },
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
}

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
      'With `Fn::If`, it is flagged only when no branch sets a redrive policy. ' +
      'Only queues that something may receive from: a SAM `SQS` event, an event source mapping, a pipe or connector reading it, a grant of `sqs:ReceiveMessage` (or a wildcard, `SQSPollerPolicy`, `AWSLambdaSQSQueueExecutionRole`), a nested stack given it, a compute resource configured with it and not limited to sending, ' +
      'or nothing in the template but alarms (its users are then unknown, most often an application deployed elsewhere). ' +
      'A queue the template only sends to (an EventBridge or SNS target, a publisher function) and never reads is `async-event-driven/queue-no-dlq-unconsumed`, in the `strict` preset only: a sink read by hand or by a test has no consumer to fail.',
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
  checks: { cfn: (context) => checkQueues(context, 'consumed') },
});
