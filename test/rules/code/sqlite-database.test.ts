import rule from '../../../server/src/rules/code/sqlite-database';
import { ruleTester } from '../../rule-tester';

ruleTester(rule, {
  flagged: [
    {
      name: 'Django settings of a Django project',
      path: 'shop/shop/settings.py',
      files: { '/work/shop/requirements.txt': 'Django==5.0\n' },
      text: `from pathlib import Path

BASE_DIR = Path(__file__).resolve().parent.parent
DATABASES = {
    "default": {
        "ENGINE": «"django.db.backends.sqlite3"»,
        "NAME": BASE_DIR / "db.sqlite3",
    }
}
`,
      messages: [
        "This service keeps its data in an SQLite file on the instance's own disk: a second instance has a database of its own, and the data is gone when the container or instance is replaced. Use a database server every instance reaches (RDS, Aurora, DynamoDB).",
      ],
    },
    {
      name: 'a Flask app opening an SQLite file in its handlers, and an SQLAlchemy URL',
      path: 'notes/app.py',
      text: `import sqlite3
from flask import Flask, g

app = Flask(__name__)
app.config["SQLALCHEMY_DATABASE_URI"] = «"sqlite:///notes.db"»

def db():
    return «sqlite3.connect»("notes.db")

@app.get("/notes")
def notes():
    return {"notes": db().execute("select body from notes").fetchall()}
`,
    },
    {
      name: 'an Express app: better-sqlite3, sqlite3 and a knex configuration',
      path: 'api/src/db.js',
      files: { '/work/api/package.json': '{"dependencies": {"express": "^4.19.0", "knex": "^3.1.0"}}' },
      text: `const Database = require('better-sqlite3');
const sqlite3 = require('sqlite3');

exports.db = new «Database»('data/app.db');
exports.legacy = new «sqlite3.Database»(process.env.DB_FILE);
exports.knexConfig = { client: «'sqlite3'», connection: { filename: './data/app.db' } };
`,
    },
  ],
  clean: [
    {
      name: 'a command-line tool: no web framework among its dependencies',
      path: 'tools/export/cli.py',
      files: { '/work/tools/export/requirements.txt': 'click==8.1\n' },
      text: `import sqlite3\n\nconn = sqlite3.connect("cache.db")\n`,
    },
    {
      name: 'SQLite kept in memory, and an SQLite default the environment overrides',
      path: 'svc/config.py',
      files: { '/work/svc/requirements.txt': 'flask\n' },
      text: `import os
import sqlite3

basedir = os.path.dirname(__file__)
SQLALCHEMY_DATABASE_URI = os.environ.get("DATABASE_URL") or "sqlite:///" + os.path.join(basedir, "app.db")
CACHE = sqlite3.connect(":memory:")
ENGINE_URL = os.getenv("DB_URL", "sqlite:///local.db")
`,
    },
    {
      name: 'other databases',
      path: 'web/db.js',
      files: { '/work/web/package.json': '{"dependencies": {"express": "4"}}' },
      text: `const knex = require('knex')({ client: 'pg', connection: process.env.DATABASE_URL });
const { Sequelize } = require('sequelize');
const sequelize = new Sequelize(process.env.DATABASE_URL, { dialect: 'postgres' });
`,
    },
  ],
});
