import type { Node } from '../../engine/parse/syntax-tree';
import { environmentEdits, environmentName } from '../../engine/code/env';
import { bindingsOf, calleeQualifiedName, callSites } from '../../engine/code/imports';
import { codeChildren, topLevelStatements } from '../../engine/code/edit';
import {
  callArguments,
  calleeName,
  dottedName,
  isFunction,
  keywordArgument,
  nodesOfType,
  ownDescendants,
  parameterNames,
  patternNames,
  positionalArguments,
  spanOfNode,
  stringLiteral,
  textIncludes,
  unwrapExpression,
} from '../../engine/code/syntax';
import { nameWords, upperSnake } from '../../engine/names';
import type { CodeModel } from '../../engine/parse/code';
import { defineRule, type CheckContext } from '../../engine/rule';
import { isNonSecretValue, isPlaceholder, isSecretName } from '../../engine/secret-names';

/** Values that are not a real secret: placeholders, names of variables, paths, messages. */
function looksLikeSecretValue(value: string, name: string): boolean {
  if (value.length < 3 || isNonSecretValue(value)) return false;
  if (isMessage(value)) return false;
  if (value.toLowerCase().replace(/[-_]/g, '') === name.toLowerCase().replace(/[-_]/g, '')) return false;
  // Template, format and shell placeholders (`${TOKEN}`, `%(password)s`, `$API_TOKEN`, `%SECRET%`).
  if (/^(\$\{.*\}|%\(?\w*\)?s|\$[A-Za-z_]\w*|%[A-Za-z_]\w*%)$/.test(value)) return false;
  // Names of things rather than secrets: `id_token`, `accountTokenHeader`, `msal.cache.encryption`,
  // header names (`X-Api-Key`), CSS selectors (`[type=password]`).
  const words = nameWords(value);
  if (
    /^[A-Za-z]\w*$/.test(value) &&
    words.length >= 2 &&
    /^(token|secret|key|password|header|type|id|name|field)$/.test(words[words.length - 1]) &&
    (/^(id|access|refresh|client|account|api|auth|session|csrf|x|bearer|user|grant|oauth|jwt|secret|password|token)$/.test(
      words[0],
    ) ||
      words.some((w) => /^(header|type|field|name)$/.test(w)))
  )
    return false;
  if (/^[a-z][\w-]*(\.[a-z][\w-]*)+$/i.test(value) && !/\d/.test(value)) return false;
  if (/^X-[A-Za-z0-9-]+$/.test(value) || /^[\w-]*\[[\w-]+([~|^$*]?=[^\]]*)?\]$/.test(value)) return false;
  // OAuth response types (`id_token token`, `code id_token`).
  if (/^(code|token|id_token)( (code|token|id_token))+$/.test(value)) return false;
  // A bare `token` is as often a lexer's, a design or an option's token (`priority-mail-express`):
  // only values that look generated count.
  if (name === 'token' && !/\d/.test(value) && (value.length < 16 || /^[a-z]+(-[a-z]+)+$/.test(value)))
    return false;
  // Patterns (a lexer's `name_token = r'[^\W\d]\w*'`) are not secrets.
  if (/\\[wdsWDSbB]|\[\^|\(\?[:=!<]/.test(value)) return false;
  // Masks (`:****`) and the names of authentication schemes (`default_token='Bearer'`).
  if (
    /\*\*\*|•••/.test(value) ||
    /^(bearer|basic|digest|token|jwt|mac|hawk|negotiate|oauth|apikey|api-key)$/i.test(value)
  )
    return false;
  if (/^[A-Z][A-Z0-9]*(_[A-Z0-9]+)+$/.test(value)) return false; // the name of an environment variable
  if (value.includes('://') || value.startsWith('/') || /^[\w.-]*\/[\w./-]*$/.test(value)) return false;
  if (/\.(pem|key|crt|cer|json|txt|p12|pfx|jks)$/i.test(value)) return false;
  // Formats the credential scanner knows (AWS, GitHub, Slack, OpenAI, npm, keys): reported there.
  if (
    /^(AKIA|ASIA)[A-Z0-9]{16}$|^gh[pousr]_|^github_pat_|^xox[abposr]-|^sk-|^glpat-|^npm_|^SG\.|^-----BEGIN/.test(
      value,
    )
  )
    return false;
  return true;
}

/**
 * Messages, labels and validation errors (`Password is required`, `can't be blank`, `is too
 * short (minimum is 8 characters)`), not secrets; a phrase such as 'keyboard cat' or 'super
 * secret key' is one.
 */
function isMessage(value: string): boolean {
  if (!/\s/.test(value)) return false;
  if (/^[A-Z][a-z]+\s|[.!?:]$|\n/.test(value)) return true;
  if (
    /\b(is|are|be|been|was|must|should|can|cannot|can't|doesn't|don't|isn't|required|invalid|incorrect|enter|please|wrong|not|your|the|blank|empty|missing|too|short|long|least|most|match|matches|characters?|minimum|maximum|confirmation|taken|format)\b/i.test(
      value,
    )
  )
    return true;
  return false;
}

interface Candidate {
  literal: Node;
  name: string;
  /** `process.env.X || '…'`: the whole expression, which the fix replaces by the environment read. */
  fallbackOf?: { expression: Node; envName: string };
  /** Handed to a signing call, perhaps through a variable of any name (`material`). */
  signing?: boolean;
}

export default defineRule({
  id: 'secrets-management/hardcoded-password',
  lesson: 'secrets-management',
  title: 'Password or secret written in code',
  severity: 'error',
  equivalents: ['S105', 'S106', 'S107'],
  fix: 'scaffold',
  messages: {
    inCode:
      '`{{name}}` is a secret written in the code: everyone who can read the repository or an image built from it has it, and it is the same in every environment. Read it from the environment, filled from a secrets manager.',
    fallsBack:
      '`{{name}}` falls back to a secret written in the code when {{variable}} is not set: a deployment that misses the variable runs with this well-known value instead of failing. Drop the fall-back.',
  },
  docs: {
    what:
      'String literals given to names that hold secrets: variables, attributes, object keys, keyword arguments and default parameters called `password`, `passwd`, `secret`, `token`, `api_key`, `secret_key`, `client_secret` and the like, also with a number, an owner or an environment after the secret word (`password2`, `PASSWORD_ADMIN`, `secretKeyProd`); ' +
      'secrets passed to signing functions (`jwt.sign(payload, "…")` and `jwt.encode(…, key="…")` in jsonwebtoken, PyJWT and python-jose, jose\'s `SignJWT(…).sign(…)` and `jwtVerify`, `cookieParser("…")`, `createHmac`, `new Sequelize(db, user, "…")`), directly, through a constant of the module or of the function around the call (a `const` declared before it, in Python the one assignment in the function\'s body), or encoded (`b"…"`, `"…".encode()`, `new TextEncoder().encode("…")`, `Buffer.from("…")`); ' +
      'and literal fall-backs for secrets read from the environment (`process.env.JWT_SECRET || "dev"`, `cond ? process.env.JWT_SECRET : "dev"`, `os.environ.get("SECRET_KEY", "dev")`, a warning). ' +
      "Placeholders (`${TOKEN}`, `{password}`, `your-key-here`, values that ask to be changed such as `changeme`, `change-this`, `replace-me`, `set-me`, `your-password`, `example-…`, `xxxx`, a short pattern repeated; the same list for every secret rule, except as the fall-back of an environment read, where the app really runs with it), names of environment variables, paths, messages and validation errors (`can't be blank`) are left alone, as are test files. Values in a known credential format are reported by `secrets-management/hardcoded-credential` instead.",
    why:
      'A secret in the source is shared with everyone who can read the repository, its forks, its CI logs and every image built from it, and it stays in the history after it is removed. ' +
      'It is also the same in every environment, so a leak from a laptop opens production, and changing it needs a deployment. ' +
      'A fall-back default is worse than it looks: when the variable is missing in production, the app starts quietly with the well-known value instead of failing. ' +
      'The fix reads the value from the environment, which the platform fills from a secrets manager (Secrets Manager, SSM Parameter Store, a Kubernetes secret).',
    example: {
      language: 'javascript',
      code: `const token = jwt.sign({ sub: user.id }, 'keyboard cat');

const pool = new Pool({ host: process.env.PGHOST, password: 'S3cr3t!' });`,
    },
    useInstead: {
      language: 'javascript',
      code: `// Filled by the platform from Secrets Manager / SSM (ECS secrets, Lambda env, K8s secret)
const token = jwt.sign({ sub: user.id }, process.env.JWT_SECRET);

const pool = new Pool({ host: process.env.PGHOST, password: process.env.PGPASSWORD });`,
    },
    references: [
      {
        title: 'OWASP Secrets Management Cheat Sheet',
        url: 'https://cheatsheetseries.owasp.org/cheatsheets/Secrets_Management_Cheat_Sheet.html',
      },
      { title: 'The Twelve-Factor App: config', url: 'https://12factor.net/config' },
      {
        title: 'AWS Secrets Manager: retrieve secrets in applications',
        url: 'https://docs.aws.amazon.com/secretsmanager/latest/userguide/retrieving-secrets.html',
      },
    ],
    fix:
      'Replaces the literal, or the read with a literal fall-back, with a read of the environment that has no default (`process.env.NAME`, `os.environ["NAME"]`, adding `import os`). ' +
      'A scaffold: the variable must then be set wherever the app runs, from a secrets manager, or the app fails; rotate the secret, which stays in the history.',
  },
  checks: {
    js: (context) => check(context),
    py: (context) => check(context),
  },
});

function check({ model, document, report }: CheckContext<CodeModel>): void {
  if (document.path.endsWith('.d.ts')) return;
  // Translations label the password field ("Passwort", "Mot de passe"): words, not secrets.
  if (/[\\/](locales?|i18n|l10n|lang|langs|translations|messages)[\\/]/i.test(document.path)) return;
  const seen = new Set<number>();
  for (const candidate of candidates(model)) {
    // A constant that is named like a secret and handed to a signing call is one finding.
    if (seen.has(candidate.literal.id)) continue;
    seen.add(candidate.literal.id);
    const value = literalValue(candidate.literal);
    if (value === undefined) continue;
    // A placeholder in a fall-back is the key the app really runs with when the variable is unset.
    if (!looksLikeSecretValue(value, candidate.name) && !(candidate.fallbackOf && isPlaceholder(value)))
      continue;
    const label = candidate.name || 'secret';
    if (candidate.fallbackOf) {
      const { expression, envName } = candidate.fallbackOf;
      report({
        at: { span: spanOfNode(candidate.literal) },
        secret: stringLiteral(candidate.literal)?.content ?? spanOfNode(candidate.literal),
        severity: 'warning',
        messageId: 'fallsBack',
        data: { name: label, variable: envName },
        fix: () => ({
          title: `Require ${envName} instead of falling back to a literal`,
          edits: environmentEdits(model, document.lines, expression, envName, { keepDefault: false }),
          needs: secretNeeds(envName),
        }),
      });
      continue;
    }
    report({
      at: { span: spanOfNode(candidate.literal) },
      secret: stringLiteral(candidate.literal)?.content ?? spanOfNode(candidate.literal),
      messageId: 'inCode',
      data: { name: label },
      fix: () => {
        const fallback = upperSnake(label) || 'APP_SECRET';
        const own = environmentName(model, candidate.literal, fallback);
        // `const KEY = '…'` handed to jwt.sign: the call says better what it is.
        // So does it when the variable's name says nothing of a secret (`material`).
        const name =
          /^(KEY|SECRET|TOKEN)$/.test(own) || (candidate.signing && !isSecretName(own)) ? fallback : own;
        const edits = environmentEdits(model, document.lines, candidate.literal, name, {
          keepDefault: false,
        });
        // A bytes literal stays bytes.
        if (isBytes(candidate.literal)) edits[0] = { ...edits[0], text: `${edits[0].text}.encode()` };
        return {
          title: `Read ${name} from the environment`,
          edits,
          needs: secretNeeds(name),
        };
      },
    });
  }
}

/** What is left to do once the literal is gone. */
function secretNeeds(name: string): string[] {
  return [
    `Set ${name} wherever the app runs, from a secrets manager (the app fails without it)`,
    'Rotate the secret: the old value stays in the repository history',
  ];
}

function isBytes(node: Node): boolean {
  const start = codeChildren(node).find((c) => c.type === 'string_start');
  return !!start && /b/i.test(start.text);
}

/** The text of a string literal, Python bytes included (escapes as written). */
function literalValue(node: Node): string | undefined {
  const plain = stringLiteral(node);
  if (plain) return plain.value;
  if (!isBytes(node)) return undefined;
  const parts = codeChildren(node);
  if (parts.some((p) => p.type === 'interpolation')) return undefined;
  const start = parts.find((p) => p.type === 'string_start')!;
  const end = parts.find((p) => p.type === 'string_end');
  if (!end) return undefined;
  return node.text.slice(start.endIndex - node.startIndex, end.startIndex - node.startIndex);
}

/** Literals in secret positions, whatever their value (the caller judges the value). */
function candidates(model: CodeModel): Candidate[] {
  const found: Candidate[] = [];
  const python = model.grammar === 'python';
  const isLiteral = (n: Node | null | undefined): n is Node =>
    !!n && (n.type === 'string' || n.type === 'template_string');
  const push = (value: Node | null | undefined, name: string) => {
    if (!value || !isSecretName(name)) return;
    const literal = isLiteral(value) ? value : secretLiteral(value);
    if (literal && !isFallbackPart(literal)) found.push({ literal, name });
  };
  const targetName = (target: Node | null | undefined): string => {
    if (!target) return '';
    if (target.type === 'subscript' || target.type === 'subscript_expression') {
      const key = stringLiteral(
        target.childForFieldName(target.type === 'subscript' ? 'subscript' : 'index'),
      );
      return key?.value ?? '';
    }
    return (dottedName(target) ?? target.text).split('.').pop() ?? '';
  };

  if (python) {
    for (const node of nodesOfType(model, [
      'assignment',
      'keyword_argument',
      'pair',
      'default_parameter',
      'typed_default_parameter',
    ])) {
      if (!node) continue;
      if (node.type === 'assignment')
        push(node.childForFieldName('right'), targetName(node.childForFieldName('left')));
      else if (node.type === 'keyword_argument')
        push(node.childForFieldName('value'), node.childForFieldName('name')?.text ?? '');
      else if (node.type === 'pair')
        push(node.childForFieldName('value'), stringLiteral(node.childForFieldName('key'))?.value ?? '');
      else push(node.childForFieldName('value'), node.childForFieldName('name')?.text ?? '');
    }
  } else {
    for (const node of nodesOfType(model, [
      'variable_declarator',
      'assignment_expression',
      'pair',
      'assignment_pattern',
      'public_field_definition',
      'field_definition',
    ])) {
      if (!node) continue;
      switch (node.type) {
        case 'variable_declarator':
          push(node.childForFieldName('value'), node.childForFieldName('name')?.text ?? '');
          break;
        case 'assignment_expression':
          push(node.childForFieldName('right'), targetName(node.childForFieldName('left')));
          break;
        case 'pair': {
          const key = node.childForFieldName('key');
          push(node.childForFieldName('value'), stringLiteral(key)?.value ?? key?.text ?? '');
          break;
        }
        case 'assignment_pattern':
          push(node.childForFieldName('right'), node.childForFieldName('left')?.text ?? '');
          break;
        default:
          push(
            node.childForFieldName('value'),
            (node.childForFieldName('name') ?? node.childForFieldName('property'))?.text ?? '',
          );
      }
    }
  }
  found.push(...positionalSecrets(model), ...fallbacks(model));
  return found;
}

/** A literal that is the fall-back of an environment read is judged by `fallbacks`. */
function isFallbackPart(literal: Node): boolean {
  const parent = literal.parent;
  if (parent?.type === 'binary_expression' || parent?.type === 'boolean_operator')
    return !!environmentVariable(parent.childForFieldName('left'));
  if (parent?.type === 'argument_list') return !!environmentVariable(parent.parent);
  if (parent?.type === 'ternary_expression' || parent?.type === 'conditional_expression')
    return !!conditionalFallback(parent);
  return false;
}

/**
 * `cond ? process.env.X : '…'`, `process.env.X ? process.env.X : '…'`, Python
 * `os.environ["X"] if cond else "…"`: the environment read and the literal of the other branch.
 */
function conditionalFallback(node: Node): { envName: string; literal: Node } | undefined {
  let branches: (Node | null)[];
  if (node.type === 'ternary_expression')
    branches = [node.childForFieldName('consequence'), node.childForFieldName('alternative')];
  else if (node.type === 'conditional_expression') {
    const parts = codeChildren(node);
    branches = [parts[0] ?? null, parts[2] ?? null];
  } else return undefined;
  const [first, second] = branches.map((b) => unwrapExpression(b) ?? null);
  for (const [read, other] of [
    [first, second],
    [second, first],
  ]) {
    const envName = environmentVariable(read);
    if (envName && other && (other.type === 'string' || other.type === 'template_string'))
      return { envName, literal: other };
  }
  return undefined;
}

/** Secrets functions take by position, by qualified callee name and argument index. */
const positional: Record<string, number> = {
  'jsonwebtoken.sign': 1,
  'jsonwebtoken.verify': 1,
  'cookie-parser': 0,
  'crypto.createHmac': 1,
  'node:crypto.createHmac': 1,
  sequelize: 2,
  'sequelize.Sequelize': 2,
  'jwt.encode': 1,
  'jwt.decode': 1,
  'jose.jwt.encode': 1,
  'jose.jwt.decode': 1,
  'jose.jwtVerify': 1,
  'jose.compactVerify': 1,
  'jose.jwtDecrypt': 1,
  'jose.createSecretKey': 0,
  'crypto.createSecretKey': 0,
  'node:crypto.createSecretKey': 0,
  'itsdangerous.URLSafeTimedSerializer': 0,
  'itsdangerous.URLSafeSerializer': 0,
};

/** `jwt.encode(payload, key="…")` (PyJWT, python-jose): the key by keyword. */
const keywordKeys = /^(jwt|jose\.jwt)\.(encode|decode)$/;

function positionalSecrets(model: CodeModel): Candidate[] {
  const found: Candidate[] = [];
  const bindings = bindingsOf(model);
  const python = model.grammar === 'python';
  const constants = moduleLiterals(model);
  const type = python ? 'call' : ['call_expression', 'new_expression'];
  // The calls of the file resolved once for every rule (the same nodes in the same order), whose
  // qualified names are those asked here whenever the file imports anything.
  const sites = bindings.size > 0 ? callSites(model) : undefined;
  const calls = nodesOfType(model, type);
  for (let i = 0; i < calls.length; i++) {
    const call = calls[i];
    if (!call) continue;
    const site = sites?.[i];
    const name = site ? site.name : calleeQualifiedName(call, bindings);
    let index = name === undefined ? undefined : positional[name];
    // jose: `new SignJWT(claims).setProtectedHeader(…).sign(key)`, `new CompactSign(…).sign(key)`.
    if (
      index === undefined &&
      !python &&
      (site ? site.method : calleeName(call)) === 'sign' &&
      /\b(SignJWT|CompactSign|FlattenedSign|GeneralSign)\b/.test(
        call.childForFieldName('function')?.text ?? '',
      )
    )
      index = 0;
    if (index === undefined) continue;
    const args = python ? positionalArguments(call) : callArguments(call);
    let given: Node | undefined = args[index];
    if (!given && python && keywordKeys.test(name ?? ''))
      given = keywordArgument(call, 'key')?.childForFieldName('value') ?? undefined;
    // A key kept in a constant of the function (`const key = new TextEncoder().encode('…')`) or
    // of the module (`const KEY = '…'`) is written in the code too; a parameter or another local
    // of that name hides the module's constant.
    if (given?.type === 'identifier') {
      const local = localBinding(given.text, call, python);
      given = local ? local.value : constants.get(given.text);
    }
    const literal = given && secretLiteral(given);
    if (!literal) continue;
    const label = /Hmac/.test(name ?? '')
      ? 'HMAC key'
      : /sequelize/.test(name ?? '')
        ? 'database password'
        : /cookie-parser|itsdangerous/.test(name ?? '')
          ? 'signing secret'
          : /SecretKey/.test(name ?? '')
            ? 'secret key'
            : 'JWT secret';
    found.push({ literal, name: label, signing: true });
  }
  return found;
}

/**
 * What `name` is bound to in the functions around `at`, when a function binds it: a `const`
 * declared before `at` in a block around it (JavaScript), or the one assignment to it in the
 * body of a function around it, before `at` (Python); `value` is undefined for any other local
 * binding (a parameter, a `let`, a name assigned more than once or under a condition).
 * Undefined when no function binds the name: the module's binding applies.
 */
function localBinding(name: string, at: Node, python: boolean): { value?: Node } | undefined {
  for (let node = at.parent; node && node.type !== 'program' && node.type !== 'module'; node = node.parent) {
    if (isFunction(node)) {
      if (parameterNames(node).includes(name)) return {};
      if (python && node.type === 'function_definition') {
        const assignments = ownDescendants(node, 'assignment').filter((a) =>
          patternNames(a.childForFieldName('left')).includes(name),
        );
        if (assignments.length === 0) continue;
        const [only] = assignments;
        const direct =
          assignments.length === 1 &&
          only.childForFieldName('left')?.type === 'identifier' &&
          only.parent?.type === 'expression_statement' &&
          only.parent.parent?.id === node.childForFieldName('body')?.id &&
          only.endIndex <= at.startIndex;
        return direct ? { value: only.childForFieldName('right') ?? undefined } : {};
      }
      continue;
    }
    if (python) continue;
    if (node.type === 'for_in_statement' && patternNames(node.childForFieldName('left')).includes(name))
      return {};
    if (node.type !== 'statement_block') continue;
    for (const statement of codeChildren(node)) {
      if (statement.type !== 'lexical_declaration' && statement.type !== 'variable_declaration') continue;
      for (const declarator of codeChildren(statement)) {
        const id = declarator.childForFieldName('name');
        if (!patternNames(id).includes(name)) continue;
        const kind = statement.childForFieldName('kind')?.text ?? statement.children[0]?.text;
        const constant =
          kind === 'const' && id?.type === 'identifier' && declarator.endIndex <= at.startIndex;
        return constant ? { value: declarator.childForFieldName('value') ?? undefined } : {};
      }
    }
  }
  return undefined;
}

/** Top-level `const NAME = '…'` / `NAME = "…"` of the file: the literal by name. */
function moduleLiterals(model: CodeModel): Map<string, Node> {
  const found = new Map<string, Node>();
  for (const statement of topLevelStatements(model.root)) {
    const declaration =
      statement.type === 'export_statement' ? statement.childForFieldName('declaration') : statement;
    if (declaration?.type === 'lexical_declaration' || declaration?.type === 'variable_declaration') {
      for (const declarator of codeChildren(declaration)) {
        const name = declarator.childForFieldName('name');
        const value = declarator.childForFieldName('value');
        if (name?.type === 'identifier' && value) found.set(name.text, value);
      }
    } else if (declaration?.type === 'expression_statement') {
      const assignment = declaration.namedChildren[0];
      const left = assignment?.type === 'assignment' ? assignment.childForFieldName('left') : undefined;
      const right = assignment?.childForFieldName('right');
      if (left?.type === 'identifier' && right) found.set(left.text, right);
    }
  }
  return found;
}

/**
 * The string literal a secret is written as, through the encoders that turn it into a key:
 * `'…'`, Python `b'…'`, `'…'.encode()`, `bytes('…', 'utf-8')`, `new TextEncoder().encode('…')`,
 * `Buffer.from('…')`, `createSecretKey(…)`.
 */
function secretLiteral(node: Node | null | undefined): Node | undefined {
  const value = unwrapExpression(node);
  if (!value) return undefined;
  if (value.type === 'string' || value.type === 'template_string') return value;
  if (value.type !== 'call' && value.type !== 'call_expression') return undefined;
  const callee = value.childForFieldName('function');
  const method = callee ? (dottedName(callee) ?? callee.text).split('.').pop() : undefined;
  const args = callArguments(value).filter((a) => a.type !== 'keyword_argument');
  if (method === 'encode' && (callee?.type === 'attribute' || callee?.type === 'member_expression')) {
    const object = callee.childForFieldName('object');
    if (object?.type === 'string') return object;
    if (/^new\s+TextEncoder\s*\(/.test(object?.text ?? '')) return secretLiteral(args[0]);
    return undefined;
  }
  if (callee?.text === 'bytes' || callee?.text === 'Buffer.from' || method === 'createSecretKey')
    return secretLiteral(args[0]);
  return undefined;
}

/** `process.env.X` / `process.env['X']` / `os.environ.get("X")` / `os.getenv("X")` / `os.environ["X"]` → X. */
function environmentVariable(node: Node | null | undefined): string | undefined {
  if (!node) return undefined;
  if (node.type === 'member_expression' || node.type === 'subscript_expression') {
    const object = node.childForFieldName('object');
    if (object?.text !== 'process.env') return undefined;
    return node.type === 'member_expression'
      ? node.childForFieldName('property')?.text
      : stringLiteral(node.childForFieldName('index'))?.value;
  }
  if (node.type === 'subscript' && node.childForFieldName('value')?.text === 'os.environ')
    return stringLiteral(node.childForFieldName('subscript'))?.value;
  if (node.type === 'call') {
    const callee = node.childForFieldName('function')?.text;
    if (
      callee === 'os.environ.get' ||
      callee === 'os.getenv' ||
      callee === 'environ.get' ||
      callee === 'getenv'
    )
      return stringLiteral(positionalArguments(node)[0])?.value;
  }
  return undefined;
}

/** `process.env.X || 'dev'`, `process.env.X ?? 'dev'`, `os.environ.get("X", "dev")`, `os.getenv("X") or "dev"`. */
function fallbacks(model: CodeModel): Candidate[] {
  const found: Candidate[] = [];
  if (model.grammar === 'python') {
    for (const call of nodesOfType(model, 'call')) {
      // Every read of the environment names `env` (process.env, os.environ, getenv): most
      // nodes are passed over on their text.
      if (!textIncludes(model, call, 'env')) continue;
      const envName = call && environmentVariable(call);
      if (!call || !envName) continue;
      const fallback =
        positionalArguments(call)[1] ??
        callArguments(call)
          .find((a) => a.childForFieldName('name')?.text === 'default')
          ?.childForFieldName('value');
      if (fallback?.type === 'string' && isSecretName(envName))
        found.push({ literal: fallback, name: envName, fallbackOf: { expression: call, envName } });
    }
    for (const conditional of nodesOfType(model, 'conditional_expression')) {
      const fallback = conditional && conditionalFallback(conditional);
      if (conditional && fallback && isSecretName(fallback.envName))
        found.push({
          literal: fallback.literal,
          name: fallback.envName,
          fallbackOf: { expression: conditional, envName: fallback.envName },
        });
    }
    for (const operator of nodesOfType(model, 'boolean_operator')) {
      if (!textIncludes(model, operator, 'env')) continue;
      const envName = operator && environmentVariable(operator.childForFieldName('left'));
      const right = operator?.childForFieldName('right');
      if (operator && envName && right?.type === 'string' && isSecretName(envName))
        found.push({ literal: right, name: envName, fallbackOf: { expression: operator, envName } });
    }
    return found;
  }
  for (const ternary of nodesOfType(model, 'ternary_expression')) {
    const fallback = ternary && conditionalFallback(ternary);
    if (ternary && fallback && isSecretName(fallback.envName))
      found.push({
        literal: fallback.literal,
        name: fallback.envName,
        fallbackOf: { expression: ternary, envName: fallback.envName },
      });
  }
  for (const binary of nodesOfType(model, 'binary_expression')) {
    if (!binary || !textIncludes(model, binary, 'env')) continue;
    const operator = binary.children.find((c) => c && !c.isNamed)?.text;
    if (operator !== '||' && operator !== '??') continue;
    const envName = environmentVariable(binary.childForFieldName('left'));
    const right = binary.childForFieldName('right');
    if (
      envName &&
      right &&
      (right.type === 'string' || right.type === 'template_string') &&
      isSecretName(envName)
    )
      found.push({ literal: right, name: envName, fallbackOf: { expression: binary, envName } });
  }
  return found;
}
