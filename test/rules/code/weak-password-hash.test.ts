import rule from '../../../server/src/rules/code/weak-password-hash';
import { ruleTester } from '../../rule-tester';

ruleTester(rule, {
  flagged: [
    {
      name: 'Python: md5 and unsalted sha256 of a password, hashlib.new, an update() call',
      path: 'auth.py',
      text: `import hashlib
from hashlib import sha256

def register(username, password):
    digest = «hashlib.md5»(password.encode()).hexdigest()
    other = «sha256»(password.encode("utf-8")).hexdigest()
    legacy = «hashlib.new»("sha1", password.encode()).hexdigest()
    h = «hashlib.sha512»()
    h.update(request.form["password"].encode())
    return digest, other, legacy, h.hexdigest()
`,
      messages: [
        'This hashes a password with MD5, which is broken and fast: a leaked table of such hashes gives up most passwords within hours. Use Argon2id, scrypt or bcrypt.',
        'This hashes a password with unsalted SHA-256: it is fast to compute, and equal passwords share one hash, so a leaked table gives up most passwords quickly. Use Argon2id, scrypt or bcrypt.',
        /SHA-1, which is broken/,
        /unsalted SHA-512/,
      ],
    },
    {
      name: 'JS: createHash chained and through a variable, md5 package, crypto-js',
      path: 'src/users.ts',
      text: `import crypto from 'node:crypto';
import md5 from 'md5';
import CryptoJS from 'crypto-js';

export function hashPassword(value: string) {
  return «crypto.createHash»('sha1').update(value).digest('hex');
}
export const check = (req) => {
  const hash = «crypto.createHash»('sha256');
  hash.update(req.body.password);
  return [hash.digest('hex'), «md5»(req.body.password), «CryptoJS.SHA256»(user.password).toString()];
};
`,
    },
    {
      name: 'a digest handed to where a password goes, whatever the data is called',
      path: 'src/accounts.js',
      text: `const md5 = require('md5');
const crypto = require('crypto');

async function register(form) {
  await user.setPassword(«md5»(form.secret));
  await db.users.insert({ email: form.email, password: «md5»(form.p) });
  account.password_hash = «crypto.createHash»('sha1').update(form.p).digest('hex');
}
`,
      messageIds: ['brokenDigest', 'brokenDigest', 'brokenDigest'],
    },
    {
      name: 'Django settings with an MD5 hasher first',
      path: 'settings.py',
      text: `PASSWORD_HASHERS = [
    «"django.contrib.auth.hashers.MD5PasswordHasher"»,
    "django.contrib.auth.hashers.PBKDF2PasswordHasher",
]
`,
    },
  ],
  clean: [
    {
      name: "NTLM's MD4 of the password is the protocol, not storage (from node-http-ntlm)",
      path: 'ntlm.js',
      text: `const crypto = require('crypto');
function create_NT_hashed_password(password) {
  return crypto.createHash('md4').update(Buffer.from(password, 'utf16le')).digest();
}
`,
    },
    {
      name: 'protocol digests with a nonce or realm (from httplib2)',
      path: 'auth.py',
      text: `import hashlib

def _wsse_username_token(cnonce, iso_now, password):
    return hashlib.sha1(("%s%s%s" % (cnonce, iso_now, password)).encode("utf-8")).digest()

def ha1(user, realm, password):
    return hashlib.md5(f"{user}:{realm}:{password}".encode()).hexdigest()
`,
    },
    {
      name: 'checksums, cache keys, reset tokens and salted SHA-2',
      path: 'files.py',
      text: `import hashlib

def checksum(path):
    return hashlib.md5(open(path, "rb").read()).hexdigest()

def cache_key(url):
    return hashlib.sha1(url.encode()).hexdigest()

def reset_token_digest(password_reset_token):
    return hashlib.sha256(password_reset_token.encode()).hexdigest()

def legacy(password, salt):
    return hashlib.sha256(salt + password.encode()).hexdigest()

derived = hashlib.pbkdf2_hmac("sha256", password.encode(), salt, 600_000)
`,
    },
    {
      name: 'bcrypt, scrypt and an ETag',
      path: 'users.js',
      text: `const crypto = require('crypto');
const bcrypt = require('bcrypt');
const hash = await bcrypt.hash(req.body.password, 12);
crypto.scrypt(password, salt, 64, cb);
const etag = crypto.createHash('md5').update(body).digest('hex');
const resetToken = crypto.createHash('sha256').update(token).digest('hex');
`,
    },
    {
      name: 'Django with Argon2 first',
      path: 'settings.py',
      text: `PASSWORD_HASHERS = ["django.contrib.auth.hashers.Argon2PasswordHasher", "django.contrib.auth.hashers.MD5PasswordHasher"]\n`,
    },
  ],
});
