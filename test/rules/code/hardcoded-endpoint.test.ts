import rule from '../../../server/src/rules/code/hardcoded-endpoint';
import { ruleTester } from '../../rule-tester';

ruleTester(rule, {
  flagged: [
    {
      name: 'mongoose, ioredis options and a Redis URL (CommonJS)',
      path: 'db.js',
      text: `const mongoose = require('mongoose');
const Redis = require('ioredis');
const { createClient } = require('redis');

mongoose.connect(«'mongodb://localhost:27017/shop'»);
const cache = new Redis({ host: «'localhost'», port: 6379 });
const sessions = createClient({ url: «'redis://sessions.cache.internal:6379'» });
`,
      messages: [
        '`mongodb://localhost:27017/shop` is a database address written in the code: inside a container `localhost` is the container itself, and each environment needs its own address. Read it from the environment (MONGODB_URI).',
        /\(REDIS_HOST\)/,
        /\(REDIS_URL\)/,
      ],
      fixed: `const mongoose = require('mongoose');
const Redis = require('ioredis');
const { createClient } = require('redis');

mongoose.connect(process.env.MONGODB_URI ?? 'mongodb://localhost:27017/shop');
const cache = new Redis({ host: process.env.REDIS_HOST ?? 'localhost', port: 6379 });
const sessions = createClient({ url: process.env.REDIS_URL ?? 'redis://sessions.cache.internal:6379' });
`,
    },
    {
      name: 'pg pool host in TypeScript keeps its default',
      path: 'src/db.ts',
      text: `import { Pool } from 'pg';

export const pool = new Pool({ host: «'db.internal'», database: 'app' });
`,
      messages: [
        '`db.internal` is a database address fixed in the code: the address differs from one environment to the next, and changing it here takes a new build. Read it from the environment (PGHOST).',
      ],
      messageIds: ['fixedHost'],
      fixed: `import { Pool } from 'pg';

export const pool = new Pool({ host: process.env.PGHOST ?? 'db.internal', database: 'app' });
`,
    },
    {
      name: 'a URL with a password gets no default, so its fix is a scaffold (TypeScript non-null)',
      path: 'src/db.ts',
      text: `import { Sequelize } from 'sequelize';

export const sequelize = new Sequelize(«'postgres://app:s3cret@db.internal:5432/app'»);
`,
      messages: [/^`postgres:\/\/app:\*\*\*\*@db.internal:5432\/app` is a database address/],
      fixKind: 'scaffold',
      fixed: `import { Sequelize } from 'sequelize';

export const sequelize = new Sequelize(process.env.DATABASE_URL!);
`,
    },
    {
      name: 'Python: psycopg2 keyword host, redis-py, Celery broker, SQLAlchemy URL constant, import os added',
      path: 'worker.py',
      text: `import psycopg2
import redis
from celery import Celery

SQLALCHEMY_DATABASE_URI = «"postgresql+psycopg2://localhost/orders"»
conn = psycopg2.connect(host=«"localhost"», dbname="orders")
cache = redis.Redis(«"localhost"», 6379)
app = Celery("tasks", broker=«"amqp://guest@mq.corp.example//"»)
`,
      fixed: `import psycopg2
import redis
from celery import Celery
import os

SQLALCHEMY_DATABASE_URI = os.environ.get("SQLALCHEMY_DATABASE_URI", "postgresql+psycopg2://localhost/orders")
conn = psycopg2.connect(host=os.environ.get("PGHOST", "localhost"), dbname="orders")
cache = redis.Redis(os.environ.get("REDIS_HOST", "localhost"), 6379)
app = Celery("tasks", broker=os.environ.get("CELERY_BROKER_URL", "amqp://guest@mq.corp.example//"))
`,
    },
    {
      name: 'Django DATABASES host and a host constant',
      path: 'settings.py',
      text: `import os

REDIS_HOST = «"127.0.0.1"»
DATABASES = {
    "default": {
        "ENGINE": "django.db.backends.postgresql",
        "HOST": «"10.0.3.12"»,
        "PORT": "5432",
    }
}
`,
      fixed: `import os

REDIS_HOST = os.environ.get("REDIS_HOST", "127.0.0.1")
DATABASES = {
    "default": {
        "ENGINE": "django.db.backends.postgresql",
        "HOST": os.environ.get("DB_HOST", "10.0.3.12"),
        "PORT": "5432",
    }
}
`,
    },
    {
      name: 'the container itself (localhost, 127.x, ::1) or an address that changes per environment: the message tells which',
      path: 'stores.js',
      text: `const { Pool } = require('pg');
const Redis = require('ioredis');
const mongoose = require('mongoose');

const orders = new Pool({ host: «'db.internal.example.org'» });
const sessions = new Redis({ host: «'10.0.0.7'», port: 6379 });
const local = new Redis({ host: «'127.0.0.2'» });
mongoose.connect(«'mongodb://[::1]:27017/stock'»);
`,
      messageIds: ['fixedHost', 'fixedHost', 'inCode', 'inCode'],
      messages: [
        '`db.internal.example.org` is a database address fixed in the code: the address differs from one environment to the next, and changing it here takes a new build. Read it from the environment (PGHOST).',
        '`10.0.0.7` is a cache address fixed in the code: the address differs from one environment to the next, and changing it here takes a new build. Read it from the environment (REDIS_HOST).',
        '`127.0.0.2` is a cache address written in the code: inside a container `127.0.0.2` is the container itself, and each environment needs its own address. Read it from the environment (REDIS_HOST).',
        '`mongodb://[::1]:27017/stock` is a database address written in the code: inside a container `[::1]` is the container itself, and each environment needs its own address. Read it from the environment (MONGODB_URI).',
      ],
      fixed: `const { Pool } = require('pg');
const Redis = require('ioredis');
const mongoose = require('mongoose');

const orders = new Pool({ host: process.env.PGHOST ?? 'db.internal.example.org' });
const sessions = new Redis({ host: process.env.REDIS_HOST ?? '10.0.0.7', port: 6379 });
const local = new Redis({ host: process.env.REDIS_HOST ?? '127.0.0.2' });
mongoose.connect(process.env.MONGODB_URI ?? 'mongodb://[::1]:27017/stock');
`,
    },
    {
      name: 'a template string whose host is literal is reported without a fix',
      path: 'mongo.mjs',
      text: 'import { MongoClient } from "mongodb";\nconst client = new MongoClient(«`mongodb://${user}:${pass}@localhost:27017`»);\n',
    },
    {
      name: 'kafka brokers',
      path: 'kafka.js',
      text: `const { Kafka } = require('kafkajs');
const kafka = new Kafka({ clientId: 'app', brokers: [«'localhost:9092'»] });
`,
      fixed: `const { Kafka } = require('kafkajs');
const kafka = new Kafka({ clientId: 'app', brokers: [process.env.KAFKA_BROKERS ?? 'localhost:9092'] });
`,
    },
    {
      name: 'a URL to a service-discovery name that carries its own user and password',
      path: 'orders.js',
      text: `const { Pool } = require('pg');
const pool = new Pool({ connectionString: «'postgres://orders:Qm7vTz2w@orders-db/orders'» });
const local = new Pool({ connectionString: «'postgres://postgres:postgres@db/postgres'» });
`,
      messages: [
        '`postgres://orders:****@orders-db/orders` is a database URL written in the code with its user and password: each environment needs its own credentials, and `orders-db` resolves only where a compose file or a Kubernetes service gives that name. Read it from the environment (PGCONNECTIONSTRING).',
        // The image's default pair guards nothing: it is shown masked, not hidden everywhere.
        /^`postgres:\/\/postgres:\*\*\*\*@db\/postgres` is a database URL/,
      ],
      messageIds: ['serviceName', 'serviceName'],
      fixKind: 'scaffold',
      fixed: `const { Pool } = require('pg');
const pool = new Pool({ connectionString: process.env.PGCONNECTIONSTRING });
const local = new Pool({ connectionString: process.env.PGCONNECTIONSTRING });
`,
    },
    {
      name: 'a password holding @ is masked up to the host',
      path: 'store.js',
      text: `const mongoose = require('mongoose');
mongoose.connect(«'mongodb://shop:p@ss@word@mongo.example-corp.com/shop'»);
`,
      messages: [/^`mongodb:\/\/shop:\*\*\*\*@mongo\.example-corp\.com\/shop` is a database address/],
      fixKind: 'scaffold',
      fixed: `const mongoose = require('mongoose');
mongoose.connect(process.env.MONGODB_URI);
`,
    },
  ],
  clean: [
    {
      name: 'single-label service names, which compose, Kubernetes and ECS Service Connect resolve per environment',
      path: 'vote.py',
      text: `import pika
from redis import Redis

REDIS_HOST = "redis"
params = pika.ConnectionParameters("broker")
cache = Redis(host="session-cache", db=0, socket_timeout=5)
jobs = Redis.from_url("redis://jobs:6379/1")
queue_url = "amqp://guest@rabbitmq//"
`,
    },
    {
      name: 'addresses read from the environment, with local defaults',
      path: 'db.js',
      text: `const mongoose = require('mongoose');
const Redis = require('ioredis');
mongoose.connect(process.env.MONGODB_URI || 'mongodb://localhost:27017/shop');
const redis = new Redis(process.env.REDIS_URL ?? 'redis://localhost:6379');
const cache = new Redis({ host: process.env.REDIS_HOST, port: 6379 });
`,
    },
    {
      name: 'Python defaults of os.environ.get, os.getenv and decouple config',
      path: 'settings.py',
      text: `import os
from decouple import config
DATABASE_URL = os.environ.get("DATABASE_URL", "postgresql://localhost/app")
REDIS_URL = os.getenv("REDIS_URL", "redis://localhost:6379/0")
BROKER = config("BROKER_URL", default="amqp://localhost")
`,
    },
    {
      name: 'docstrings, sqlite, messages, and hosts outside client calls',
      path: 'app.py',
      text: `"""Connects to redis://localhost:6379 by default."""
SQLALCHEMY_DATABASE_URI = "sqlite:///app.db"
print("start redis with: redis-server --port 6379")
server = {"host": "0.0.0.0", "port": 8000}
`,
    },
    {
      name: 'defaults that the code replaces from the environment further on',
      path: 'settings.py',
      text: `import os
import redis

REDIS_HOST = "localhost"
DATABASE_URL = "postgresql://localhost/orders"
if "DATABASE_URL" in os.environ:
    DATABASE_URL = os.environ["DATABASE_URL"]
cache = redis.Redis(host=os.getenv("REDIS_HOST", REDIS_HOST))
`,
    },
    {
      name: 'a config object overridden from the environment, a conditional read, and a schema default',
      path: 'config.js',
      text: `const convict = require('convict');
const config = { db: { url: 'mongodb://localhost:27017/app' }, cache: { host: 'localhost' } };
if (process.env.MONGO_URL) config.db.url = process.env.MONGO_URL;
config.cache.host = process.env.CACHE_HOST || config.cache.host;
const broker = process.env.AMQP_URL ? process.env.AMQP_URL : 'amqp://localhost';
const schema = convict({ redis: { doc: 'Redis URL', default: 'redis://localhost:6379', env: 'REDIS_URL' } });
`,
    },
    {
      name: 'pydantic settings read every field from the environment',
      path: 'app/settings.py',
      text: `from pydantic_settings import BaseSettings

class Settings(BaseSettings):
    database_url: str = "postgresql://localhost/app"
    redis_url: str = "redis://localhost:6379/0"
`,
    },
    {
      name: 'test files',
      path: 'tests/test_db.py',
      text: `import redis\nr = redis.Redis("localhost")\n`,
    },
    {
      name: 'ports and paths are not hosts',
      path: 'cache.js',
      text: `const Redis = require('ioredis');\nconst redis = new Redis(6379);\nconst local = new Redis({ path: '/tmp/redis.sock' });\n`,
    },
  ],
});
