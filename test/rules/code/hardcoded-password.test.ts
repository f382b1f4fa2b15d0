import rule from '../../../server/src/rules/code/hardcoded-password';
import { ruleTester } from '../../rule-tester';

ruleTester(rule, {
  flagged: [
    {
      name: 'Django settings: the generated SECRET_KEY and a database password',
      path: 'mysite/settings.py',
      text: `from pathlib import Path

SECRET_KEY = «"django-insecure-7h!s-i5-n0t-s3cr3t"»
DATABASES = {
    "default": {
        "ENGINE": "django.db.backends.postgresql",
        "NAME": "shop",
        "PASSWORD": «"hunter22"»,
    }
}
`,
      messages: [/^`SECRET_KEY` is a secret written in the code/, /^`PASSWORD` is a secret/],
      messageIds: ['inCode', 'inCode'],
      fixed: `from pathlib import Path
import os

SECRET_KEY = os.environ["SECRET_KEY"]
DATABASES = {
    "default": {
        "ENGINE": "django.db.backends.postgresql",
        "NAME": "shop",
        "PASSWORD": os.environ["DB_PASSWORD"],
    }
}
`,
    },
    {
      name: 'Flask: secret_key attribute, config item and a keyword argument',
      path: 'app.py',
      text: `import os
import psycopg2
from flask import Flask

app = Flask(__name__)
app.secret_key = «'dev'»
app.config["SECRET_KEY"] = os.environ.get("SECRET_KEY") or «"you-will-never-guess"»
conn = psycopg2.connect(host=os.environ["PGHOST"], password=«"postgres123"»)
`,
      messages: [
        /`secret_key` is a secret/,
        /`SECRET_KEY` falls back to a secret written in the code when SECRET_KEY is not set/,
        /`password`/,
      ],
      messageIds: ['inCode', 'fallsBack', 'inCode'],
      fixed: `import os
import psycopg2
from flask import Flask

app = Flask(__name__)
app.secret_key = os.environ["SECRET_KEY"]
app.config["SECRET_KEY"] = os.environ["SECRET_KEY"]
conn = psycopg2.connect(host=os.environ["PGHOST"], password=os.environ["PGPASSWORD"])
`,
    },
    {
      name: 'Express: session secret, JWT secret by position, pg pool password and an env fall-back',
      path: 'server.js',
      text: `const session = require('express-session');
const jwt = require('jsonwebtoken');
const { Pool } = require('pg');

app.use(session({ secret: «'keyboard cat'», resave: false }));
const pool = new Pool({ user: 'app', password: «'S3cr3t!'» });
const token = jwt.sign({ sub: 1 }, «'shhhhh'»);
const apiKey = process.env.STRIPE_API_KEY || «'sk_test_51abcdef'»;
`,
      fixed: `const session = require('express-session');
const jwt = require('jsonwebtoken');
const { Pool } = require('pg');

app.use(session({ secret: process.env.SESSION_SECRET, resave: false }));
const pool = new Pool({ user: 'app', password: process.env.PGPASSWORD });
const token = jwt.sign({ sub: 1 }, process.env.JWT_SECRET);
const apiKey = process.env.STRIPE_API_KEY;
`,
    },
    {
      name: 'TypeScript: the environment read is non-null, as the literal was a string',
      path: 'src/mail.ts',
      text: `import nodemailer from 'nodemailer';

const SMTP_PASS = process.env.SMTP_PASS ?? «'mailer-2024'»;
export const transport = nodemailer.createTransport({ auth: { user: 'app', pass: «'s3nd-m41l'» } });
`,
      messages: [
        '`SMTP_PASS` falls back to a secret written in the code when SMTP_PASS is not set: a deployment that misses the variable runs with this well-known value instead of failing. Drop the fall-back.',
        '`pass` is a secret written in the code: everyone who can read the repository or an image built from it has it, and it is the same in every environment. Read it from the environment, filled from a secrets manager.',
      ],
      messageIds: ['fallsBack', 'inCode'],
      fixed: `import nodemailer from 'nodemailer';

const SMTP_PASS = process.env.SMTP_PASS!;
export const transport = nodemailer.createTransport({ auth: { user: 'app', pass: process.env.AUTH_PASS! } });
`,
    },
    {
      name: 'a conditional fall-back: one branch reads the environment, the other is a literal',
      path: 'auth/keys.js',
      text: `const signingSecret = process.env.NODE_ENV === 'production' ? process.env.TOKEN_SECRET : «'local-signing-k3y'»;
`,
      messageIds: ['fallsBack'],
      fixed: `const signingSecret = process.env.TOKEN_SECRET;
`,
    },
    {
      name: 'a placeholder as the fall-back is still the key the app runs with when the variable is unset',
      path: 'src/session.js',
      text: `const jwtSecret = process.env.JWT_SECRET || «'changeme'»;
`,
      messageIds: ['fallsBack'],
      fixed: `const jwtSecret = process.env.JWT_SECRET;
`,
    },
    {
      name: 'Python: a conditional expression falls back to a literal',
      path: 'settings.py',
      text: `import os

SECRET_KEY = os.environ["APP_SECRET_KEY"] if os.environ.get("ENV") == "prod" else «"devkey-29c1"»
`,
      messageIds: ['fallsBack'],
      fixed: `import os

SECRET_KEY = os.environ["APP_SECRET_KEY"]
`,
    },
    {
      name: 'secret names with a number, an owner or an environment after the secret word',
      path: 'config/env.ts',
      text: `export const settings = {
  PASSWORD_ADMIN: «'Adm1n-pass!'»,
  secretKeyProd: «'prod-9f8e7d'»,
  token_v2: «'t0k3n-v2-99'»,
};
`,
      messageIds: ['inCode', 'inCode', 'inCode'],
      fixed: `export const settings = {
  PASSWORD_ADMIN: process.env.PASSWORD_ADMIN!,
  secretKeyProd: process.env.SECRET_KEY_PROD!,
  token_v2: process.env.TOKEN_V2!,
};
`,
    },
    {
      name: 'Python: the secret word first, then what or whom it is for',
      path: 'billing/settings.py',
      text: `secret_key_for_webhooks = «"wh-5ig-77aa"»
password_of_reporting_user = «"R3port!ng"»
token_for_url = "/auth/token"
`,
      messageIds: ['inCode', 'inCode'],
      fixed: `import os
secret_key_for_webhooks = os.environ["SECRET_KEY_FOR_WEBHOOKS"]
password_of_reporting_user = os.environ["PASSWORD_OF_REPORTING_USER"]
token_for_url = "/auth/token"
`,
    },
    {
      name: 'jose signs and verifies with a key encoded from a literal; jsonwebtoken with a module constant',
      path: 'src/tokens.mjs',
      text: `import * as jose from 'jose';
import jwt from 'jsonwebtoken';

const KEY = «'qwe-rty-uio-123'»;
const encoded = new TextEncoder().encode(«'h5-key-for-sessions'»);
export const issue = (claims) => new jose.SignJWT(claims).setProtectedHeader({ alg: 'HS256' }).sign(new TextEncoder().encode(«'n0t-so-s3cret'»));
export const check = (token) => jose.jwtVerify(token, encoded);
export const legacy = (claims) => jwt.sign(claims, KEY);
`,
      messages: [/^`JWT secret` is a secret/, /^`JWT secret`/, /^`JWT secret`/],
      fixed: `import * as jose from 'jose';
import jwt from 'jsonwebtoken';

const KEY = process.env.JWT_SECRET;
const encoded = new TextEncoder().encode(process.env.JWT_SECRET);
export const issue = (claims) => new jose.SignJWT(claims).setProtectedHeader({ alg: 'HS256' }).sign(new TextEncoder().encode(process.env.JWT_SECRET));
export const check = (token) => jose.jwtVerify(token, encoded);
export const legacy = (claims) => jwt.sign(claims, KEY);
`,
    },
    {
      name: 'Python: PyJWT with the key by keyword, python-jose, and a bytes secret',
      path: 'service/auth.py',
      text: `import jwt
from jose import jwt as jose_jwt
from flask import Flask

app = Flask(__name__)
app.secret_key = «b"7f0e-flask-key"»

def issue(claims):
    return jwt.encode(claims, key=«"pyjwt-k3y-2024"», algorithm="HS256")

def issue_legacy(claims):
    return jose_jwt.encode(claims, «"jose-k3y-2019"»)
`,
      messageIds: ['inCode', 'inCode', 'inCode'],
      fixed: `import jwt
from jose import jwt as jose_jwt
from flask import Flask
import os

app = Flask(__name__)
app.secret_key = os.environ["SECRET_KEY"].encode()

def issue(claims):
    return jwt.encode(claims, key=os.environ["JWT_KEY"], algorithm="HS256")

def issue_legacy(claims):
    return jose_jwt.encode(claims, os.environ["JWT_SECRET"])
`,
    },
    {
      name: 'jose and PyJWT keys kept in a constant of the function that signs',
      path: 'tokens/issue.js',
      text: `const { SignJWT, jwtVerify } = require('jose');

async function mint(account) {
  const material = new TextEncoder().encode(«'mint-tokens-with-this-4471'»);
  return new SignJWT({ sub: account.id }).setProtectedHeader({ alg: 'HS256' }).sign(material);
}

async function check(token) {
  if (!token) return null;
  {
    const k = Buffer.from(«'verify-with-that-8820'»);
    return jwtVerify(token, k);
  }
}
module.exports = { mint, check };
`,
      messages: [/^`JWT secret` is a secret/, /^`JWT secret` is a secret/],
      fixed: `const { SignJWT, jwtVerify } = require('jose');

async function mint(account) {
  const material = new TextEncoder().encode(process.env.JWT_SECRET);
  return new SignJWT({ sub: account.id }).setProtectedHeader({ alg: 'HS256' }).sign(material);
}

async function check(token) {
  if (!token) return null;
  {
    const k = Buffer.from(process.env.JWT_SECRET);
    return jwtVerify(token, k);
  }
}
module.exports = { mint, check };
`,
    },
    {
      name: 'Python: a key assigned once in the function that encodes the token',
      path: 'tokens/issue.py',
      text: `import jwt

def mint(account):
    material = «"mint-py-tokens-3309"»
    return jwt.encode({"sub": account}, material, algorithm="HS256")
`,
      messageIds: ['inCode'],
      fixed: `import jwt
import os

def mint(account):
    material = os.environ["JWT_SECRET"]
    return jwt.encode({"sub": account}, material, algorithm="HS256")
`,
    },
    {
      name: 'a value that only contains the letters of a placeholder inside a word, and a real default of Java',
      path: 'billing/settings.js',
      text: `module.exports = {
  exchange: { token: «'interchangeme-71fa0c'» },
  truststore: { password: «'changeit'» },
};
`,
      messageIds: ['inCode', 'inCode'],
      fixed: `module.exports = {
  exchange: { token: process.env.EXCHANGE_TOKEN },
  truststore: { password: process.env.TRUSTSTORE_PASSWORD },
};
`,
    },
  ],
  clean: [
    {
      name: 'translations of the field labels',
      path: 'src/locales/de.ts',
      text: `export default { email: 'E-Mail', password: 'Passwort', token: 'Zugangscode' };\n`,
    },
    {
      name: 'names of fields, headers, storage keys, selectors and lexer tokens (from msal, mocha, lodash, css-select, prettier)',
      path: 'constants.js',
      text: `const Constants = { IDTOKEN_TOKEN: 'id_token token', ACCESS_TOKEN: 'access_token', ENCRYPTION_KEY: 'msal.cache.encryption' };
const EVENT_TEST_PASS = 'pass';
const mapping = { allPass: 'overEvery', anyPass: 'overSome' };
customHeaders['X-Market-AccountToken'] = 'accountTokenHeader';
const aliases = { password: '[type=password]' };
let lastSignificantToken = '?InterpolationInTemplate';
const badge = { token: 'passed', count: 3 };
const options = [{ name: 'Priority Mail Express', token: 'priority-mail-express' }];
fetch('/api', { credentials: 'include' });
new CustomResource(this, 'Seed', { serviceToken: 'arn:aws:lambda:eu-west-1:123456789012:function:seed' });
`,
    },
    {
      name: 'masks and authentication scheme names (from pip and oauthlib)',
      path: 'misc.py',
      text: `password = ":****"\nrabbit_password = 'your_rabbitmq_password'  # Retrieve it from Secrets Manager\nResourceEndpoint.__init__(self, default_token="Bearer", token_types={})\njsonnet_token = r'[^\\W\\d]\\w*'\n`,
    },
    {
      name: 'names that are about secrets, not secrets',
      path: 'config.py',
      text: `SECRET_NAME = "prod/db/password"
PASSWORD_RESET_URL = "/reset"
TOKEN_EXPIRY = "3600"
password_field = "password"
secret_arn = "arn:aws:secretsmanager:eu-west-1:123456789012:secret:x"
AUTH_HEADER = "Authorization"
db_password = os.environ["DB_PASSWORD"]
token = ""
`,
    },
    {
      name: 'passport options, form messages, placeholders and env names',
      path: 'auth.ts',
      text: `passport.use(new LocalStrategy({ usernameField: 'email', passwordField: 'password' }, verify));
const errors = { password: 'Password is required' };
const template = { password: '{{password}}', token: '\${TOKEN}' };
const config = { passwordEnv: 'DB_PASSWORD', secret: 'JWT_SECRET' };
const key = 'user:42';
type Login = { password: 'x' };
`,
    },
    {
      name: 'validation messages of a form or a model (Rails-style errors)',
      path: 'src/validation.js',
      text: `const errors = { password: "can't be blank", password_confirmation: "doesn't match Password" };
const rules = { password: 'is too short (minimum is 8 characters)', token: 'has already been taken' };
`,
    },
    {
      name: 'placeholders a reader fills in, and values that say they are none',
      path: 'config/defaults.py',
      text: `DB_PASSWORD = "\${DB_PASSWORD}"
API_TOKEN = "$API_TOKEN"
SMTP_PASSWORD = "{smtp_password}"
client_secret = "your-client-secret-goes-here"
signing_key = "example-signing-key"
ADMIN_PASSWORD = "xxxxxxxxxxxx"
secret = "not-a-real-secret"
refresh_token = "REDACTED"
`,
    },
    {
      name: 'a module constant that is not a secret, used for something else',
      path: 'app.js',
      text: `const ALGORITHM = 'HS256';
const jwt = require('jsonwebtoken');
const token = jwt.sign({ sub: 1 }, process.env.JWT_SECRET, { algorithm: ALGORITHM });
`,
    },
    {
      name: 'test files may hold fake secrets',
      path: 'tests/test_login.py',
      text: `PASSWORD = "correct horse"\nclient.post("/login", data={"password": "hunter22"})\n`,
    },
    {
      name: 'keys of the function read at run time, a parameter or a local that hides a module constant, and a let',
      path: 'tokens/verify.js',
      text: `const { SignJWT, jwtVerify } = require('jose');
const key = new TextEncoder().encode('used-only-by-tests-elsewhere-1');

async function mint(account, key) {
  return new SignJWT({ sub: account.id }).setProtectedHeader({ alg: 'HS256' }).sign(key);
}
async function check(token) {
  const key = new TextEncoder().encode(process.env.JWT_SECRET);
  return jwtVerify(token, key);
}
async function rotate(token) {
  const key = await loadKey('signing-key-name-7');
  return jwtVerify(token, key);
}
async function fallback(token) {
  let material = new TextEncoder().encode('only-until-loaded-5512');
  material = await loadKey();
  return jwtVerify(token, material);
}
module.exports = { mint, check, rotate, fallback };
`,
    },
    {
      name: 'Python: a key of the function from the environment, or assigned under a condition',
      path: 'tokens/verify.py',
      text: `import os
import jwt

def mint(account, debug=False):
    material = os.environ["JWT_SECRET"]
    return jwt.encode({"sub": account}, material, algorithm="HS256")

def mint_dev(account, debug):
    if debug:
        material = "only-on-a-laptop-2231"
    else:
        material = os.environ["JWT_SECRET"]
    return jwt.encode({"sub": account}, material, algorithm="HS256")
`,
    },
    {
      name: 'values that ask to be changed before use: changeme, change-this, set-me, your-password',
      path: 'defaults/config.js',
      text: `const defaults = { password: 'changeme', secret: 'change-me', apiKey: 'CHANGE_ME_BEFORE_DEPLOY' };
const smtp = { pass: 'change_this', token: 'replaceme', clientSecret: 'set-me' };
const admin = { password: 'your-password', passwd: 'YourPassword' };
module.exports = { defaults, smtp, admin };
`,
    },
    {
      name: 'Python: a settings module whose secrets say to change them',
      path: 'site/settings.py',
      text: `SECRET_KEY = "change-this-in-production"
DATABASES = {"default": {"PASSWORD": "changeme123"}}
`,
    },
  ],
});
