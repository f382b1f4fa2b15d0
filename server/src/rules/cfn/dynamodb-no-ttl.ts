import { setPath, type EditTarget } from '../../engine/edit';
import { stringsIn } from '../../engine/cfn/references';
import { nameWords } from '../../engine/names';
import { asBoolean, replaceValues, valuesOrDefault } from '../../engine/cfn/values';
import {
  provenance,
  type PossibleValue,
  type Resource,
  type Template,
} from '../../engine/parse/cloudformation';
import { asMap, asSeq, get, getPair, getPath, scalarText } from '../../engine/parse/tree';
import { defineRule, type TextEdit } from '../../engine/rule';

const tableTypes = ['AWS::DynamoDB::Table', 'AWS::DynamoDB::GlobalTable', 'AWS::Serverless::SimpleTable'];

/** Words that name data which is worthless after a while, and what to call it in messages. */
const transientWords: Record<string, string> = {
  session: 'session',
  sessions: 'session',
  cart: 'shopping cart',
  carts: 'shopping cart',
  basket: 'shopping basket',
  baskets: 'shopping basket',
  token: 'token',
  tokens: 'token',
  lock: 'lock',
  locks: 'lock',
  idempotency: 'idempotency',
  nonce: 'nonce',
  nonces: 'nonce',
  otp: 'one-time code',
  otps: 'one-time code',
  cache: 'cache',
  // WebSocket connection ids: a disconnect handler that never ran leaves them behind.
  connection: 'connection',
  connections: 'connection',
};

/** The first name of the table (logical id, table name, key attributes) that says its data is transient. */
function transientClue(resource: Resource): { kind: string; where: string; name: string } | undefined {
  const names: { where: string; name: string }[] = [{ where: 'logical id', name: resource.logicalId }];
  for (const text of stringsIn(get(resource.properties, 'TableName')))
    names.push({ where: 'table name', name: text });
  for (const key of asSeq(get(resource.properties, 'KeySchema'))?.items ?? []) {
    const attribute = scalarText(get(key, 'AttributeName'));
    if (attribute) names.push({ where: 'key', name: attribute });
  }
  const simpleKey = scalarText(getPath(resource.properties, 'PrimaryKey', 'Name'));
  if (simpleKey) names.push({ where: 'key', name: simpleKey });
  for (const { where, name } of names) {
    // Own keys only: a word such as `constructor` must not find Object's.
    const word = nameWords(name).find((w) => Object.hasOwn(transientWords, w));
    if (word) return { kind: transientWords[word], where, name };
  }
  return undefined;
}

/** Whether a WebSocket API of the template routes `$disconnect` (to a handler that can delete the connection). */
function hasDisconnectRoute(template: Template): boolean {
  return template
    .resourcesOfType(['AWS::ApiGatewayV2::Route'])
    .some((route) => scalarText(get(route.properties, 'RouteKey')) === '$disconnect');
}

/** An attribute the table already defines for expiry times, else a conventional name. */
function expiryAttribute(resource: Resource): string {
  for (const definition of asSeq(get(resource.properties, 'AttributeDefinitions'))?.items ?? []) {
    const name = scalarText(get(definition, 'AttributeName'));
    if (name && /^(ttl|expires?(at|on)?|expir(y|ation)(time)?|expiresAtEpoch)$/i.test(name)) return name;
  }
  return 'expiresAt';
}

function ttlFix(
  target: EditTarget,
  template: Template,
  resource: Resource,
  known: PossibleValue[],
  all: number,
): TextEdit[] | undefined {
  const spec = asMap(get(resource.properties, 'TimeToLiveSpecification'));
  const attribute = expiryAttribute(resource);
  if (!spec) {
    return [
      setPath(target, resource.node, ['Properties', 'TimeToLiveSpecification'], {
        AttributeName: attribute,
        Enabled: true,
      }),
    ];
  }
  const edits: TextEdit[] = [];
  if (!getPair(spec, 'AttributeName')) edits.push(setPath(target, spec, ['AttributeName'], attribute));
  if (!getPair(spec, 'Enabled')) edits.push(setPath(target, spec, ['Enabled'], true));
  else {
    if (known.length !== all) return undefined;
    const replaced = replaceValues(target, template, known, true);
    if (!replaced) return undefined;
    edits.push(...replaced);
  }
  return edits;
}

export default defineRule({
  id: 'transient-state/dynamodb-no-ttl',
  lesson: 'transient-state',
  title: 'Table of transient data without expiry',
  severity: 'warning',
  equivalents: [],
  fix: 'scaffold',
  resourceTypes: tableTypes,
  messages: {
    simpleTable:
      'SimpleTable {{id}} never expires its items although its {{where}} {{name}} says it holds {{kind}} data: a SimpleTable cannot use time to live, use AWS::DynamoDB::Table with TimeToLiveSpecification.',
    notSet:
      'DynamoDB table {{id}} never expires its items although its {{where}} {{name}} says it holds {{kind}} data: the table grows forever and stale entries stay readable.',
    connectionsCleaned:
      'DynamoDB table {{id}} never expires its items although its {{where}} {{name}} says it holds WebSocket connections: the $disconnect route removes most of them, but API Gateway delivers $disconnect on a best-effort basis, and a handler that fails leaves its item for good. A time to live a little past the 2 hours a connection can last removes those.',
    off: 'DynamoDB table {{id}} has time to live switched off{{provenance}} although its {{where}} {{name}} says it holds {{kind}} data: expired entries are never removed.',
  },
  docs: {
    what:
      'A DynamoDB table whose logical id, table name or key attributes say it holds sessions, carts, tokens, locks, idempotency records, nonces, one-time codes, WebSocket connections or a cache, ' +
      'without a `TimeToLiveSpecification` that is enabled. A SAM `SimpleTable` with such a name is flagged too: it cannot expire items at all. ' +
      'A table of WebSocket connections beside a `$disconnect` route is reported as info: the route removes most items, and time to live catches the disconnects API Gateway does not deliver.',
    why:
      'Sessions, carts and locks are transient state: they matter for minutes or days and then only take up space. ' +
      'Without time to live, nothing ever removes them, so the table grows without end, every scan and backup gets slower and dearer, ' +
      'and stale entries (an expired login, a lock whose owner died) stay valid as far as a reader can tell. ' +
      'With TTL, the application writes an expiry time on each item and DynamoDB deletes it for free soon after.',
    example: {
      language: 'yaml',
      code: `Sessions:
  Type: AWS::DynamoDB::Table
  Properties:
    BillingMode: PAY_PER_REQUEST
    AttributeDefinitions:
      - {AttributeName: sessionId, AttributeType: S}
    KeySchema:
      - {AttributeName: sessionId, KeyType: HASH}`,
    },
    useInstead: {
      language: 'yaml',
      code: `Sessions:
  Type: AWS::DynamoDB::Table
  Properties:
    BillingMode: PAY_PER_REQUEST
    AttributeDefinitions:
      - {AttributeName: sessionId, AttributeType: S}
    KeySchema:
      - {AttributeName: sessionId, KeyType: HASH}
    TimeToLiveSpecification:
      AttributeName: expiresAt   # epoch seconds, written with every item
      Enabled: true`,
    },
    fix: 'Turns on `TimeToLiveSpecification` with the attribute it names, an attribute the table already defines for expiry times, or else `expiresAt`. A scaffold: the application must write that attribute on every item, as epoch seconds, or nothing ever expires; the fix says which attribute it chose.',
    references: [
      {
        title: 'Using time to live (TTL) in DynamoDB',
        url: 'https://docs.aws.amazon.com/amazondynamodb/latest/developerguide/TTL.html',
      },
    ],
  },
  checks: {
    cfn({ model: template, resources, target, report }) {
      for (const table of resources) {
        const clue = transientClue(table);
        if (!clue) continue;
        const data = { id: table.logicalId, ...clue };
        if (table.type === 'AWS::Serverless::SimpleTable') {
          report({ at: table.idNode, resource: table, messageId: 'simpleTable', data });
          continue;
        }
        const spec = getPair(table.properties, 'TimeToLiveSpecification');
        const enabledPair = getPair(asMap(spec?.value), 'Enabled');
        if (spec && !asMap(spec.value)) continue;
        const values = valuesOrDefault(template, enabledPair?.value, false);
        if (spec && (!values || values.some((v) => asBoolean(v.value) !== false))) continue;
        const known = (values ?? []).map((v) => v.known).filter((v): v is PossibleValue => !!v);
        // A WebSocket API whose $disconnect route cleans up: the table does not grow without end.
        const cleaned = !enabledPair && clue.kind === 'connection' && hasDisconnectRoute(template);
        report({
          at: enabledPair ? enabledPair.value : spec ? spec.key : table.idNode,
          resource: table,
          messageId: enabledPair ? 'off' : cleaned ? 'connectionsCleaned' : 'notSet',
          ...(cleaned ? { severity: 'info' as const } : {}),
          data: { ...data, provenance: provenance(known) },
          fix: () => {
            const edits = ttlFix(target, template, table, known, values?.length ?? 0);
            const spec = asMap(get(table.properties, 'TimeToLiveSpecification'));
            const attribute = scalarText(get(spec, 'AttributeName')) ?? expiryAttribute(table);
            return (
              edits && {
                title: `Expire items with time to live on ${attribute}`,
                edits,
                needs: [
                  `Write ${attribute} on every item of ${table.logicalId}: the time it may be deleted, in epoch seconds (items without it never expire)`,
                ],
              }
            );
          },
        });
      }
    },
  },
});
