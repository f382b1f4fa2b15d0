import type { FileEdits, Runtime, SecretMove, WrittenValue } from '../../engine/applications';
import { referencedNames } from '../../engine/cfn/references';
import { addResource, uniqueLogicalId } from '../../engine/cfn/template-additions';
import {
  appendItem,
  insertPair,
  removePair,
  replaceScalar,
  replaceValue,
  type PlainValue,
} from '../../engine/edit';
import { nameWords } from '../../engine/names';
import { environmentOf, interpolate, isTestStack } from '../../engine/parse/compose';
import { property, type Resource, type Template } from '../../engine/parse/cloudformation';
import {
  asMap,
  asScalar,
  asSeq,
  get,
  getPair,
  getPath,
  resolved,
  type DataNode,
  type MapNode,
  type Pair,
  type SeqNode,
} from '../../engine/parse/tree';
import type { TextEdit } from '../../engine/text';
import type { ReadFile } from './files';
import type { ComposeFacts, ComposeService } from './compose';
import type { EcsContainer, LambdaFunction, TemplateFacts } from './template';

/**
 * Values of environment variables written out in the files that run the code, and their move
 * into Secrets Manager (ECS container `Secrets`; for Lambda, a variable holding the secret's
 * ARN), for rules about secrets given in plain text. Values are kept for judging only: the
 * edits never copy one.
 */

/** What the model knows of each runtime it links (as model.ts keeps it). */
type Host =
  | { kind: 'compose'; facts: ComposeFacts; service: ComposeService }
  | { kind: 'ecs'; facts: TemplateFacts; container: EcsContainer }
  | { kind: 'lambda'; facts: TemplateFacts; fn: LambdaFunction };

/** The written values of `variable`, one per place (two services of one task definition share it). */
export function writtenValues(hosts: ReadonlyMap<Runtime, Host>, variable: string): WrittenValue[] {
  const found: WrittenValue[] = [];
  const seen = new Set<string>();
  const add = (runtime: Runtime, file: ReadFile, node: DataNode | undefined, beside: string[]) => {
    const scalar = asScalar(resolved(node));
    if (!scalar || scalar.tag) return;
    if (typeof scalar.value !== 'string' && typeof scalar.value !== 'number') return;
    const key = `${file.path}\u0000${scalar.span.start}`;
    if (seen.has(key)) return;
    seen.add(key);
    found.push({ runtime, variable, value: String(scalar.value), at: file.place(scalar.span), beside });
  };
  for (const [runtime, host] of hosts) {
    if (host.kind === 'ecs') {
      const entry = environmentEntry(asSeq(get(host.container.definition, 'Environment')), variable);
      if (entry) {
        const settings = (asSeq(get(host.container.definition, 'Environment'))?.items ?? []).map((item) => ({
          name: String(asScalar(get(item, 'Name'))?.value ?? ''),
          value: asScalar(get(item, 'Value'))?.value,
        }));
        const beside = namesBeside([host.container.name, ...host.container.names], settings);
        add(runtime, host.facts.file, get(entry, 'Value'), beside);
      }
    } else if (host.kind === 'lambda') {
      const { template } = host.facts;
      const settings = host.fn.environment.map((v) => ({
        name: v.name,
        value: asScalar(functionVariable(template, host.fn.fn, v.name)?.value)?.value,
      }));
      const beside = namesBeside([host.fn.fn.logicalId], settings);
      add(runtime, host.facts.file, functionVariable(template, host.fn.fn, variable)?.value, beside);
    } else {
      const { facts, service } = host;
      // A test stack's services live for one run, with throw-away credentials.
      if (isTestStack(facts.file.path, facts.compose)) continue;
      const environment = environmentOf(service.service, facts.file.text);
      const beside = namesBeside([service.name, service.repository], environment);
      for (const entry of environment) {
        if (entry.name !== variable || entry.value === undefined || !entry.valueSpan) continue;
        // `${DB_PASSWORD}`, `${DB_PASSWORD:-…}`: the value comes from outside the file when it is set.
        if (interpolate(entry.value).variables.length > 0) continue;
        const key = `${facts.file.path}\u0000${entry.valueSpan.start}`;
        if (seen.has(key)) continue;
        seen.add(key);
        found.push({ runtime, variable, value: entry.value, at: facts.file.place(entry.valueSpan), beside });
      }
    }
  }
  return found;
}

/** Settings that name the account or database a secret belongs to: `POSTGRES_USER`, `DB_NAME`, `MYSQL_DATABASE`. */
const namingSetting = /(^|_)(USER|USERNAME|DB|DATABASE|DB_NAME|NAME)$/;

/** The names a runtime shows beside its variables, lower case (see `WrittenValue.beside`). */
function namesBeside(
  own: (string | undefined)[],
  settings: { name: string; value?: string | number | boolean | null }[],
): string[] {
  const names = new Set<string>();
  for (const name of own) if (name) names.add(name.toLowerCase());
  for (const setting of settings)
    if (namingSetting.test(setting.name) && typeof setting.value === 'string' && !setting.value.includes('$'))
      names.add(setting.value.toLowerCase());
  return [...names];
}

/** The `{Name, Value}` item of a container's `Environment` list for the variable. */
function environmentEntry(environment: SeqNode | undefined, variable: string): MapNode | undefined {
  for (const item of environment?.items ?? []) {
    const entry = asMap(resolved(item));
    if (entry && asScalar(get(entry, 'Name'))?.value === variable) return entry;
  }
  return undefined;
}

/** The function's own `Environment.Variables` pair for the variable, else the one of SAM's `Globals`. */
function functionVariable(template: Template, fn: Resource, variable: string): Pair | undefined {
  const own = getPair(getPath(property(fn, 'Environment')?.value, 'Variables'), variable);
  if (own || fn.type !== 'AWS::Serverless::Function') return own;
  return getPair(getPath(template.globals, 'Function', 'Environment', 'Variables'), variable);
}

const pascal = (name: string) =>
  nameWords(name)
    .map((w) => w[0].toUpperCase() + w.slice(1))
    .join('');

/** `api` + `DB_PASSWORD` → `ApiDbPasswordSecret`; `ledger-worker` + `LEDGER_DB_PASSWORD` → `LedgerDbPasswordSecret`. */
function secretBase(container: string, variable: string): string {
  const [first] = nameWords(container);
  const own = pascal(variable);
  return `${first && nameWords(variable)[0] === first ? '' : pascal(container)}${own}Secret`;
}

/** One container definition or function to move a variable out of. */
interface Move {
  facts: TemplateFacts;
  /** The task definition of the container, or the function. */
  resource: Resource;
  /** The container definition (ECS); absent for a function. */
  definition?: MapNode;
  /** In words, for the secret's description: `container api`, `function Reports`. */
  owner: string;
  variable: string;
  secret: string;
}

/**
 * Move the written values into new Secrets Manager secrets (generated values: the written one
 * is not copied), and let the runtimes read them. ECS containers get the secret through their
 * `Secrets` under the same variable, read by the task's execution role: the code does not
 * change. Lambda functions cannot be given a secret as a variable: when the caller can make the
 * code fetch it (`codeFetches`) and no ECS container is moved, each function is given the
 * secret's ARN in `<VARIABLE>_SECRET_ARN` instead, with read access to it, provided that no
 * other runtime of the code gives the variable. Other values are left.
 */
export function secretMove(
  hosts: ReadonlyMap<Runtime, Host>,
  values: WrittenValue[],
  options: { codeFetches: boolean } = { codeFetches: false },
): SecretMove | undefined {
  const left: WrittenValue[] = [];
  const moves = new Map<string, Move[]>();
  const seen = new Set<MapNode>();
  const reserved = new Map<Template, Set<string>>();
  const chosen = (template: Template, base: string) => {
    const taken = reserved.get(template) ?? new Set<string>();
    reserved.set(template, taken);
    const id = uniqueLogicalId(template, base, taken);
    taken.add(id);
    return id;
  };
  const add = (move: Omit<Move, 'secret'>, base: string) => {
    const list = moves.get(move.facts.file.path) ?? [];
    list.push({ ...move, secret: chosen(move.facts.template, base) });
    moves.set(move.facts.file.path, list);
  };
  const functions: { value: WrittenValue; host: Extract<Host, { kind: 'lambda' }> }[] = [];
  for (const value of values) {
    const host = hosts.get(value.runtime);
    if (!host || host.facts.file.path !== value.at.path || host.kind === 'compose') {
      left.push(value);
      continue;
    }
    if (host.kind === 'lambda') {
      functions.push({ value, host });
      continue;
    }
    const { facts, container } = host;
    const { template } = facts;
    if (seen.has(container.definition)) continue;
    const taskDefinition = template
      .resourcesOfType(['AWS::ECS::TaskDefinition'])
      .find((td) =>
        asSeq(property(td, 'ContainerDefinitions')?.value)?.items.some(
          (i) => asMap(i) === container.definition,
        ),
      );
    const secrets = get(container.definition, 'Secrets');
    if (
      !taskDefinition ||
      taskDefinition.loop ||
      (secrets && !asSeq(secrets)) ||
      !asMap(get(template.root, 'Resources'))
    ) {
      left.push(value);
      continue;
    }
    seen.add(container.definition);
    add(
      {
        facts,
        resource: taskDefinition,
        definition: container.definition,
        owner: `container ${container.name}`,
        variable: value.variable,
      },
      secretBase(container.name, value.variable),
    );
  }
  const arnVariable =
    moves.size === 0 && options.codeFetches && functions.length > 0
      ? `${values[0].variable}_SECRET_ARN`
      : undefined;
  if (arnVariable && functionsMovable(hosts, functions, arnVariable)) {
    for (const { value, host } of functions)
      add(
        {
          facts: host.facts,
          resource: host.fn.fn,
          owner: `function ${host.fn.fn.logicalId}`,
          variable: value.variable,
        },
        secretBase(host.fn.fn.logicalId, value.variable),
      );
  } else left.push(...functions.map((f) => f.value));
  if (moves.size === 0) return undefined;
  const edits: FileEdits[] = [];
  const needs: string[] = [];
  const secrets: string[] = [];
  let granted = true;
  for (const list of moves.values()) {
    const { file, template } = list[0].facts;
    const target = file.target;
    const fileEdits: TextEdit[] = [];
    // The policies each role of the template gets, and the resources added at the end.
    const roles = new Map<Resource, string[]>();
    const added: TextEdit[] = [];
    for (const move of list) {
      secrets.push(`Secrets Manager secret ${move.secret}`);
      fileEdits.push(
        ...(move.definition ? containerEdits(file, move) : functionEdits(file, move, arnVariable!)),
      );
      added.push(
        addResource(target, template, move.secret, {
          Type: 'AWS::SecretsManager::Secret',
          Properties: {
            Description: { 'Fn::Sub': `${move.variable} of ${move.owner} (\${AWS::StackName})` },
            GenerateSecretString: { PasswordLength: 32, ExcludeCharacters: '"@/\\\'' },
          },
        }),
      );
      const grant = move.definition
        ? executionRole(template, move.resource)
        : functionRole(template, move.resource);
      if (grant.resource) roles.set(grant.resource, [...(roles.get(grant.resource) ?? []), move.secret]);
      else if (grant.policies)
        fileEdits.push(samPolicyEdit(file, move.resource, grant.policies, move.secret));
      else if (grant.missing) {
        needs.push(`${grant.missing} ${move.secret}`);
        granted = false;
      }
    }
    for (const [role, granted] of roles) fileEdits.push(roleEdit(file, role, granted));
    fileEdits.push(...added);
    edits.push({ path: file.path, text: file.text, edits: joinInsertions(fileEdits) });
  }
  needs.push(
    `Put the real value in ${words(secrets.map((s) => s.replace(/^Secrets Manager secret /, '')))} if another party issues it (the template generates a new one), and rotate the value that was written: it stays in the repository's history`,
  );
  return { secrets, edits, needs, granted, left, ...(arnVariable ? { arnVariable } : {}) };
}

/**
 * Whether functions can be given the secret's ARN instead of the variable: each writes it in its
 * own `Environment.Variables` (a `Globals` one serves other functions too), none has the new
 * name yet, and no other runtime of the code gives the variable (its code would stop finding it).
 */
function functionsMovable(
  hosts: ReadonlyMap<Runtime, Host>,
  functions: { value: WrittenValue; host: Extract<Host, { kind: 'lambda' }> }[],
  arnVariable: string,
): boolean {
  const variable = functions[0].value.variable;
  for (const { host } of functions) {
    const variables = getPath(property(host.fn.fn, 'Environment')?.value, 'Variables');
    if (!getPair(variables, variable) || host.fn.fn.loop) return false;
    if (host.fn.environment.some((v) => v.name === arnVariable)) return false;
  }
  const moved = new Set(functions.map((f) => f.value.runtime));
  return [...hosts.keys()].every((r) => moved.has(r) || !r.environment.includes(variable));
}

/** The edits of one function: the variable becomes one holding the secret's ARN. */
function functionEdits(file: ReadFile, move: Move, arnVariable: string): TextEdit[] {
  const variables = getPath(property(move.resource, 'Environment')?.value, 'Variables');
  const pair = getPair(variables, move.variable)!;
  return [
    replaceScalar(file.target, pair.key, arnVariable),
    replaceValue(file.target, pair.value, { Ref: move.secret }),
  ];
}

/** Where a function gets read access to a new secret: its IAM role in the template, or SAM's `Policies`. */
function functionRole(
  template: Template,
  fn: Resource,
): { resource?: Resource; policies?: 'add' | SeqNode; missing?: string } {
  const role = property(fn, 'Role')?.value;
  if (role) {
    for (const id of referencedNames(role)) {
      const found = template.resourceById.get(id);
      if (
        found?.type === 'AWS::IAM::Role' &&
        found.properties &&
        !found.conditionalProperties &&
        !found.loop
      ) {
        const policies = get(found.properties, 'Policies');
        if (!policies || asSeq(policies)) return { resource: found };
      }
    }
    return { missing: `Allow the role of function ${fn.logicalId} secretsmanager:GetSecretValue on` };
  }
  if (fn.type === 'AWS::Serverless::Function') {
    const policies = property(fn, 'Policies')?.value;
    if (!policies) return { policies: 'add' };
    const list = asSeq(policies);
    if (list) return { policies: list };
  }
  return { missing: `Allow function ${fn.logicalId} secretsmanager:GetSecretValue on` };
}

/** SAM's policy template that reads one secret, added to the function's `Policies`. */
function samPolicyEdit(file: ReadFile, fn: Resource, policies: 'add' | SeqNode, secret: string): TextEdit {
  const policy: PlainValue = { AWSSecretsManagerGetSecretValuePolicy: { SecretArn: { Ref: secret } } };
  return policies === 'add'
    ? insertPair(file.target, fn.properties!, 'Policies', [policy])
    : appendItem(file.target, policies, policy);
}

/** The edits of one container definition: the `Environment` entry becomes a `Secrets` entry. */
function containerEdits(file: ReadFile, move: Move): TextEdit[] {
  const target = file.target;
  const definition = move.definition!;
  const environmentPair = getPair(definition, 'Environment')!;
  const environment = asSeq(environmentPair.value)!;
  const entry = environmentEntry(environment, move.variable)!;
  const valuePair = getPair(entry, 'Value')!;
  const reference: PlainValue = { Ref: move.secret };
  const secrets = asSeq(get(definition, 'Secrets'));
  if (!secrets && environment.items.length === 1) {
    // The only entry: the list is renamed, and its entry points at the secret.
    return [
      replaceScalar(target, environmentPair.key, 'Secrets'),
      replaceScalar(target, valuePair.key, 'ValueFrom'),
      replaceValue(target, valuePair.value, reference),
    ];
  }
  const removal =
    environment.items.length === 1
      ? removePair(target, definition, environmentPair)
      : removeItem(
          target,
          environment,
          environment.items.find((i) => asMap(resolved(i)) === entry)!,
        );
  const item = { Name: move.variable, ValueFrom: reference };
  const addition = secrets
    ? appendItem(target, secrets, item)
    : insertPair(target, definition, 'Secrets', [item]);
  // An addition inside the lines the removal takes (the removed entry ends the definition) goes after them.
  if (addition.start > removal.start && addition.start < removal.end) {
    const eol = file.lines.eol;
    const text = addition.text.startsWith(eol) ? addition.text.slice(eol.length) + eol : addition.text;
    return [removal, { start: removal.end, end: removal.end, text }];
  }
  return [removal, addition];
}

/** Remove an item of a list with its lines (block YAML) or its comma (JSON and flow YAML). */
function removeItem(target: ReadFile['target'], seq: SeqNode, item: DataNode): TextEdit {
  const { text, lines } = target;
  if (target.format === 'json' || seq.flow) {
    const index = seq.items.indexOf(item);
    const next = seq.items[index + 1];
    const previous = seq.items[index - 1];
    if (next) return { start: item.span.start, end: next.span.start, text: '' };
    if (previous) return { start: previous.span.end, end: item.span.end, text: '' };
    return { start: seq.span.start + 1, end: seq.span.end - 1, text: '' };
  }
  const firstLine = lines.lineOf(item.span.start);
  const endOffset = text[item.span.end - 1] === '\n' ? item.span.end - 1 : item.span.end;
  const lastLine = lines.lineOf(endOffset);
  const end = lastLine + 1 < lines.lineCount ? lines.lineStart(lastLine + 1) : text.length;
  return { start: lines.lineStart(firstLine), end, text: '' };
}

/** The IAM role of the template that the task definition runs with as its execution role, or what to do instead. */
function executionRole(
  template: Template,
  taskDefinition: Resource,
): { resource?: Resource; policies?: undefined; missing?: string } {
  const arn = property(taskDefinition, 'ExecutionRoleArn')?.value;
  if (!arn)
    return {
      missing: `Give task definition ${taskDefinition.logicalId} an execution role (ExecutionRoleArn) that may read`,
    };
  for (const id of referencedNames(arn)) {
    const role = template.resourceById.get(id);
    if (role?.type === 'AWS::IAM::Role' && role.properties && !role.conditionalProperties && !role.loop) {
      const policies = get(role.properties, 'Policies');
      if (!policies || asSeq(policies)) return { resource: role };
    }
  }
  return {
    missing: `Allow the execution role of task definition ${taskDefinition.logicalId} secretsmanager:GetSecretValue on`,
  };
}

/** An inline policy on the execution role that reads the new secrets. */
function roleEdit(file: ReadFile, role: Resource, secrets: string[]): TextEdit {
  const policy: PlainValue = {
    PolicyName: `Read${secrets.join('')}`,
    PolicyDocument: {
      Version: '2012-10-17',
      Statement: [
        {
          Effect: 'Allow',
          Action: 'secretsmanager:GetSecretValue',
          Resource: secrets.length === 1 ? { Ref: secrets[0] } : secrets.map((s) => ({ Ref: s })),
        },
      ],
    },
  };
  const policies = asSeq(get(role.properties, 'Policies'));
  return policies
    ? appendItem(file.target, policies, policy)
    : insertPair(file.target, role.properties!, 'Policies', [policy]);
}

/** Insertions at the same offset become one, in the order they were made (a role's policy before a new resource). */
function joinInsertions(edits: TextEdit[]): TextEdit[] {
  const joined: TextEdit[] = [];
  for (const edit of edits) {
    const same = joined.find((e) => e.start === edit.start && e.end === e.start && edit.end === edit.start);
    if (same) same.text += edit.text;
    else joined.push({ ...edit });
  }
  return joined.sort((a, b) => a.start - b.start || a.end - b.end);
}

function words(items: string[]): string {
  return items.length <= 1
    ? (items[0] ?? '')
    : `${items.slice(0, -1).join(', ')} and ${items[items.length - 1]}`;
}
