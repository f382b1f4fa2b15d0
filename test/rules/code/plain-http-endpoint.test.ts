import rule from '../../../server/src/rules/code/plain-http-endpoint';
import { ruleTester } from '../../rule-tester';

ruleTester(rule, {
  flagged: [
    {
      name: 'Python: an API base URL and a requests call',
      path: 'client.py',
      text: `import requests

PAYMENTS_API = "«http://»api.payments.example-bank.com/v1"

def charge(amount):
    return requests.post("«http://»billing.acme-corp.io/charge", json={"amount": amount}, timeout=5)
`,
      messages: [
        'api.payments.example-bank.com is called over plain HTTP: requests, answers and any token or cookie travel in clear text, and nothing proves the server is genuine. Use https://.',
      ],
      fixed: `import requests

PAYMENTS_API = "https://api.payments.example-bank.com/v1"

def charge(amount):
    return requests.post("https://billing.acme-corp.io/charge", json={"amount": amount}, timeout=5)
`,
    },
    {
      name: 'one finding per host in a file: the other calls to it are named, and the fix switches them all',
      path: 'fetch_weights.py',
      text: `import requests

def fetch_all():
    for name in ("encoder", "decoder"):
        requests.get(f"«http://»models.acme-corp.io/{name}.bin", timeout=30)
    requests.get("http://models.acme-corp.io/vocab.txt", timeout=30)
    requests.get("http://models.acme-corp.io/config.json", timeout=30)
    requests.get("«http://»mirror.acme-corp.io/config.json", timeout=30)
`,
      messages: [
        'models.acme-corp.io is called over plain HTTP here and in 2 other places of this file: requests, answers and any token or cookie travel in clear text, and nothing proves the server is genuine. Use https://.',
        'mirror.acme-corp.io is called over plain HTTP: requests, answers and any token or cookie travel in clear text, and nothing proves the server is genuine. Use https://.',
      ],
      messageIds: ['plainUrls', 'plainUrl'],
      fixed: `import requests

def fetch_all():
    for name in ("encoder", "decoder"):
        requests.get(f"https://models.acme-corp.io/{name}.bin", timeout=30)
    requests.get("https://models.acme-corp.io/vocab.txt", timeout=30)
    requests.get("https://models.acme-corp.io/config.json", timeout=30)
    requests.get("https://mirror.acme-corp.io/config.json", timeout=30)
`,
    },
    {
      name: 'JS: fetch with a template path, axios baseURL and a WebSocket',
      path: 'src/api.ts',
      text: `import axios from 'axios';
export const api = axios.create({ baseURL: '«http://»api.acme-corp.io', timeout: 5000 });
export const quote = (id: string) => fetch(\`«http://»quotes.acme-corp.io/v1/\${id}\`, { signal: AbortSignal.timeout(5000) });
export const live = new WebSocket('«ws://»stream.acme-corp.io/prices');
`,
      fixed: `import axios from 'axios';
export const api = axios.create({ baseURL: 'https://api.acme-corp.io', timeout: 5000 });
export const quote = (id: string) => fetch(\`https://quotes.acme-corp.io/v1/\${id}\`, { signal: AbortSignal.timeout(5000) });
export const live = new WebSocket('wss://stream.acme-corp.io/prices');
`,
    },
    {
      name: 'axios with a url option, got, and a URL kept in a variable the call is given',
      path: 'src/partners.js',
      text: `const axios = require('axios');
const got = require('got');

const inventory = '«http://»inventory.partner-shop.net/v2';
const ledger = (id) => axios({ method: 'get', url: '«http://»ledger.partner-bank.net/entries/' + id, timeout: 5000 });
const stock = () => got(\`\${inventory}/stock\`, { timeout: { request: 5000 } });
const rates = () => got.post('«http://»rates.partner-fx.net/latest', { timeout: { request: 5000 } });
`,
      messages: [
        /^inventory\.partner-shop\.net is called over plain HTTP/,
        /^ledger\.partner-bank\.net/,
        /^rates\.partner-fx\.net/,
      ],
      fixed: `const axios = require('axios');
const got = require('got');

const inventory = 'https://inventory.partner-shop.net/v2';
const ledger = (id) => axios({ method: 'get', url: 'https://ledger.partner-bank.net/entries/' + id, timeout: 5000 });
const stock = () => got(\`\${inventory}/stock\`, { timeout: { request: 5000 } });
const rates = () => got.post('https://rates.partner-fx.net/latest', { timeout: { request: 5000 } });
`,
    },
    {
      name: 'Python: plain FTP and telnet clients, and a gRPC channel without TLS to a public host',
      path: 'sync.py',
      text: `import ftplib
import grpc

def upload(report):
    ftp = «ftplib.FTP»("files.partner-shop.net")
    ftp.login("shop", os.environ["FTP_PASSWORD"])

channel = «grpc.insecure_channel»("orders.partner-shop.net:443")
`,
      messages: [
        '`ftplib.FTP` speaks FTP in clear text: the user name, the password and every file cross the network readable by anyone on the path. Use FTPS (ftplib.FTP_TLS) or SFTP.',
        /^`grpc\.insecure_channel` opens a gRPC channel to orders\.partner-shop\.net:443 without TLS/,
      ],
      messageIds: ['plainProtocol', 'grpcInsecure'],
      fixed: `import ftplib
import grpc

def upload(report):
    ftp = ftplib.FTP_TLS("files.partner-shop.net")
    ftp.login("shop", os.environ["FTP_PASSWORD"])

channel = grpc.secure_channel("orders.partner-shop.net:443", grpc.ssl_channel_credentials())
`,
    },
    {
      name: 'Python: a telnet client, which has no fix',
      path: 'ops/switches.py',
      text: `from telnetlib import Telnet

def reboot(host):
    session = «Telnet»(host)
`,
      messages: [/^`Telnet` speaks telnet in clear text.*Use SSH\.$/],
    },
    {
      name: 'basic-ftp without secure, and a JS gRPC client with insecure credentials',
      path: 'jobs/export.js',
      text: `const ftp = require('basic-ftp');
const grpc = require('@grpc/grpc-js');

async function push(file) {
  const client = new ftp.Client();
  await «client.access»({ host: 'ftp.partner-shop.net', user: 'shop', password: process.env.FTP_PASSWORD });
}
const orders = new OrdersClient('orders.partner-shop.net:443', «grpc.credentials.createInsecure»());
`,
      messageIds: ['plainProtocol', 'grpcInsecure'],
      fixed: `const ftp = require('basic-ftp');
const grpc = require('@grpc/grpc-js');

async function push(file) {
  const client = new ftp.Client();
  await client.access({ host: 'ftp.partner-shop.net', user: 'shop', password: process.env.FTP_PASSWORD, secure: true });
}
const orders = new OrdersClient('orders.partner-shop.net:443', grpc.credentials.createSsl());
`,
    },
    {
      name: 'database connections with TLS switched off',
      path: 'db.js',
      text: `const { Pool } = require('pg');
const { Sequelize } = require('sequelize');
const pool = new Pool({ connectionString: process.env.DATABASE_URL, ssl: «false» });
const sequelize = new Sequelize(process.env.DATABASE_URL, { dialectOptions: { ssl: «false» } });
const url = 'postgres://app@orders.cluster-abc.eu-west-1.rds.amazonaws.com:5432/orders?«sslmode=disable»';
`,
      fixed: `const { Pool } = require('pg');
const { Sequelize } = require('sequelize');
const pool = new Pool({ connectionString: process.env.DATABASE_URL, ssl: true });
const sequelize = new Sequelize(process.env.DATABASE_URL, { dialectOptions: { ssl: true } });
const url = 'postgres://app@orders.cluster-abc.eu-west-1.rds.amazonaws.com:5432/orders?sslmode=require';
`,
    },
    {
      name: 'psycopg2 with sslmode disable',
      path: 'db.py',
      text: `import os
import psycopg2
conn = psycopg2.connect(os.environ["DATABASE_URL"], sslmode="«disable»")
`,
      fixed: `import os
import psycopg2
conn = psycopg2.connect(os.environ["DATABASE_URL"], sslmode="require")
`,
    },
    {
      name: 'a TSX server component: the fetch is flagged, the link in the markup is not',
      path: 'app/products/page.tsx',
      text: `export default async function Products() {
  const products = await fetch('«http://»api.acme-corp.io/products').then((r) => r.json());
  return <a href="http://old.acme-corp.io">{products.length} products</a>;
}
`,
      fixed: `export default async function Products() {
  const products = await fetch('https://api.acme-corp.io/products').then((r) => r.json());
  return <a href="http://old.acme-corp.io">{products.length} products</a>;
}
`,
    },
  ],
  clean: [
    {
      name: 'links to home pages and specs kept in settings (from pygments and oauthlib)',
      path: 'lexer.py',
      text: `class PythonLexer(RegexLexer):
    url = "http://www.python.org"

HOMEPAGE_URL = "http://acme-corp.io"
raise InvalidRequestError(description="Malformed claims", uri="http://openid.net/specs/openid-connect-core-1_0.html#ClaimsParameter")
LEGACY_API = "http://www.acme-corp.io/"
`,
    },
    {
      name: 'gRPC to addresses from configuration or to service names, FTP to this machine, a gRPC server',
      path: 'services/recommend.py',
      text: `import os
import ftplib
import grpc

catalog = grpc.insecure_channel(os.environ["CATALOG_ADDR"])
local = grpc.insecure_channel("catalog:3550")
mirror = ftplib.FTP("127.0.0.1")
secure = ftplib.FTP_TLS("files.partner-shop.net")
server.add_insecure_port("[::]:8080")
`,
    },
    {
      name: 'local, private and service-name addresses',
      path: 'config.js',
      text: `const API_URL = 'http://localhost:3000';
const USERS_URL = 'http://users:8080/users';
const METADATA = 'http://169.254.169.254/latest/meta-data/';
const INTERNAL = 'http://10.0.3.17/api';
const K8S = 'http://orders.default.svc.cluster.local/api';
const devBase = \`http://\${process.env.HOST}/api\`;
`,
    },
    {
      name: 'namespaces, docs, messages and links in JSX',
      path: 'src/Logo.tsx',
      text: `export const Logo = () => (
  <svg xmlns="http://www.w3.org/2000/svg"><a href="http://old-site.acme-corp.io">old</a></svg>
);
const help = 'See http://docs.acme-corp.io for details';
const schema = { $schema: 'http://json-schema.org/draft-07/schema#' };
`,
    },
    {
      name: 'https, a docstring and a local database without TLS',
      path: 'app.py',
      text: `"""Talks to http://legacy.acme-corp.io when asked."""
import psycopg2
API_URL = "https://api.acme-corp.io"
conn = psycopg2.connect(host="localhost", sslmode="disable")
LOCAL_DB = "postgres://app@localhost/app?sslmode=disable"
`,
    },
  ],
});
