import rule from '../../../server/src/rules/code/no-timeout';
import { ruleTester } from '../../rule-tester';

ruleTester(rule, {
  flagged: [
    {
      name: 'requests without timeout, aliased import',
      path: 'app.py',
      text: `import requests as r

def price(sku):
    return «r.get»(f"https://pricing/{sku}").json()
`,
      messages: [
        'requests.get() has no timeout: requests waits for ever by default when the server stops answering.',
      ],
      fixed: `import requests as r

def price(sku):
    return r.get(f"https://pricing/{sku}", timeout=10).json()
`,
    },
    {
      name: 'from-import and a multi-line call with a trailing comma',
      path: 'client.py',
      text: `from requests import post

def notify(payload):
    «post»(
        URL,
        json=payload,
    )
`,
      fixed: `from requests import post

def notify(payload):
    post(
        URL,
        json=payload,
        timeout=10,
    )
`,
    },
    {
      name: 'requests imported inside the function that calls it',
      path: 'jobs/report.py',
      text: `def send_report(url, body):
    from requests import post as send

    return «send»(url, data=body)
`,
      messages: [/^requests\.post\(\) has no timeout/],
      fixed: `def send_report(url, body):
    from requests import post as send

    return send(url, data=body, timeout=10)
`,
    },
    {
      name: 'httpx with the timeout switched off',
      path: 'client.py',
      text: `import httpx
client = httpx.Client(«timeout=None»)
`,
      fixed: `import httpx
client = httpx.Client(timeout=10.0)
`,
    },
    {
      name: 'urlopen without timeout',
      path: 'fetch.py',
      text: `from urllib.request import urlopen
def read(url):
    return «urlopen»(url).read()
`,
      messageIds: ['urlopenCall'],
      fixed: `from urllib.request import urlopen
def read(url):
    return urlopen(url, timeout=10).read()
`,
    },
    {
      name: 'axios calls with and without a config object',
      path: 'src/pricing.ts',
      text: `import axios from 'axios';
export async function price(sku: string) {
  const a = await «axios.get»(\`/prices/\${sku}\`);
  const b = await «axios.post»('/quotes', { sku }, { headers: { 'x-id': '1' } });
  const c = await «axios.post»('/ping');
  return [a, b, c];
}
`,
      fixed: `import axios from 'axios';
export async function price(sku: string) {
  const a = await axios.get(\`/prices/\${sku}\`, { timeout: 10000 });
  const b = await axios.post('/quotes', { sku }, { headers: { 'x-id': '1' }, timeout: 10000 });
  const c = await axios.post('/ping', undefined, { timeout: 10000 });
  return [a, b, c];
}
`,
    },
    {
      name: 'axios instance without a default timeout',
      path: 'api.js',
      text: `const axios = require('axios');
const api = «axios.create»({
  baseURL: process.env.API_URL,
});
`,
      messages: [/axios instance has no default timeout/],
      fixed: `const axios = require('axios');
const api = axios.create({
  baseURL: process.env.API_URL,
  timeout: 10000,
});
`,
    },
    {
      name: 'server-side fetch without a signal',
      path: 'handler.mjs',
      text: `export const handler = async (event) => {
  const res = await «fetch»(process.env.UPSTREAM, { method: 'POST' });
  return res.json();
};
`,
      fixed: `export const handler = async (event) => {
  const res = await fetch(process.env.UPSTREAM, { method: 'POST', signal: AbortSignal.timeout(10000) });
  return res.json();
};
`,
    },
    {
      name: 'got without timeout',
      path: 'worker.js',
      text: `const got = require('got');
module.exports = () => «got»('https://example.org/feed');
`,
      fixed: `const got = require('got');
module.exports = () => got('https://example.org/feed', { timeout: { request: 10000 } });
`,
    },
    {
      name: 'requests sessions: a variable, a with block, an attribute and a chained call',
      path: 'client.py',
      text: `import requests

http = requests.Session()

def send(body):
    with requests.Session() as s:
        «s.post»(URL, json=body)

class Api:
    def __init__(self):
        self.session = requests.session()

    def items(self):
        return «self.session.get»(f"{BASE}/items").json()

def users():
    return «http.get»(f"{BASE}/users")

def ping():
    return «requests.Session().head»(BASE)
`,
      messages: [/^s.post\(\) has no timeout: a requests Session has no default timeout/],
      fixed: `import requests

http = requests.Session()

def send(body):
    with requests.Session() as s:
        s.post(URL, json=body, timeout=10)

class Api:
    def __init__(self):
        self.session = requests.session()

    def items(self):
        return self.session.get(f"{BASE}/items", timeout=10).json()

def users():
    return http.get(f"{BASE}/users", timeout=10)

def ping():
    return requests.Session().head(BASE, timeout=10)
`,
    },
    {
      name: 'urllib3 2 request() without a timeout',
      path: 'status.py',
      text: `import urllib3

def status():
    return «urllib3.request»("GET", STATUS_URL, headers={"Accept": "application/json"})
`,
      messageIds: ['urllib3Call'],
      fixed: `import urllib3

def status():
    return urllib3.request("GET", STATUS_URL, headers={"Accept": "application/json"}, timeout=10.0)
`,
    },
    {
      name: 'urllib3 pool without a timeout, an httpx client call with timeout=None, got.extend',
      path: 'pool.py',
      text: `import httpx
import urllib3

pool = urllib3.PoolManager()
client = httpx.Client()

def load():
    resp = «pool.request»("GET", URL)
    return client.get(URL, «timeout=None»), resp
`,
      messageIds: ['poolCall', 'httpxClientTimeoutOff'],
      fixed: `import httpx
import urllib3

pool = urllib3.PoolManager()
client = httpx.Client()

def load():
    resp = pool.request("GET", URL, timeout=10)
    return client.get(URL, timeout=10.0), resp
`,
    },
    {
      name: 'got instance without a default timeout',
      path: 'api.mjs',
      text: `import got from 'got';
export const api = «got.extend»({ prefixUrl: process.env.API_URL });
`,
      fixed: `import got from 'got';
export const api = got.extend({ prefixUrl: process.env.API_URL, timeout: { request: 10000 } });
`,
    },
  ],
  clean: [
    {
      name: 'sessions given a timeout by an adapter or a wrapped request, pools with a timeout',
      path: 'client.py',
      text: `import functools
import requests
import urllib3
from myhttp import TimeoutHTTPAdapter

s = requests.Session()
s.mount("https://", TimeoutHTTPAdapter(timeout=5))
s.get(URL)
t = requests.Session()
t.request = functools.partial(t.request, timeout=5)
t.get(URL)
u = requests.Session()
u.get(URL, timeout=3)
pool = urllib3.PoolManager(timeout=urllib3.Timeout(connect=2, read=5))
pool.request("GET", URL)
`,
    },
    {
      name: 'requests with timeout, and a **kwargs call',
      path: 'app.py',
      text: `import requests
requests.get(url, timeout=5)
requests.post(url, **options)
`,
    },
    {
      name: 'httpx has a default timeout',
      path: 'app.py',
      text: `import httpx\nhttpx.get(url)\n`,
    },
    {
      name: 'a local function named get',
      path: 'app.py',
      text: `def get(url):\n    return url\nget("x")\n`,
    },
    {
      name: 'axios with timeout, with a signal, or with global defaults',
      path: 'a.js',
      text: `const axios = require('axios');
axios.get(u, { timeout: 2000 });
axios.get(u, { signal: AbortSignal.timeout(2000) });
axios.get(u, config);
const api = axios.create({ timeout: 3000 });
`,
    },
    {
      name: 'browser code calling fetch is not flagged',
      path: 'src/App.tsx',
      text: `export function App() {\n  fetch('/api/items').then((r) => r.json());\n  return null;\n}\n`,
    },
    {
      name: 'a React component that reads a build-time variable and calls axios',
      path: 'src/pages/orders.js',
      text: `import { useEffect, useState } from 'react';
import axios from 'axios';

export function Orders() {
  const [orders, setOrders] = useState([]);
  useEffect(() => {
    axios.get(\`\${process.env.REACT_APP_API}/orders\`).then((r) => setOrders(r.data));
    fetch('/api/me').then((r) => r.json());
  }, []);
  return orders.length;
}
`,
    },
    {
      name: 'a service worker answering fetch events',
      path: 'src/offline.js',
      text: `import axios from 'axios';
const api = process.env.API_URL;
self.addEventListener('fetch', (event) => {
  event.respondWith(caches.match(event.request).then((hit) => hit || fetch(event.request)));
});
const refresh = () => axios.post(\`\${api}/sync\`);
`,
    },
    {
      name: 'a download script: its top level runs once, watched by whoever runs it',
      path: 'examples/fetch_weights.py',
      text: `import requests

WEIGHTS = "https://models.example-corp.com/weights.bin"
open("weights.bin", "wb").write(requests.get(WEIGHTS).content)
`,
    },
    {
      name: 'a Lambda function calling its AppConfig extension on localhost',
      path: 'functions/flags/app.py',
      text: `import urllib.request

CONFIG_URL = f"http://localhost:2772/applications/{APP}/environments/{ENV}/configurations/{NAME}"

def handler(event, context):
    with urllib.request.urlopen(urllib.request.Request(CONFIG_URL)) as response:
        return {"statusCode": 200, "body": response.read()}
`,
    },
    {
      name: 'a command-line tool in a scripts folder',
      path: 'scripts/sync_prices.py',
      text: `import requests

def main():
    for sku in SKUS:
        requests.post(PRICES_URL, json={"sku": sku})
`,
    },
    {
      name: 'fetch with a signal',
      path: 'server.js',
      text: `const express = require('express');\nfetch(url, { signal: controller.signal });\n`,
    },
  ],
});
