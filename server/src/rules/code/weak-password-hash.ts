import type { Node } from '../../engine/parse/syntax-tree';
import { codeChildren } from '../../engine/code/edit';
import { bindingsOf, calleeQualifiedName } from '../../engine/code/imports';
import {
  callArguments,
  dottedName,
  enclosingFunction,
  nodesOfType,
  positionalArguments,
  spanOfNode,
  stringLiteral,
} from '../../engine/code/syntax';
import { nameWords } from '../../engine/names';
import type { CodeModel } from '../../engine/parse/code';
import { defineRule, type CheckContext } from '../../engine/rule';

/** Fast digests, by the name the code uses. SHA-2 and SHA-3 are judged only when unsalted. */
// MD4 is left out: it is NTLM's protocol hash, not a storage choice anyone makes today.
const broken = /^(md5|sha1|sha-1|ripemd160)$/i;
const fast =
  /^(sha224|sha256|sha384|sha512|sha-224|sha-256|sha-384|sha-512|sha512-256|sha3[-_](224|256|384|512)|blake2[bs](512|256)?)$/i;

/** JS functions that hash their first argument directly, by qualified name → algorithm. */
const javascriptDigests: Record<string, string> = {
  md5: 'md5',
  'blueimp-md5': 'md5',
  'js-md5': 'md5',
  sha1: 'sha1',
  'js-sha1': 'sha1',
  'js-sha256': 'sha256',
  'js-sha512': 'sha512',
  'crypto-js.MD5': 'md5',
  'crypto-js.SHA1': 'sha1',
  'crypto-js.SHA256': 'sha256',
  'crypto-js.SHA512': 'sha512',
  'crypto-js/md5': 'md5',
  'crypto-js/sha1': 'sha1',
  'crypto-js/sha256': 'sha256',
  'crypto-js/sha512': 'sha512',
};

const weakDjangoHashers =
  /^django\.contrib\.auth\.hashers\.(MD5PasswordHasher|UnsaltedMD5PasswordHasher|SHA1PasswordHasher|UnsaltedSHA1PasswordHasher|CryptPasswordHasher)$/;

/** Whether an identifier names a password (`password`, `raw_pwd`, `newPassword`, `passwd`). */
function isPasswordWord(name: string): boolean {
  const words = nameWords(name);
  // A password reset token or a stored hash is not the password itself.
  if (words.some((w) => /^(token|reset|hash|hashed|digest|salt|key|url|length|field|id|policy)$/.test(w)))
    return false;
  return words.some((w) => /^(password|passwd|pwd|passphrase|pass|pw)$/.test(w));
}

/** Whether an expression carries a password, or sits in a function that hashes or checks passwords. */
function aboutPassword(data: Node[], call: Node): boolean {
  for (const node of data) {
    for (const name of [node, ...node.descendantsOfType(['identifier', 'property_identifier'])]) {
      if (
        name &&
        (name.type === 'identifier' || name.type === 'property_identifier') &&
        isPasswordWord(name.text)
      )
        return true;
    }
    for (const literal of [node, ...node.descendantsOfType('string')]) {
      const key = literal && stringLiteral(literal);
      if (key && isPasswordWord(key.value)) return true;
    }
  }
  for (let fn = enclosingFunction(call); fn; fn = enclosingFunction(fn)) {
    const name = fn.childForFieldName('name')?.text ?? fn.parent?.childForFieldName('name')?.text ?? '';
    if (
      /(hash|check|verify|set|encrypt|encode|compare|make|validate).*pass|pass.*(hash|check|verify|encrypt|encode|compare)/i.test(
        name,
      )
    )
      return true;
  }
  return false;
}

/** Names that receive a password or its hash: `password`, `password_hash`, `passwordDigest`, `pwd`. */
function isPasswordDestination(name: string): boolean {
  const words = nameWords(name);
  if (words.some((w) => /^(token|reset|url|length|field|id|policy|salt)$/.test(w))) return false;
  return words.some((w) => /^(password|passwd|pwd|passphrase|pw)$/.test(w));
}

/**
 * Whether the digest is handed to where a password goes: `user.setPassword(md5(x))`,
 * `{ password: md5(x) }`, `user.password_hash = hashlib.md5(x).hexdigest()`, `password=md5(x)`.
 */
function passwordDestination(call: Node): boolean {
  let node = call;
  for (let depth = 0; depth < 6; depth++) {
    const parent = node.parent;
    if (!parent) return false;
    switch (parent.type) {
      case 'member_expression':
      case 'attribute':
      case 'call_expression':
      case 'call':
      case 'await_expression':
      case 'await':
      case 'parenthesized_expression':
        node = parent;
        continue;
      case 'arguments':
      case 'argument_list': {
        const receiver = parent.parent;
        const callee = receiver?.childForFieldName('function');
        const name = (dottedName(callee) ?? callee?.text ?? '').split('.').pop() ?? '';
        return (
          /(set|update|change|save|store|hash|reset)_?pass(word|wd)?$/i.test(name) ||
          /^(set|update)_?pwd$/i.test(name)
        );
      }
      case 'pair': {
        const key = parent.childForFieldName('key');
        return isPasswordDestination(stringLiteral(key)?.value ?? key?.text ?? '');
      }
      case 'keyword_argument':
        return isPasswordDestination(parent.childForFieldName('name')?.text ?? '');
      case 'assignment':
      case 'assignment_expression':
      case 'variable_declarator': {
        const target = parent.childForFieldName(parent.type === 'variable_declarator' ? 'name' : 'left');
        const name =
          target?.type === 'subscript' || target?.type === 'subscript_expression'
            ? (stringLiteral(target.childForFieldName(target.type === 'subscript' ? 'subscript' : 'index'))
                ?.value ?? '')
            : ((dottedName(target) ?? target?.text ?? '').split('.').pop() ?? '');
        return isPasswordDestination(name);
      }
      default:
        return false;
    }
  }
  return false;
}

function salted(data: Node[]): boolean {
  return data.some((n) => /salt|pepper/i.test(n.text));
}

export default defineRule({
  id: 'secrets-management/weak-password-hash',
  lesson: 'secrets-management',
  title: 'Password hashed with a fast digest',
  severity: 'warning',
  equivalents: ['S324'],
  fix: 'no',
  messages: {
    brokenDigest:
      'This hashes a password with {{algorithm}}, which is broken and fast: a leaked table of such hashes gives up most passwords within hours. Use Argon2id, scrypt or bcrypt.',
    unsaltedDigest:
      'This hashes a password with unsalted {{algorithm}}: it is fast to compute, and equal passwords share one hash, so a leaked table gives up most passwords quickly. Use Argon2id, scrypt or bcrypt.',
    weakDjangoHasher:
      'Django hashes new passwords with the first of PASSWORD_HASHERS, here {{hasher}}: a fast digest that gives up most passwords of a leaked table within hours. Put Argon2PasswordHasher, ScryptPasswordHasher or PBKDF2PasswordHasher first.',
  },
  docs: {
    what:
      'MD5, SHA-1 or RIPEMD-160 applied to a password, and SHA-2, SHA-3 or BLAKE2 applied to one without a salt: `hashlib.md5(password.encode())`, `crypto.createHash("sha1").update(password)`, `md5(req.body.password)`, `CryptoJS.SHA256(password)`, ' +
      'and Django settings whose first `PASSWORD_HASHERS` entry is an MD5, SHA-1 or crypt hasher. A hash counts as a password hash when its data names a password, it sits in a function that hashes or checks passwords, or its result goes where a password goes (`user.setPassword(md5(x))`, `{ password: md5(x) }`, `user.password_hash = …`); checksums of files and cache keys are left alone. Out of scope: a digest the project wraps in a helper of its own (`function md5(s) { … }`, then `md5(password)`) is not followed into the helper, so it goes unreported.',
    why:
      'Digests are built to be fast: a graphics card computes billions of MD5 or SHA-256 hashes a second, so a leaked table of unsalted hashes gives up most passwords within hours, and identical passwords share one hash. ' +
      'Password hashing functions (Argon2id, scrypt, bcrypt, PBKDF2 with many iterations) are slow on purpose and salted per password, which turns the same attack into years. ' +
      'A database dump or a backup is the usual way such tables leak.',
    example: {
      language: 'python',
      code: `import hashlib

def set_password(user, password):
    user.password_hash = hashlib.sha256(password.encode()).hexdigest()`,
    },
    useInstead: {
      language: 'python',
      code: `from argon2 import PasswordHasher  # pip install argon2-cffi

hasher = PasswordHasher()

def set_password(user, password):
    user.password_hash = hasher.hash(password)  # salted, memory-hard

def check_password(user, password):
    return hasher.verify(user.password_hash, password)`,
    },
    references: [
      {
        title: 'OWASP Password Storage Cheat Sheet',
        url: 'https://cheatsheetseries.owasp.org/cheatsheets/Password_Storage_Cheat_Sheet.html',
      },
      { title: 'argon2-cffi', url: 'https://argon2-cffi.readthedocs.io/' },
      {
        title: 'Node.js crypto.scrypt',
        url: 'https://nodejs.org/api/crypto.html#cryptoscryptpassword-salt-keylen-options-callback',
      },
      {
        title: 'Django: password management (PASSWORD_HASHERS)',
        url: 'https://docs.djangoproject.com/en/stable/topics/auth/passwords/',
      },
    ],
  },
  checks: {
    js: (context) => check(context),
    py: (context) => check(context),
  },
});

function check({ model, report }: CheckContext<CodeModel>): void {
  for (const { at, algorithm, data, call } of hashCalls(model)) {
    // Protocol digests (HTTP Digest's HA1, WS-Security's nonce digest) are not password storage.
    if (data.some((n) => /nonce|realm|timestamp|challenge/i.test(n.text))) continue;
    const isBroken = broken.test(algorithm);
    if (!isBroken && !(fast.test(algorithm) && !salted(data))) continue;
    if (!aboutPassword(data, call) && !passwordDestination(call)) continue;
    const name = algorithm
      .toUpperCase()
      .replace(/^SHA-?(\d)/, 'SHA-$1')
      .replace(/_/g, '-');
    report({
      at: spanOfNode(at),
      messageId: isBroken ? 'brokenDigest' : 'unsaltedDigest',
      data: { algorithm: name },
    });
  }
  if (model.grammar === 'python') djangoHashers(model, report);
}

interface HashCall {
  /** What to underline. */
  at: Node;
  algorithm: string;
  /** The hashed data (and, for SHA-2, where a salt would appear). */
  data: Node[];
  call: Node;
}

function hashCalls(model: CodeModel): HashCall[] {
  const calls: HashCall[] = [];
  const bindings = bindingsOf(model);
  const python = model.grammar === 'python';
  for (const call of nodesOfType(model, python ? 'call' : 'call_expression')) {
    if (!call) continue;
    const name = calleeQualifiedName(call, bindings);
    if (!name) continue;
    const callee = call.childForFieldName('function')!;
    if (python) {
      const match = /^hashlib\.(\w+)$/.exec(name);
      if (!match) continue;
      let algorithm = match[1];
      let args = positionalArguments(call);
      if (algorithm === 'new') {
        algorithm = stringLiteral(args[0])?.value ?? '';
        args = args.slice(1);
      }
      if (!algorithm || algorithm.startsWith('pbkdf2') || algorithm === 'scrypt') continue;
      calls.push({ at: callee, algorithm, data: [...args, ...updates(call, 'update')], call });
      continue;
    }
    if (/^(node:)?crypto\.createHash$/.test(name)) {
      const algorithm = stringLiteral(callArguments(call)[0])?.value;
      if (algorithm) calls.push({ at: callee, algorithm, data: updates(call, 'update'), call });
      continue;
    }
    const algorithm = javascriptDigests[name];
    if (algorithm) calls.push({ at: callee, algorithm, data: callArguments(call), call });
  }
  return calls;
}

/**
 * The data given to a hash object: `createHash('md5').update(x)` chained, or `h.update(x)` on
 * the variable the hash was assigned to, in the same function.
 */
function updates(call: Node, method: string): Node[] {
  const data: Node[] = [];
  const member = call.parent;
  if (
    (member?.type === 'member_expression' || member?.type === 'attribute') &&
    member.parent?.type.startsWith('call')
  ) {
    const property = member.childForFieldName(member.type === 'attribute' ? 'attribute' : 'property')?.text;
    if (property === method) data.push(...codeChildren(member.parent.childForFieldName('arguments')!));
  }
  const holder = call.parent;
  const variable =
    holder?.type === 'variable_declarator'
      ? holder.childForFieldName('name')?.text
      : holder?.type === 'assignment'
        ? holder.childForFieldName('left')?.text
        : undefined;
  if (variable) {
    const scope = enclosingFunction(call) ?? call.tree.rootNode;
    for (const use of scope.descendantsOfType(['call', 'call_expression'])) {
      const callee = use?.childForFieldName('function');
      if (use && callee?.text === `${variable}.${method}`)
        data.push(...codeChildren(use.childForFieldName('arguments')!));
    }
  }
  return data;
}

function djangoHashers(model: CodeModel, report: CheckContext<CodeModel>['report']): void {
  for (const statement of model.root.namedChildren) {
    const assignment = statement?.type === 'expression_statement' ? statement.namedChildren[0] : undefined;
    if (
      assignment?.type !== 'assignment' ||
      assignment.childForFieldName('left')?.text !== 'PASSWORD_HASHERS'
    )
      continue;
    const list = assignment.childForFieldName('right');
    const first = list && (list.type === 'list' || list.type === 'tuple') ? codeChildren(list)[0] : undefined;
    const hasher = stringLiteral(first);
    if (first && hasher && weakDjangoHashers.test(hasher.value)) {
      report({
        at: spanOfNode(first),
        messageId: 'weakDjangoHasher',
        data: { hasher: hasher.value.split('.').pop() ?? hasher.value },
      });
    }
  }
}
