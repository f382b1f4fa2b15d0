import assert from 'node:assert/strict';
import { Analyzer } from '../../../server/src/engine/analyze';
import { inMemoryWorkspace } from '../../../server/src/engine/workspace';
import type { Rule } from '../../../server/src/engine/rule';
import hardcodedCredential from '../../../server/src/rules/any/hardcoded-credential';
import flaskDebug from '../../../server/src/rules/code/flask-debug';
import hardcodedEndpoint from '../../../server/src/rules/code/hardcoded-endpoint';
import hardcodedPassword from '../../../server/src/rules/code/hardcoded-password';
import inMemorySessionStore from '../../../server/src/rules/code/in-memory-session-store';
import localSessionBackend from '../../../server/src/rules/code/local-session-backend';
import noGracefulShutdown from '../../../server/src/rules/code/no-graceful-shutdown';
import plainHttpEndpoint from '../../../server/src/rules/code/plain-http-endpoint';
import tlsVerificationDisabled from '../../../server/src/rules/code/tls-verification-disabled';
import unmeasuredService from '../../../server/src/rules/code/unmeasured-service';

/**
 * A scaffold leaves work to the user, and says what: each scaffold fix of the code rules lists
 * what it needs (a package to install, a variable to set, a key to load), one short imperative
 * each; and the lines it writes stay readable (under 100 characters).
 */

const accessKey = 'AKIA' + 'ZQ4XW7LMBN3KTR2P';

const inputs: { rule: Rule; path: string; text: string }[] = [
  {
    rule: inMemorySessionStore,
    path: 'app.js',
    text: `const session = require('express-session');\napp.use(session({ secret: process.env.SESSION_SECRET, resave: false, saveUninitialized: false }));\napp.use(session({ store: new session.MemoryStore() }));\n`,
  },
  {
    rule: localSessionBackend,
    path: 'site/settings.py',
    text: `SESSION_ENGINE = "django.contrib.sessions.backends.file"\n`,
  },
  {
    rule: localSessionBackend,
    path: 'app.py',
    text: `from flask import Flask\napp = Flask(__name__)\napp.config["SESSION_TYPE"] = "filesystem"\n`,
  },
  {
    rule: unmeasuredService,
    path: 'server.js',
    text: `const express = require('express');\nconst app = express();\napp.get('/', (req, res) => res.send('ok'));\n`,
  },
  {
    rule: unmeasuredService,
    path: 'main.py',
    text: `from fastapi import FastAPI\napp = FastAPI()\n`,
  },
  {
    rule: unmeasuredService,
    path: 'web.py',
    text: `from flask import Flask\napp = Flask(__name__)\n`,
  },
  {
    rule: noGracefulShutdown,
    path: 'server.js',
    text: `const express = require('express');\nconst app = express();\napp.listen(3000);\n`,
  },
  {
    rule: noGracefulShutdown,
    path: 'serve.py',
    text: `from http.server import HTTPServer, BaseHTTPRequestHandler\nhttpd = HTTPServer(("", 8000), BaseHTTPRequestHandler)\nhttpd.serve_forever()\n`,
  },
  {
    rule: hardcodedPassword,
    path: 'config.js',
    text: `const db = { password: 'Tr0ub4dor&3' };\nconst key = process.env.JWT_SECRET || 'dev-signing-k3y';\n`,
  },
  {
    rule: plainHttpEndpoint,
    path: 'client.py',
    text: `import ftplib\nPARTNER_API = "http://api.partner-bank.net/v1"\nftp = ftplib.FTP("files.partner-bank.net")\n`,
  },
  {
    rule: tlsVerificationDisabled,
    path: 'fetch.py',
    text: `import requests\nimport paramiko\nrequests.get("https://x.example-corp.com", verify=False, timeout=5)\nc = paramiko.SSHClient()\nc.set_missing_host_key_policy(paramiko.AutoAddPolicy())\n`,
  },
  {
    rule: tlsVerificationDisabled,
    path: 'Dockerfile',
    text: `FROM alpine:3.20\nRUN wget --no-check-certificate https://downloads.example-corp.com/tool.tgz\n`,
  },
  {
    rule: hardcodedCredential,
    path: 'deploy.py',
    text: `key_id = "${accessKey}"\n`,
  },
  {
    rule: hardcodedEndpoint,
    path: 'db.js',
    text: `const { Sequelize } = require('sequelize');\nconst sequelize = new Sequelize('postgres://app:w1nter-2024@db.example-corp.com:5432/app');\n`,
  },
  {
    rule: flaskDebug,
    path: 'app.py',
    text: `from flask import Flask\napp = Flask(__name__)\napp.run(debug=True)\n`,
  },
];

describe('scaffold fixes say what they need', () => {
  for (const { rule, path, text } of inputs) {
    it(`${rule.id} on ${path}`, async () => {
      const analyzer = new Analyzer({
        rules: [rule],
        workspace: inMemoryWorkspace({}),
        log: (message) => {
          throw new Error(message);
        },
      });
      const result = await analyzer.analyze({ path: `/work/needs/${path}`, text });
      const fixes = result.findings.map((f) => f.fix?.()).filter((f) => f !== undefined);
      const scaffolds = fixes.filter((f) => f.kind === 'scaffold');
      assert.ok(scaffolds.length > 0, 'the input gets a scaffold');
      for (const fix of scaffolds) {
        assert.ok((fix.needs ?? []).length > 0, `"${fix.title}" says what it needs`);
        for (const need of fix.needs ?? []) {
          assert.ok(need.length < 110, `a short imperative: ${need}`);
          assert.match(need, /^[A-Z]/, `an imperative sentence: ${need}`);
          assert.doesNotMatch(need, /\.$/, `no full stop: ${need}`);
        }
        for (const edit of fix.edits)
          for (const line of edit.text.split(/\r?\n/))
            assert.ok(line.length < 100, `a line under 100 characters (${line.length}): ${line}`);
      }
    });
  }
});
