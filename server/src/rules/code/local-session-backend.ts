import type { Node } from '../../engine/parse/syntax-tree';
import { codeChildren } from '../../engine/code/edit';
import { ensurePythonImport } from '../../engine/code/env';
import { nodesOfType, spanOfNode, stringLiteral } from '../../engine/code/syntax';
import type { CodeModel } from '../../engine/parse/code';
import { defineRule, type Fix, type TextEdit } from '../../engine/rule';
import type { LineIndex } from '../../engine/text';

const redisCache = 'django.core.cache.backends.redis.RedisCache';
/** Django cache backends that live inside one process or on one disk. */
const localCaches = /\.(locmem\.LocMemCache|filebased\.FileBasedCache|dummy\.DummyCache)$/;
const redisLocation = 'os.environ["REDIS_URL"]';

/** A setting written as `NAME = "…"`, `app.config["NAME"] = "…"`, `NAME="…"` (keyword) or `"NAME": "…"` (dict). */
interface Setting {
  form: 'assignment' | 'subscript' | 'keyword' | 'pair';
  value: Node;
  /** The assignment statement, keyword argument or pair. */
  holder: Node;
  /** For `app.config["X"] = …`: `app.config`. */
  target?: string;
}

function settings(model: CodeModel, name: string): Setting[] {
  const found: Setting[] = [];
  for (const node of nodesOfType(model, ['assignment', 'keyword_argument', 'pair'])) {
    if (!node) continue;
    if (node.type === 'assignment') {
      const left = node.childForFieldName('left');
      const right = node.childForFieldName('right');
      if (!left || !right) continue;
      if (left.type === 'identifier' && left.text === name && node.parent?.type === 'expression_statement')
        found.push({ form: 'assignment', value: right, holder: node.parent });
      else if (
        left.type === 'subscript' &&
        stringLiteral(left.childForFieldName('subscript'))?.value === name &&
        node.parent?.type === 'expression_statement'
      )
        found.push({
          form: 'subscript',
          value: right,
          holder: node.parent,
          target: left.childForFieldName('value')?.text,
        });
    } else if (node.type === 'keyword_argument' && node.childForFieldName('name')?.text === name) {
      found.push({ form: 'keyword', value: node.childForFieldName('value')!, holder: node });
    } else if (node.type === 'pair' && stringLiteral(node.childForFieldName('key'))?.value === name) {
      found.push({ form: 'pair', value: node.childForFieldName('value')!, holder: node });
    }
  }
  return found;
}

export default defineRule({
  id: 'local-state/local-session-backend',
  lesson: 'local-state',
  title: 'Sessions stored on one instance (Django, Flask-Session)',
  severity: 'warning',
  equivalents: [],
  fix: 'scaffold',
  messages: {
    djangoFiles:
      "Django keeps sessions in files on this instance's disk: a user is logged in on one instance only, and everyone is logged out when instances are replaced. Keep sessions in Redis (the cache backend on RedisCache).",
    djangoLocalCache:
      'Django keeps sessions in the `{{alias}}` cache, which is {{cache}}: a user is logged in on one instance (even one worker) only, and everyone is logged out when instances are replaced. Make that cache Redis (RedisCache).',
    flaskFiles:
      'Flask-Session keeps sessions in files on this instance\'s disk: a user is logged in on one instance only, and everyone is logged out when instances are replaced. Use SESSION_TYPE "redis" with a shared Redis.',
    flaskMemory:
      'Flask-Session keeps sessions in this process\'s memory: a user is logged in on one instance only, and everyone is logged out when instances are replaced. Use SESSION_TYPE "redis" with a shared Redis.',
  },
  docs: {
    what:
      "Django settings that keep sessions on one instance: `SESSION_ENGINE` set to the `file` backend, or to the `cache` backend while the session cache is the in-process `LocMemCache` (Django's default when `CACHES` is not set), a `FileBasedCache` or the `DummyCache`; " +
      'and Flask-Session configured with `SESSION_TYPE = "filesystem"`, or `"cachelib"` over a `FileSystemCache` or `SimpleCache`.',
    why:
      "With sessions in a file or in the process's memory, a user is logged in on one instance only: the load balancer sends the next request elsewhere and they are logged out, or lose their cart. " +
      "Every deployment and scale-in replaces the instances and logs everyone out, and Gunicorn's workers do not even share a local-memory cache with each other. " +
      'Sticky sessions hide the problem until an instance dies. A shared store keeps a session valid whichever instance or worker answers.',
    example: {
      language: 'python',
      code: `# settings.py
SESSION_ENGINE = "django.contrib.sessions.backends.file"`,
    },
    useInstead: {
      language: 'python',
      code: `# settings.py
import os

SESSION_ENGINE = "django.contrib.sessions.backends.cache"
CACHES = {
    "default": {
        "BACKEND": "django.core.cache.backends.redis.RedisCache",
        "LOCATION": os.environ["REDIS_URL"],  # e.g. an ElastiCache endpoint
    }
}`,
    },
    fix: "Moves sessions to Redis read from `REDIS_URL`: Django's built-in `RedisCache` (Django 4.0+) as the session cache, or Flask-Session's `redis` type with `SESSION_REDIS`. A scaffold: install `redis`, set `REDIS_URL` to a Redis every instance reaches, and expect everyone to log in again once.",
    references: [
      {
        title: 'Django: configuring the session engine',
        url: 'https://docs.djangoproject.com/en/stable/topics/http/sessions/#configuring-the-session-engine',
      },
      {
        title: 'Django: Redis cache backend',
        url: 'https://docs.djangoproject.com/en/stable/topics/cache/#redis',
      },
      {
        title: 'Flask-Session: configuration',
        url: 'https://flask-session.readthedocs.io/en/latest/config.html',
      },
    ],
  },
  checks: {
    py({ model, document, report }) {
      const lines = document.lines;
      for (const setting of settings(model, 'SESSION_ENGINE')) {
        const engine = stringLiteral(setting.value)?.value;
        if (!engine || setting.form !== 'assignment') continue;
        if (/\.backends\.file$/.test(engine)) {
          report({
            at: spanOfNode(setting.value),
            messageId: 'djangoFiles',
            fix: () => djangoFix(model, lines, setting, true),
          });
        } else if (/\.backends\.cache$/.test(engine)) {
          const cache = sessionCache(model);
          if (cache.shared) continue;
          report({
            at: spanOfNode(setting.value),
            messageId: 'djangoLocalCache',
            data: { alias: cache.alias, cache: cache.description },
            fix: () => djangoFix(model, lines, setting, false),
          });
        }
      }
      for (const setting of settings(model, 'SESSION_TYPE')) {
        const type = stringLiteral(setting.value)?.value;
        const cachelib = type === 'cachelib' ? cachelibSetting(model) : '';
        if (type !== 'filesystem' && !/FileSystemCache|SimpleCache/.test(cachelib)) continue;
        report({
          at: spanOfNode(setting.value),
          messageId: type === 'filesystem' || /FileSystemCache/.test(cachelib) ? 'flaskFiles' : 'flaskMemory',
          fix: () => flaskFix(model, lines, setting),
        });
      }
    },
  },
});

function cachelibSetting(model: CodeModel): string {
  return settings(model, 'SESSION_CACHELIB')
    .map((s) => s.value.text)
    .join(' ');
}

/** The cache Django sessions use, and whether it is shared between instances. */
function sessionCache(model: CodeModel): {
  alias: string;
  shared: boolean;
  description: string;
  entry?: Node;
  caches?: Node;
} {
  const alias =
    stringLiteral(settings(model, 'SESSION_CACHE_ALIAS').find((s) => s.form === 'assignment')?.value)
      ?.value ?? 'default';
  const caches = settings(model, 'CACHES').find((s) => s.form === 'assignment')?.value;
  if (!caches)
    return {
      alias,
      shared: false,
      description: "Django's default in-process LocMemCache (CACHES is not set)",
    };
  if (caches.type !== 'dictionary') return { alias, shared: true, description: '' };
  const entry = codeChildren(caches)
    .find((p) => p.type === 'pair' && stringLiteral(p.childForFieldName('key'))?.value === alias)
    ?.childForFieldName('value');
  if (!entry || entry.type !== 'dictionary')
    return { alias, shared: !entry ? false : true, description: 'not configured', caches };
  const backend = backendOf(entry);
  const local = backend && localCaches.test(stringLiteral(backend)?.value ?? '');
  return {
    alias,
    shared: !local,
    description: `a ${stringLiteral(backend!)?.value.split('.').pop()} inside one process or on one disk`,
    entry,
    caches,
  };
}

function backendOf(entry: Node): Node | undefined {
  return (
    codeChildren(entry)
      .find((p) => p.type === 'pair' && stringLiteral(p.childForFieldName('key'))?.value === 'BACKEND')
      ?.childForFieldName('value') ?? undefined
  );
}

function djangoFix(
  model: CodeModel,
  lines: LineIndex,
  setting: Setting,
  switchEngine: boolean,
): Fix | undefined {
  const edits: TextEdit[] = [];
  const eol = lines.eol;
  if (switchEngine) {
    const literal = stringLiteral(setting.value)!;
    edits.push({ ...literal.content, text: 'django.contrib.sessions.backends.cache' });
  }
  const cache = sessionCache(model);
  if (!cache.shared) {
    if (cache.entry) {
      const backend = backendOf(cache.entry)!;
      edits.push({ start: backend.startIndex, end: backend.endIndex, text: `"${redisCache}"` });
      const location = codeChildren(cache.entry).find(
        (p) => p.type === 'pair' && stringLiteral(p.childForFieldName('key'))?.value === 'LOCATION',
      );
      const value = location?.childForFieldName('value');
      if (value) edits.push({ start: value.startIndex, end: value.endIndex, text: redisLocation });
      else
        edits.push({
          start: backend.endIndex,
          end: backend.endIndex,
          text: `, "LOCATION": ${redisLocation}`,
        });
    } else if (!cache.caches) {
      const at = setting.holder.endIndex;
      edits.push({
        start: at,
        end: at,
        text: [
          '',
          'CACHES = {',
          `    "${cache.alias}": {`,
          `        "BACKEND": "${redisCache}",`,
          `        "LOCATION": ${redisLocation},`,
          '    }',
          '}',
        ].join(eol),
      });
    } else return undefined;
  }
  edits.push(...ensurePythonImport(model, lines, 'os'));
  return {
    title: 'Keep sessions in Redis (RedisCache, REDIS_URL)',
    edits,
    needs: [
      'Install redis (pip install redis); RedisCache needs Django 4.0 or later',
      'Set REDIS_URL to a Redis that every instance reaches (ElastiCache, for one)',
    ],
  };
}

function flaskFix(model: CodeModel, lines: LineIndex, setting: Setting): Fix | undefined {
  const literal = stringLiteral(setting.value)!;
  const client = `redis.from_url(${redisLocation})`;
  const edits: TextEdit[] = [{ ...literal.content, text: 'redis' }];
  const hasClient = settings(model, 'SESSION_REDIS').length > 0;
  if (!hasClient) {
    const at = setting.holder.endIndex;
    const indent = lines.indentAt(setting.holder.startIndex);
    switch (setting.form) {
      case 'assignment':
        edits.push({ start: at, end: at, text: `${lines.eol}${indent}SESSION_REDIS = ${client}` });
        break;
      case 'subscript':
        edits.push({
          start: at,
          end: at,
          text: `${lines.eol}${indent}${setting.target}["SESSION_REDIS"] = ${client}`,
        });
        break;
      case 'keyword':
        edits.push({ start: at, end: at, text: `, SESSION_REDIS=${client}` });
        break;
      case 'pair':
        edits.push({ start: at, end: at, text: `, "SESSION_REDIS": ${client}` });
        break;
    }
    edits.push(...ensurePythonImport(model, lines, 'os'), ...ensurePythonImport(model, lines, 'redis'));
  }
  // cachelib settings no longer apply once the type is redis; they stay harmless.
  return {
    title: 'Keep sessions in Redis (SESSION_TYPE "redis", REDIS_URL)',
    edits,
    needs: [
      'Install redis (pip install redis)',
      'Set REDIS_URL to a Redis that every instance reaches (ElastiCache, for one)',
    ],
  };
}
