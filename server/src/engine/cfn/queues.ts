import type { Resource, Template } from '../parse/cloudformation';
import { get, type DataNode } from '../parse/tree';
import { referencedNames, stringsIn, walk } from './references';

/** Properties whose value names where failed messages or events go. */
const deadLetterKeys = new Set([
  'deadlettertargetarn', // SQS and SNS RedrivePolicy
  'redrivepolicy', // also when written as a JSON string in Fn::Sub
  'deadletterqueue', // SAM functions and event sources
  'deadletterconfig', // Lambda, EventBridge targets, Pipes, Scheduler
  'onfailure', // Lambda destinations, event source mappings
]);

/** The dead-letter targets of each template, found in one walk: every queue asks. */
const targetsByTemplate = new WeakMap<Template, ReadonlySet<string>>();

/**
 * Logical ids that serve as a dead-letter queue or failure destination anywhere in the
 * template (queues, topics, buckets, …), including SAM Globals.
 */
export function deadLetterTargets(template: Template): ReadonlySet<string> {
  const known = targetsByTemplate.get(template);
  if (known) return known;
  const targets = new Set<string>();
  const visit = (node: DataNode) => {
    if (node.type !== 'map') return;
    for (const pair of node.pairs) {
      if (typeof pair.key.value !== 'string' || !deadLetterKeys.has(pair.key.value.toLowerCase())) continue;
      for (const name of referencedNames(pair.value)) targets.add(name);
    }
  };
  walk(template.root, visit);
  targetsByTemplate.set(template, targets);
  return targets;
}

/** Words in a logical id or name that say the queue is meant to catch failures. */
const deadLetterName = /(dlq|dead.?letter|poison|failed|failure)/i;

/**
 * Whether the queue is itself a dead-letter queue: wired as one in this template, declaring
 * which sources may use it (`RedriveAllowPolicy`), or named as one (it may serve another stack).
 */
export function isDeadLetterQueue(template: Template, queue: Resource): boolean {
  if (deadLetterTargets(template).has(queue.logicalId)) return true;
  if (queue.properties?.pairs.some((p) => p.key.value === 'RedriveAllowPolicy')) return true;
  const nameText = stringsIn(get(queue.properties, 'QueueName')).join(' ');
  return deadLetterName.test(queue.logicalId) || deadLetterName.test(nameText);
}
