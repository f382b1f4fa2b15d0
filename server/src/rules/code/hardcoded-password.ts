import type { Node } from 'web-tree-sitter';
import { environmentEdits, environmentName } from '../../engine/code/env';
import { bindingsOf, calleeQualifiedName } from '../../engine/code/imports';
import {
  callArguments,
  dottedName,
  nodesOfType,
  positionalArguments,
  spanOfNode,
  stringLiteral,
} from '../../engine/code/syntax';
import { nameWords, upperSnake } from '../../engine/names';
import type { CodeModel } from '../../engine/parse/code';
import { defineRule, type CheckContext } from '../../engine/rule';
import { isNonSecretValue, isSecretName } from '../../engine/secret-names';

/** Values that are not a real secret: placeholders, names of variables, paths, messages. */
function looksLikeSecretValue(value: string, name: string): boolean {
  if (value.length < 3 || isNonSecretValue(value)) return false;
  // Messages and labels ("Password is required"), not secrets; 'keyboard cat' is one.
  if (
    /\s/.test(value) &&
    (/^[A-Z][a-z]+\s|[.!?:]$|\n/.test(value) ||
      /\b(is|are|must|required|invalid|incorrect|enter|please|wrong|not|your|the)\b/i.test(value))
  )
    return false;
  if (value.toLowerCase().replace(/[-_]/g, '') === name.toLowerCase().replace(/[-_]/g, '')) return false;
  // Template and format placeholders (`${TOKEN}`, `%(password)s`).
  if (/^(\$\{.*\}|%\(?\w*\)?s)$/.test(value)) return false;
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

interface Candidate {
  literal: Node;
  name: string;
  /** `process.env.X || '…'`: the whole expression, which the fix replaces by the environment read. */
  fallbackOf?: { expression: Node; envName: string };
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
      'String literals given to names that hold secrets: variables, attributes, object keys, keyword arguments and default parameters called `password`, `passwd`, `secret`, `token`, `api_key`, `secret_key`, `client_secret` and the like, ' +
      'secrets passed by position (`jwt.sign(payload, "…")`, `cookieParser("…")`, `new Sequelize(db, user, "…")`), ' +
      'and literal fall-backs for secrets read from the environment (`process.env.JWT_SECRET || "dev"`, `os.environ.get("SECRET_KEY", "dev")`, a warning). ' +
      'Placeholders, names of environment variables, paths and messages are left alone, as are test files. Values in a known credential format are reported by `secrets-management/hardcoded-credential` instead.',
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
  for (const candidate of candidates(model)) {
    const literal = stringLiteral(candidate.literal);
    if (!literal || !looksLikeSecretValue(literal.value, candidate.name)) continue;
    const label = candidate.name || 'secret';
    if (candidate.fallbackOf) {
      const { expression, envName } = candidate.fallbackOf;
      report({
        at: { span: spanOfNode(candidate.literal) },
        severity: 'warning',
        messageId: 'fallsBack',
        data: { name: label, variable: envName },
        fix: () => ({
          title: `Require ${envName} instead of falling back to a literal`,
          edits: environmentEdits(model, document.lines, expression, envName, { keepDefault: false }),
        }),
      });
      continue;
    }
    report({
      at: { span: spanOfNode(candidate.literal) },
      messageId: 'inCode',
      data: { name: label },
      fix: () => {
        const name = environmentName(model, candidate.literal, upperSnake(label) || 'APP_SECRET');
        return {
          title: `Read ${name} from the environment`,
          edits: environmentEdits(model, document.lines, candidate.literal, name, { keepDefault: false }),
        };
      },
    });
  }
}

/** Literals in secret positions, whatever their value (the caller judges the value). */
function candidates(model: CodeModel): Candidate[] {
  const found: Candidate[] = [];
  const python = model.grammar === 'python';
  const root = model.root;
  const isLiteral = (n: Node | null | undefined): n is Node =>
    !!n && (n.type === 'string' || n.type === 'template_string');
  const push = (literal: Node | null | undefined, name: string) => {
    if (isLiteral(literal) && isSecretName(name) && !isFallbackPart(literal)) found.push({ literal, name });
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
    for (const node of root.descendantsOfType([
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
    for (const node of root.descendantsOfType([
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
  return false;
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
  'itsdangerous.URLSafeTimedSerializer': 0,
  'itsdangerous.URLSafeSerializer': 0,
};

function positionalSecrets(model: CodeModel): Candidate[] {
  const found: Candidate[] = [];
  const bindings = bindingsOf(model);
  const type = model.grammar === 'python' ? 'call' : ['call_expression', 'new_expression'];
  for (const call of nodesOfType(model, type)) {
    if (!call) continue;
    const name = calleeQualifiedName(call, bindings);
    const index = name === undefined ? undefined : positional[name];
    if (index === undefined) continue;
    const args = model.grammar === 'python' ? positionalArguments(call) : callArguments(call);
    const literal = args[index];
    if (literal && (literal.type === 'string' || literal.type === 'template_string')) {
      const label = /sign|verify|encode|decode/.test(name!)
        ? 'JWT secret'
        : /Hmac/.test(name!)
          ? 'HMAC key'
          : /sequelize/.test(name!)
            ? 'database password'
            : 'signing secret';
      found.push({ literal, name: label });
    }
  }
  return found;
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
    for (const operator of nodesOfType(model, 'boolean_operator')) {
      const envName = operator && environmentVariable(operator.childForFieldName('left'));
      const right = operator?.childForFieldName('right');
      if (operator && envName && right?.type === 'string' && isSecretName(envName))
        found.push({ literal: right, name: envName, fallbackOf: { expression: operator, envName } });
    }
    return found;
  }
  for (const binary of nodesOfType(model, 'binary_expression')) {
    if (!binary) continue;
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
