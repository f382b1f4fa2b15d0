import { replaceValue, type EditTarget } from '../../engine/edit';
import { intrinsic, type Resource, type Template } from '../../engine/parse/cloudformation';
import {
  asMap,
  asSeq,
  get,
  scalarText,
  type DataNode,
  type MapNode,
  type ScalarNode,
} from '../../engine/parse/tree';
import { defineRule, type Fix, type TextEdit } from '../../engine/rule';

const region =
  '(?:us|eu|ap|sa|ca|me|af|il|mx|cn)(?:-gov|-iso[a-z]?)?-(?:north|south|east|west|central|northeast|southeast|northwest|southwest)-\\d';
const regionOnly = new RegExp(`^${region}$`);
const accountOnly = /^\d{12}$/;

/** Places inside a string where a region or account is written: ARNs, endpoints, image URIs, queue URLs. */
const patterns: { pattern: RegExp; region?: number; account?: number }[] = [
  // arn:partition:service:region:account:resource
  {
    pattern: /arn:aws[a-z-]*:([a-z0-9-]+):([a-z0-9-]*|\$\{[^}]*\}):(\d{12}|\$\{[^}]*\})?:/dg,
    region: 2,
    account: 3,
  },
  // https://sqs.eu-west-1.amazonaws.com/123456789012/orders
  { pattern: new RegExp(`\\bsqs\\.(${region})\\.amazonaws\\.com/(\\d{12})/`, 'dg'), region: 1, account: 2 },
  // any other regional endpoint: dynamodb.eu-west-1.amazonaws.com, an ECR image (its registry may be
  // another account's, so only the region counts)
  { pattern: new RegExp(`\\.(${region})\\.amazonaws\\.com`, 'dg'), region: 1 },
  // the AWS CLI and cfn helper scripts in user data: --region eu-west-1
  { pattern: new RegExp(`--region[ =](${region})\\b`, 'dg'), region: 1 },
];

/** Keys whose bare value is the stack's own region or account. */
const regionKeys = /^(aws_)?(default_)?region$/i;
const accountKeys = /^(aws_)?account(_?id)?$|^(aws:)?(source|principal|resource)account$/i;

/**
 * Account ids the AWS documentation uses in examples, and other obvious fill-ins (one digit
 * twelve times, a run of consecutive digits): copied as written, they belong to nobody, and the
 * template is a sample to fill in rather than one tied to an account.
 */
const documentationAccounts = new Set(['123456789012', '111122223333', '444455556666', '112233445566']);

function isPlaceholderAccount(id: string): boolean {
  return documentationAccounts.has(id) || /^(\d)\1{11}$/.test(id) || '01234567890123456789'.includes(id);
}

/** Subtrees that name other regions or accounts on purpose. */
const crossKeys =
  /Replica|Replication|Peer|CrossRegion|CrossAccount|Principal|SourceRegion|DestinationRegion/i;
const crossTypes = /^AWS::(CloudFormation::StackSet|Organizations::|RAM::|Route53::RecordSet)/;

interface Literal {
  start: number;
  end: number;
  kind: 'region' | 'account';
  text: string;
  /** The region of a Lambda layer ARN: the layer's account and version differ in every region. */
  layer?: boolean;
}

interface Place {
  scalar: ScalarNode;
  /** The template string of an `Fn::Sub`, where `${AWS::Region}` can be written in place. */
  inSub: boolean;
  literals: Literal[];
  /** The whole value is the region or account (a bare `us-east-1`). */
  whole: boolean;
}

/** A cheap first look: most strings name no region and no account id at all. */
const mayHoldLiteral = new RegExp(`${region}|\\d{12}`);

function literalsIn(text: string, scalar: ScalarNode, key: string, resource: Resource): Literal[] {
  if (!mayHoldLiteral.test(String(scalar.value))) return [];
  const source = text.slice(scalar.span.start, scalar.span.end);
  const found: Literal[] = [];
  const cloudFront = resource.type === 'AWS::CloudFront::Distribution';
  // ARNs and queue URLs naming a placeholder account: the region beside it is a fill-in too.
  const placeholders: [number, number][] = [];
  for (const { pattern, region: r, account: a } of patterns) {
    for (const match of source.matchAll(pattern)) {
      const indices = (match as RegExpMatchArray & { indices: [number, number][] }).indices;
      const [start, end] = indices[0];
      if (placeholders.some(([s, e]) => start < e && s < end)) continue;
      if (a !== undefined && match[a] && isPlaceholderAccount(match[a])) {
        placeholders.push([start, end]);
        continue;
      }
      const service = pattern === patterns[0].pattern ? match[1] : '';
      const isLayer = service === 'lambda' && source.startsWith('layer:', indices[0][1]);
      if (r !== undefined && match[r] && regionOnly.test(match[r])) {
        // CloudFront only takes certificates and edge functions from us-east-1.
        const pinned =
          match[r] === 'us-east-1' && (service === 'acm' || (cloudFront && service === 'lambda'));
        if (!pinned)
          found.push({
            start: indices[r][0],
            end: indices[r][1],
            kind: 'region',
            text: match[r],
            ...(isLayer ? { layer: true } : {}),
          });
      }
      // A layer's account is its publisher's, not the stack's.
      if (a !== undefined && match[a] && accountOnly.test(match[a]) && !isLayer) {
        found.push({ start: indices[a][0], end: indices[a][1], kind: 'account', text: match[a] });
      }
    }
  }
  const value = String(scalar.value);
  const name = key;
  if (found.length === 0 && scalar.style !== 'literal' && scalar.style !== 'folded') {
    const offset = source.indexOf(value);
    if (offset >= 0 && regionOnly.test(value) && regionKeys.test(name)) {
      found.push({ start: offset, end: offset + value.length, kind: 'region', text: value });
    } else if (
      offset >= 0 &&
      accountOnly.test(value) &&
      accountKeys.test(name) &&
      !isPlaceholderAccount(value)
    ) {
      found.push({ start: offset, end: offset + value.length, kind: 'account', text: value });
    }
  }
  const unique = new Map(found.map((f) => [`${f.start}`, f]));
  return [...unique.values()]
    .sort((x, y) => x.start - y.start)
    .map((f) => ({ ...f, start: f.start + scalar.span.start, end: f.end + scalar.span.start }));
}

/** Every string under `node` that names a region or account, with where it sits. */
function places(
  text: string,
  resource: Resource,
  node: DataNode | undefined,
  key: string,
  inSub: boolean,
  out: Place[],
  depth = 0,
): void {
  if (!node || depth > 100 || node.type === 'alias') return;
  if (node.type === 'scalar') {
    if (typeof node.value !== 'string') {
      if (typeof node.value === 'number' && accountOnly.test(String(node.value))) {
        const literals = literalsIn(text, { ...node, value: String(node.value) }, key, resource);
        if (literals.length > 0) out.push({ scalar: node, inSub, literals, whole: true });
      }
      return;
    }
    const literals = literalsIn(text, node, key, resource);
    if (literals.length === 0) return;
    const whole =
      literals.length === 1 &&
      literals[0].end - literals[0].start === node.value.length &&
      (regionOnly.test(node.value) || accountOnly.test(node.value));
    out.push({ scalar: node, inSub, literals, whole });
    return;
  }
  if (node.type === 'seq') {
    for (const item of node.items) places(text, resource, item, key, false, out, depth + 1);
    return;
  }
  const fn = intrinsic(node);
  if (fn?.name === 'Fn::Sub') {
    const items = asSeq(fn.argument)?.items;
    if (items) {
      places(text, resource, items[0], key, true, out, depth + 1);
      places(text, resource, items[1], key, false, out, depth + 1);
    } else places(text, resource, fn.argument, key, true, out, depth + 1);
    return;
  }
  // `{Name: AWS_REGION, Value: eu-west-1}` (container environments): the value goes by the name.
  const named = scalarText(get(node, 'Name'));
  for (const pair of node.pairs) {
    const key = String(pair.key.value);
    if (crossKeys.test(key)) continue;
    const step = key === 'Value' && named ? named : key;
    places(text, resource, pair.value, step, false, out, depth + 1);
  }
}

const pseudo = { region: 'AWS::Region', account: 'AWS::AccountId' };

/** Write the pseudo parameters in place: `${AWS::Region}` in a Sub, or wrap the string in one. */
function pseudoFix(target: EditTarget, place: Place): Fix | undefined {
  const { scalar, literals } = place;
  const value = String(scalar.value);
  const title = `Use ${[...new Set(literals.map((l) => `\${${pseudo[l.kind]}}`))].join(' and ')}`;
  const needs = [
    'Check that each account and region replaced is the stack’s own, not another on purpose (a central logging account, a replica’s region): make those a parameter',
  ];
  if (place.whole && !place.inSub) {
    return { title, needs, edits: [replaceValue(target, scalar, { Ref: pseudo[literals[0].kind] })] };
  }
  // A plain string wrapped in Fn::Sub would turn its own ${…} into variables.
  if (!place.inSub && value.includes('${')) return undefined;
  const inner: TextEdit[] = literals.map((l) => ({
    start: l.start,
    end: l.end,
    text: `\${${pseudo[l.kind]}}`,
  }));
  if (place.inSub) return { title, needs, edits: inner };
  if (target.format === 'json') {
    return {
      title,
      needs,
      edits: [
        { start: scalar.span.start, end: scalar.span.start, text: '{ "Fn::Sub": ' },
        ...inner,
        { start: scalar.span.end, end: scalar.span.end, text: ' }' },
      ],
    };
  }
  if (scalar.style === 'plain') {
    // Rewrite a plain scalar quoted, so that `${…}` cannot upset a flow collection around it.
    let rewritten = '';
    let cursor = scalar.span.start;
    for (const edit of inner) {
      rewritten += target.text.slice(cursor, edit.start) + edit.text;
      cursor = edit.end;
    }
    rewritten += target.text.slice(cursor, scalar.span.end);
    return {
      title,
      needs,
      edits: [
        { start: scalar.span.start, end: scalar.span.end, text: `!Sub '${rewritten.replace(/'/g, "''")}'` },
      ],
    };
  }
  return {
    title,
    needs,
    edits: [{ start: scalar.span.start, end: scalar.span.start, text: '!Sub ' }, ...inner],
  };
}

function describe(literals: Literal[]): string {
  const regions = [...new Set(literals.filter((l) => l.kind === 'region').map((l) => l.text))];
  const accounts = [...new Set(literals.filter((l) => l.kind === 'account').map((l) => l.text))];
  const parts = [];
  if (regions.length > 0) parts.push(`region ${regions.join(', ')}`);
  if (accounts.length > 0) parts.push(`account ${accounts.join(', ')}`);
  return parts.join(' and ');
}

export default defineRule({
  id: 'infrastructure-as-code/hardcoded-account-or-region',
  lesson: 'infrastructure-as-code',
  title: 'Hard-coded account id or region',
  severity: 'warning',
  equivalents: [],
  fix: 'scaffold',
  messages: {
    hardCoded:
      '{{where}} hard-codes {{literals}}: the template only works there. Use the pseudo parameters AWS::Region and AWS::AccountId, or a parameter for another account.',
    layerRegion:
      '{{where}} uses a Lambda layer published in {{literals}}: the template only works there. Take the layer ARN from a parameter or a per-region Mappings entry (its account and version differ from region to region).',
  },
  docs: {
    what:
      'A region or a 12-digit account id written literally in a resource’s properties (or SAM `Globals`): inside ARNs, regional endpoints, ECR image URIs and queue URLs, ' +
      'and as the whole value of region or account settings (`REGION`, `AWS_REGION`, `AccountId`, `SourceAccount`, `aws:SourceAccount`, …). ' +
      'Left alone on purpose: IAM principals, replication and peering settings, stack sets, latency records, the account of a Lambda layer (its publisher’s; its region is reported, as the layer exists there only), ' +
      'and us-east-1 for certificates and edge functions, which CloudFront requires. ' +
      'Placeholder accounts are left alone too, with the region of the ARN or queue URL they sit in: the documentation’s `123456789012` and `111122223333`, one digit twelve times (`000000000000`), a run of consecutive digits. ' +
      'Such a value is a fill-in that whoever deploys must replace, and the deployment fails on it at once; it does not tie the template to an account.',
    why:
      'A template is meant to be deployed again: to a test account, to a second region for disaster recovery, by another team. ' +
      'Every literal account or region ties it to the place it was first written for; elsewhere it points at resources that do not exist or, worse, at the production account’s. ' +
      'The pseudo parameters `AWS::Region`, `AWS::AccountId` (and `AWS::Partition`) always name where the stack is being deployed; ' +
      'a value that really belongs to another account or region should be a parameter with a name that says so.',
    example: {
      language: 'yaml',
      code: `Worker:
  Type: AWS::Lambda::Function
  Properties:
    Environment:
      Variables:
        REGION: eu-west-1
        QUEUE_ARN: arn:aws:sqs:eu-west-1:123456789012:orders`,
    },
    useInstead: {
      language: 'yaml',
      code: `Worker:
  Type: AWS::Lambda::Function
  Properties:
    Environment:
      Variables:
        REGION: !Ref AWS::Region
        QUEUE_ARN: !Sub 'arn:\${AWS::Partition}:sqs:\${AWS::Region}:\${AWS::AccountId}:orders'`,
    },
    fix:
      'Writes `${AWS::Region}` and `${AWS::AccountId}` in place of the literals, turning the string into an `Fn::Sub` when it is not one, or `!Ref AWS::Region` for a bare value. ' +
      'A scaffold: an account or region may be another one on purpose (a central logging account, a replica’s region); make those a parameter instead. ' +
      'A Lambda layer ARN gets no fix: the same layer has another account and version in each region, so `${AWS::Region}` would name a layer that does not exist.',
    references: [
      {
        title: 'CloudFormation pseudo parameters',
        url: 'https://docs.aws.amazon.com/AWSCloudFormation/latest/UserGuide/pseudo-parameter-reference.html',
      },
    ],
  },
  checks: {
    cfn({ model: template, document, resources, target, report }) {
      const scopes: { resource: Resource; node: DataNode | undefined; globals?: boolean }[] = resources
        .filter((r) => !crossTypes.test(r.type ?? ''))
        // Properties chosen by an Fn::If hold literals like any others.
        .map((resource) => ({ resource, node: get(resource.node, 'Properties') }));
      const globals = asMap(template.globals);
      if (globals)
        scopes.push({ resource: globalsResource(template, globals), node: globals, globals: true });
      for (const { resource, node, globals: inGlobals } of scopes) {
        const found: Place[] = [];
        places(document.text, resource, node, '', false, found);
        for (const place of found) {
          // One finding per line of the string, from its first literal to its last.
          const byLine = new Map<number, Literal[]>();
          for (const literal of place.literals) {
            const line = document.lines.lineOf(literal.start);
            const onLine = byLine.get(line);
            if (onLine) onLine.push(literal);
            else byLine.set(line, [literal]);
          }
          // `${AWS::Region}` in a layer ARN names a layer that does not exist there: no fix for those.
          const layer = place.literals.some((l) => l.layer);
          for (const literals of byLine.values()) {
            const span = { start: literals[0].start, end: literals[literals.length - 1].end };
            report({
              at: span,
              // SAM Globals are no resource of their own.
              resource: inGlobals ? undefined : resource,
              messageId: literals.every((l) => l.layer) ? 'layerRegion' : 'hardCoded',
              data: { where: resource.logicalId, literals: describe(literals) },
              fix: layer ? undefined : () => pseudoFix(target, place),
            });
          }
        }
      }
    },
  },
});

/** SAM Globals, judged like a resource's properties. */
function globalsResource(template: Template, globals: MapNode): Resource {
  const pair = template.root.pairs.find((p) => p.key.value === 'Globals');
  return {
    logicalId: 'Globals',
    idNode: pair?.key ?? (globals.pairs[0]?.key as ScalarNode),
    pair: pair ?? globals.pairs[0],
    node: globals,
    type: undefined,
    typeNode: undefined,
    properties: globals,
    span: globals.span,
  };
}
