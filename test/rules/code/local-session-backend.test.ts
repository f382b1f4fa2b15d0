import rule from '../../../server/src/rules/code/local-session-backend';
import { ruleTester } from '../../rule-tester';

ruleTester(rule, {
  flagged: [
    {
      name: 'Django file sessions, no CACHES',
      path: 'mysite/settings.py',
      text: `from pathlib import Path

BASE_DIR = Path(__file__).resolve().parent.parent
SESSION_ENGINE = «"django.contrib.sessions.backends.file"»
`,
      messageIds: ['djangoFiles'],
      messages: [/^Django keeps sessions in files on this instance's disk/],
      fixed: `from pathlib import Path
import os

BASE_DIR = Path(__file__).resolve().parent.parent
SESSION_ENGINE = "django.contrib.sessions.backends.cache"
CACHES = {
    "default": {
        "BACKEND": "django.core.cache.backends.redis.RedisCache",
        "LOCATION": os.environ["REDIS_URL"],
    }
}
`,
    },
    {
      name: 'Django cache sessions on LocMemCache',
      path: 'settings.py',
      text: `import os

SESSION_ENGINE = «"django.contrib.sessions.backends.cache"»
CACHES = {
    "default": {
        "BACKEND": "django.core.cache.backends.locmem.LocMemCache",
        "LOCATION": "unique-snowflake",
    }
}
`,
      messageIds: ['djangoLocalCache'],
      messages: [/the `default` cache, which is a LocMemCache inside one process or on one disk/],
      fixed: `import os

SESSION_ENGINE = "django.contrib.sessions.backends.cache"
CACHES = {
    "default": {
        "BACKEND": "django.core.cache.backends.redis.RedisCache",
        "LOCATION": os.environ["REDIS_URL"],
    }
}
`,
    },
    {
      name: 'Flask-Session filesystem: module constant and app.config item',
      path: 'app.py',
      text: `from flask import Flask
from flask_session import Session

SESSION_TYPE = «"filesystem"»
app = Flask(__name__)
app.config.from_object(__name__)
app.config["SESSION_TYPE"] = «'filesystem'»
Session(app)
`,
      messageIds: ['flaskFiles', 'flaskFiles'],
      fixed: `from flask import Flask
from flask_session import Session
import os
import redis

SESSION_TYPE = "redis"
SESSION_REDIS = redis.from_url(os.environ["REDIS_URL"])
app = Flask(__name__)
app.config.from_object(__name__)
app.config["SESSION_TYPE"] = 'redis'
Session(app)
`,
    },
    {
      name: 'Flask-Session in config.update and a config class',
      path: 'config.py',
      text: `import os
import redis

class Config:
    SESSION_TYPE = «"filesystem"»

app.config.update(SESSION_TYPE=«"filesystem"», SESSION_PERMANENT=False)
`,
      fixed: `import os
import redis

class Config:
    SESSION_TYPE = "redis"
    SESSION_REDIS = redis.from_url(os.environ["REDIS_URL"])

app.config.update(SESSION_TYPE="redis", SESSION_REDIS=redis.from_url(os.environ["REDIS_URL"]), SESSION_PERMANENT=False)
`,
    },
    {
      name: 'Flask-Session cachelib over a SimpleCache in the process',
      path: 'app.py',
      text: `from cachelib import SimpleCache
from flask import Flask
from flask_session import Session

app = Flask(__name__)
app.config["SESSION_TYPE"] = «"cachelib"»
app.config["SESSION_CACHELIB"] = SimpleCache(threshold=500)
Session(app)
`,
      messageIds: ['flaskMemory'],
      messages: [/^Flask-Session keeps sessions in this process's memory/],
      fixed: `from cachelib import SimpleCache
from flask import Flask
from flask_session import Session
import os
import redis

app = Flask(__name__)
app.config["SESSION_TYPE"] = "redis"
app.config["SESSION_REDIS"] = redis.from_url(os.environ["REDIS_URL"])
app.config["SESSION_CACHELIB"] = SimpleCache(threshold=500)
Session(app)
`,
    },
  ],
  clean: [
    {
      name: 'Django: cache sessions on Redis, cached_db, signed cookies and the default',
      path: 'settings.py',
      text: `SESSION_ENGINE = "django.contrib.sessions.backends.cache"
CACHES = {"default": {"BACKEND": "django.core.cache.backends.redis.RedisCache", "LOCATION": os.environ["REDIS_URL"]}}
`,
    },
    {
      name: 'Flask-Session on Redis, and sessions in signed cookies',
      path: 'app.py',
      text: `SESSION_TYPE = "redis"\nSESSION_REDIS = redis.from_url(os.environ["REDIS_URL"])\nSESSION_ENGINE = "django.contrib.sessions.backends.signed_cookies"\n`,
    },
  ],
});
