import type { Node } from '../parse/syntax-tree';
import type { CodeModel } from '../parse/code';
import type { Span } from '../text';
import { environmentReads } from './env';
import { bindingsOf, calleeQualifiedName } from './imports';
import { literalNumber } from './literals';
import {
  callArguments,
  descendantsIn,
  enclosingFunction,
  keywordArgument,
  nodesOfType,
  positionalArguments,
  spanOfNode,
} from './syntax';

/**
 * Code that takes messages from an SQS queue whose URL it reads from the environment: JS
 * `new ReceiveMessageCommand({ QueueUrl })`, `sqs.receiveMessage({ QueueUrl })`, sqs-consumer's
 * `Consumer.create({ queueUrl })`, Python boto3 `receive_message(QueueUrl=…)`; with the
 * visibility timeout it asks for and how long it lets itself work on a message, where the code
 * writes them out.
 */
export interface QueueConsumer {
  /** The receiving call's name, for the finding. */
  at: Span;
  /** In words: `ReceiveMessageCommand`, `Consumer.create`, `receive_message`. */
  call: string;
  /** The environment variable the queue's URL is read from. */
  variable: string;
  /** The `VisibilityTimeout` the call asks for, replacing the queue's: seconds and where; `unknown` when not a literal. */
  visibility?: { seconds: number; span: Span } | 'unknown';
  /** How long the code lets a message's processing run, in seconds, and what says so. */
  bound?: { seconds: number; span: Span; words: string };
}

/** Names of calls that keep a message hidden while it is processed. */
const extendsVisibility =
  /ChangeMessageVisibility|changeMessageVisibility|change_message_visibility|heartbeatInterval|heartbeat_interval/;

export function queueConsumers(model: CodeModel): QueueConsumer[] {
  const text = model.root.text;
  if (!/ReceiveMessage|receiveMessage|receive_message|sqs-consumer/.test(text)) return [];
  // A worker that extends the visibility of what it works on is not bound by the queue's.
  if (extendsVisibility.test(text)) return [];
  return model.grammar === 'python' ? pythonConsumers(model) : javascriptConsumers(model);
}

// JavaScript ------------------------------------------------------------------------------

function javascriptConsumers(model: CodeModel): QueueConsumer[] {
  const consumers: QueueConsumer[] = [];
  const bindings = bindingsOf(model);
  for (const call of nodesOfType(model, ['call_expression', 'new_expression'])) {
    const callee = call.childForFieldName(call.type === 'new_expression' ? 'constructor' : 'function');
    if (!callee) continue;
    const qualified = calleeQualifiedName(call, bindings) ?? '';
    let kind: 'receive' | 'consumer' | undefined;
    let name: Node | undefined = callee;
    if (call.type === 'new_expression' && /(^|\.)ReceiveMessageCommand$/.test(callee.text)) kind = 'receive';
    else if (callee.type === 'member_expression') {
      const method = callee.childForFieldName('property');
      if (method?.text === 'receiveMessage') {
        kind = 'receive';
        name = method;
      } else if (method?.text === 'create' && /^sqs-consumer\.Consumer\.create$/.test(qualified))
        kind = 'consumer';
    }
    if (!kind || !name) continue;
    const params = objectOf(model, callArguments(call)[0]);
    if (!params) continue;
    const value = (key: string) => propertyOf(params, key);
    const url = value(kind === 'receive' ? 'QueueUrl' : 'queueUrl');
    const variable = url && variableOf(model, url);
    if (!variable) continue;
    const visibilityNode = value(kind === 'receive' ? 'VisibilityTimeout' : 'visibilityTimeout');
    const consumer: QueueConsumer = {
      at: spanOfNode(name),
      call: kind === 'consumer' ? 'Consumer.create' : name.text,
      variable,
      ...visibilityOf(model, visibilityNode),
    };
    if (kind === 'consumer') {
      const timeout = value('handleMessageTimeout');
      const ms = literalNumber(model, timeout);
      if (timeout && ms !== undefined && ms > 0)
        consumer.bound = {
          seconds: ms / 1000,
          span: spanOfNode(timeout),
          words: `handleMessageTimeout: ${timeout.text}`,
        };
    } else {
      const bound = scopeBound(model, call, 'js');
      if (bound) consumer.bound = bound;
    }
    consumers.push(consumer);
  }
  return consumers;
}

/** An object literal, written in place or held by a name the file binds once (`const params = {…}`). */
function objectOf(model: CodeModel, node: Node | undefined): Node | undefined {
  if (node?.type === 'object') return node;
  if (node?.type !== 'identifier') return undefined;
  const value = uniqueValue(model, node.text);
  return value?.type === 'object' ? value : undefined;
}

/** The value of `key` in an object literal (`key: value`, `'key': value`, or shorthand `{ key }`); a spread makes it unknown. */
function propertyOf(object: Node, key: string): Node | undefined {
  for (const child of object.namedChildren) {
    if (!child) continue;
    if (child.type === 'pair') {
      const name = child.childForFieldName('key');
      const text = name?.type === 'string' ? name.text.slice(1, -1) : name?.text;
      if (text === key) return child.childForFieldName('value') ?? undefined;
    } else if (child.type === 'shorthand_property_identifier' && child.text === key) return child;
  }
  return undefined;
}

/** The one value the file gives a name (`const x = …`, `let x = …`, Python `x = …`), when it gives one. */
function uniqueValue(model: CodeModel, name: string): Node | undefined {
  const python = model.grammar === 'python';
  const found: Node[] = [];
  for (const node of nodesOfType(model, python ? 'assignment' : 'variable_declarator')) {
    const target = node.childForFieldName(python ? 'left' : 'name');
    if (target?.type === 'identifier' && target.text === name) {
      const value = node.childForFieldName(python ? 'right' : 'value');
      if (value) found.push(value);
    }
  }
  return found.length === 1 ? found[0] : undefined;
}

/** The environment variable an expression reads its value from: directly, or through a name the file binds once. */
function variableOf(model: CodeModel, node: Node, depth = 0): string | undefined {
  const reads = environmentReads(model);
  const inside = new Set(
    reads.filter((r) => r.span.start >= node.startIndex && r.span.end <= node.endIndex).map((r) => r.name),
  );
  if (inside.size === 1) return [...inside][0];
  if (inside.size > 1 || depth > 1) return undefined;
  const name =
    node.type === 'identifier' || node.type === 'shorthand_property_identifier' ? node.text : undefined;
  const value = name ? uniqueValue(model, name) : undefined;
  return value ? variableOf(model, value, depth + 1) : undefined;
}

function visibilityOf(model: CodeModel, node: Node | undefined): Pick<QueueConsumer, 'visibility'> {
  if (!node) return {};
  const seconds = literalNumber(model, node);
  return { visibility: seconds === undefined ? 'unknown' : { seconds, span: spanOfNode(node) } };
}

/**
 * The longest literal timeout the function around the receive call puts on its work after the
 * receive statement: JS `AbortSignal.timeout(60000)`, Python `asyncio.wait_for(…, timeout=60)`
 * and `asyncio.timeout(60)`.
 */
function scopeBound(model: CodeModel, receive: Node, language: 'js' | 'py'): QueueConsumer['bound'] {
  const scope = enclosingFunction(receive) ?? model.root;
  const statement = statementOf(receive);
  const bindings = bindingsOf(model);
  let best: QueueConsumer['bound'];
  for (const call of descendantsIn(model, scope, language === 'js' ? 'call_expression' : 'call')) {
    // The work on what was received comes after the receive statement (its own signal aside).
    if (call.startIndex < statement.endIndex) continue;
    // The work of a nested function runs when it is called, not necessarily for this message.
    if ((enclosingFunction(call) ?? model.root).id !== scope.id) continue;
    let delay: Node | undefined;
    let factor = 1;
    if (language === 'js') {
      if (call.childForFieldName('function')?.text !== 'AbortSignal.timeout') continue;
      delay = callArguments(call)[0];
      factor = 1 / 1000;
    } else {
      const name = calleeQualifiedName(call, bindings);
      if (name === 'asyncio.wait_for')
        delay = keywordArgument(call, 'timeout')?.childForFieldName('value') ?? positionalArguments(call)[1];
      else if (name === 'asyncio.timeout') delay = positionalArguments(call)[0];
      else continue;
    }
    const value = literalNumber(model, delay);
    if (!delay || value === undefined || value <= 0) continue;
    const seconds = value * factor;
    if (!best || seconds > best.seconds)
      best = {
        seconds,
        span: spanOfNode(delay),
        words: `\`${call.text.replace(/\s+/g, ' ').slice(0, 60)}\``,
      };
  }
  return best;
}

const statementTypes =
  /^(expression_statement|lexical_declaration|variable_declaration|return_statement|assignment|augmented_assignment|for_statement|for_in_statement|while_statement)$/;

function statementOf(node: Node): Node {
  let current = node;
  while (current.parent && !statementTypes.test(current.type)) current = current.parent;
  return current;
}

// Python ----------------------------------------------------------------------------------

function pythonConsumers(model: CodeModel): QueueConsumer[] {
  const consumers: QueueConsumer[] = [];
  for (const call of nodesOfType(model, 'call')) {
    const callee = call.childForFieldName('function');
    const method = callee?.type === 'attribute' ? callee.childForFieldName('attribute') : undefined;
    if (method?.text !== 'receive_message') continue;
    // `receive_message(**params)`: what it asks for is not written here.
    if (callArguments(call).some((a) => a.type === 'dictionary_splat')) continue;
    const url = keywordArgument(call, 'QueueUrl')?.childForFieldName('value');
    const variable = url && variableOf(model, url);
    if (!variable) continue;
    const consumer: QueueConsumer = {
      at: spanOfNode(method),
      call: 'receive_message',
      variable,
      ...visibilityOf(
        model,
        keywordArgument(call, 'VisibilityTimeout')?.childForFieldName('value') ?? undefined,
      ),
    };
    const bound = scopeBound(model, call, 'py');
    if (bound) consumer.bound = bound;
    consumers.push(consumer);
  }
  return consumers;
}
