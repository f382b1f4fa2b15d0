import rule from '../../../server/src/rules/code/tls-verification-disabled';
import { ruleTester } from '../../rule-tester';

ruleTester(rule, {
  flagged: [
    {
      name: 'pg pool and an https agent that accept any certificate',
      path: 'db.js',
      text: `const https = require('https');
const { Pool } = require('pg');
const pool = new Pool({ connectionString: process.env.DATABASE_URL, ssl: { rejectUnauthorized: «false» } });
const agent = new https.Agent({
  rejectUnauthorized: «false»,
  «checkServerIdentity: () => undefined»,
});
«process.env.NODE_TLS_REJECT_UNAUTHORIZED = '0'»;
`,
      messages: [
        /^`rejectUnauthorized: false` accepts any certificate: the connection is encrypted to whoever answers/,
      ],
      fixed: `const https = require('https');
const { Pool } = require('pg');
const pool = new Pool({ connectionString: process.env.DATABASE_URL, ssl: { rejectUnauthorized: true } });
const agent = new https.Agent({
  rejectUnauthorized: true,
});
`,
    },
    {
      name: 'requests, sessions, httpx, boto3 and the ssl module in Python',
      path: 'client.py',
      text: `import ssl
import boto3
import httpx
import requests as r

resp = r.get(url, «verify=False», timeout=5)
session = r.Session()
«session.verify = False»
client = httpx.Client(«verify=False»)
s3 = boto3.client("s3", «verify=False»)
context = «ssl._create_unverified_context»()
ctx = ssl.create_default_context()
ctx.check_hostname = «False»
ctx.verify_mode = «ssl.CERT_NONE»
`,
      fixed: `import ssl
import boto3
import httpx
import requests as r

resp = r.get(url, timeout=5)
session = r.Session()
client = httpx.Client()
s3 = boto3.client("s3")
context = ssl.create_default_context()
ctx = ssl.create_default_context()
ctx.check_hostname = True
ctx.verify_mode = ssl.CERT_REQUIRED
`,
    },
    {
      name: 'a multi-line call and environment overrides in Python',
      path: 'app.py',
      text: `import os
import ssl
import requests

«os.environ["PYTHONHTTPSVERIFY"] = "0"»
«ssl._create_default_https_context = ssl._create_unverified_context»
requests.post(
    url,
    json=body,
    «verify=False»,
    timeout=10,
)
`,
      fixed: `import os
import ssl
import requests

requests.post(
    url,
    json=body,
    timeout=10,
)
`,
    },
    {
      name: 'aiohttp, a urllib3 pool and an emptied CA bundle in Python',
      path: 'fetcher.py',
      text: `import os
import aiohttp
import urllib3

«os.environ["CURL_CA_BUNDLE"] = ""»
http = urllib3.PoolManager(«cert_reqs="CERT_NONE"»)

async def fetch(url):
    async with aiohttp.ClientSession() as session:
        async with session.get(url, «ssl=False») as resp:
            return await resp.text()
`,
      messageIds: ['emptyCaBundle', 'certReqsNone', 'aiohttpSslOff'],
      messages: [
        /^An empty CURL_CA_BUNDLE makes requests skip certificate checks: /,
        /^`cert_reqs` set to none accepts any certificate: /,
        /^`ssl=False` makes aiohttp accept any certificate: /,
      ],
      fixed: `import os
import aiohttp
import urllib3

http = urllib3.PoolManager(cert_reqs="CERT_REQUIRED")

async def fetch(url):
    async with aiohttp.ClientSession() as session:
        async with session.get(url) as resp:
            return await resp.text()
`,
    },
    {
      name: 'ssl.wrap_socket on a client socket: no fix, the host name must come from the caller',
      path: 'ops/ftps.py',
      text: `import socket
import ssl

raw = socket.create_connection(("files.example-corp.com", 990))
secure = «ssl.wrap_socket»(raw)
`,
      messageIds: ['wrapSocket'],
    },
    {
      name: 'paramiko trusting any host key',
      path: 'ops/transfer.py',
      text: `import paramiko

ssh = paramiko.SSHClient()
ssh.set_missing_host_key_policy(«paramiko.AutoAddPolicy()»)
`,
      messages: [/^`AutoAddPolicy` accepts whatever host key/],
      fixed: `import paramiko

ssh = paramiko.SSHClient()
ssh.set_missing_host_key_policy(paramiko.RejectPolicy())
`,
    },
    {
      name: 'a policy imported by name keeps its finding, without a fix (RejectPolicy is not imported)',
      path: 'ops/backup.py',
      text: `from paramiko import SSHClient, WarningPolicy

backup = SSHClient()
backup.set_missing_host_key_policy(«WarningPolicy()»)
`,
      messages: [/^`WarningPolicy` accepts whatever host key/],
    },
    {
      name: 'an ssh2 host verifier that accepts every key',
      path: 'deploy/ssh.js',
      text: `const { Client } = require('ssh2');
const conn = new Client();
conn.connect({ host: 'build.example-corp.com', username: 'deploy', «hostVerifier: () => true» });
`,
      messageIds: ['hostVerifierAcceptsAny'],
    },
    {
      name: 'Dockerfile: a trusted pip host in ENV and dnf without sslverify',
      path: 'Dockerfile',
      text: `FROM rockylinux:9
ENV «PIP_TRUSTED_HOST=pypi.internal.example.com»
RUN dnf install -y «--setopt=sslverify=false» python3-pip
`,
      messageIds: ['pipTrustedHostVariable', 'yumSslVerifyOff'],
      messages: [/^PIP_TRUSTED_HOST lets pip download/, /^sslverify=false makes dnf download packages/],
      fixed: `FROM rockylinux:9
RUN dnf install -y --setopt=sslverify=true python3-pip
`,
    },
    {
      name: 'Dockerfile: sslverify written into yum.conf, which has no fix',
      path: 'Dockerfile',
      text: `FROM centos:7
RUN echo «"sslverify=false"» >> /etc/yum.conf && yum install -y epel-release
`,
      messageIds: ['yumSslVerifyOff'],
      messages: [/^sslverify=false makes yum\/dnf download packages and metadata/],
    },
    {
      name: 'Dockerfile: curl, wget, pip, npm, git and ENV settings',
      path: 'Dockerfile',
      text: `FROM python:3.12-slim
ENV «NODE_TLS_REJECT_UNAUTHORIZED=0»
ENV LANG=C.UTF-8 «PYTHONHTTPSVERIFY=0»
RUN curl «-fsSLk» https://example.com/install.sh -o /tmp/install.sh && echo "curl -k is not run here"
RUN apt-get update && wget «--no-check-certificate» -O /tmp/x.tgz https://downloads.example.com/x.tgz
RUN pip install «--trusted-host pypi.internal.example.com» -r requirements.txt
RUN npm config set strict-ssl «false» && git config --global http.sslVerify «false»
RUN «GIT_SSL_NO_VERIFY=1» git clone https://git.example.com/repo.git
RUN ["curl", «"--insecure"», "-o", "/tmp/a", "https://example.com/a"]
`,
      messageIds: [
        'imageNodeTlsRejectOff',
        'imagePythonHttpsVerifyOff',
        'curlInsecureCluster',
        'wgetNoCheck',
        'pipTrustedHost',
        'strictSslOff',
        'gitSslVerifyOff',
        'downloadVerificationOff',
        'curlInsecure',
      ],
      fixed: `FROM python:3.12-slim
ENV LANG=C.UTF-8
RUN curl -fsSL https://example.com/install.sh -o /tmp/install.sh && echo "curl -k is not run here"
RUN apt-get update && wget -O /tmp/x.tgz https://downloads.example.com/x.tgz
RUN pip install -r requirements.txt
RUN npm config set strict-ssl true && git config --global http.sslVerify true
RUN git clone https://git.example.com/repo.git
RUN ["curl", "-o", "/tmp/a", "https://example.com/a"]
`,
    },
  ],
  clean: [
    {
      name: 'a context class setting its own defaults, and no host name to check (from urllib3 and asyncio)',
      path: 'ssl_compat.py',
      text: `import ssl

class SSLContext(object):
    def __init__(self, protocol_version):
        self.check_hostname = False
        self.verify_mode = ssl.CERT_NONE

def _create_transport_context(server_hostname):
    sslcontext = ssl.create_default_context()
    if not server_hostname:
        sslcontext.check_hostname = False
    return sslcontext
`,
    },
    {
      name: 'verification on, a CA given, and verify keywords of other functions',
      path: 'client.py',
      text: `import requests
import jwt
requests.get(url, verify="/etc/ssl/certs/internal-ca.pem", timeout=5)
requests.get(url, verify=True, timeout=5)
claims = jwt.decode(token, key, options={"verify_signature": True})
form.validate(verify=False)
`,
    },
    {
      name: "urllib3's cert_reqs=None is its default, which verifies; a server socket and a verifying host check",
      path: 'net.py',
      text: `import ssl
import urllib3
import paramiko

pool = urllib3.PoolManager(cert_reqs=None)
listener = ssl.wrap_socket(sock, server_side=True, certfile="server.pem")
ssh = paramiko.SSHClient()
ssh.load_system_host_keys()
ssh.set_missing_host_key_policy(paramiko.RejectPolicy())
`,
    },
    {
      name: 'JS options that are expressions or unrelated',
      path: 'db.js',
      text: `const pool = new Pool({ ssl: { rejectUnauthorized: process.env.NODE_ENV === 'production', ca } });
const opts = { checkServerIdentity: (host, cert) => tls.checkServerIdentity(host, cert) };
const flags = { secure: false };
`,
    },
    {
      name: 'Dockerfile words that only look like the options',
      path: 'Dockerfile',
      text: `FROM node:22-slim
RUN echo "curl -k" && curl -fsSL -o /tmp/k https://example.com/k && grep -k x y || true
RUN curl --cacert /certs/ca.pem https://example.com/a -o /tmp/a
ENV NODE_TLS_REJECT_UNAUTHORIZED=1 GIT_SSL_NO_VERIFY=false
`,
    },
    {
      name: 'test files',
      path: 'test/helpers.js',
      text: `const agent = new https.Agent({ rejectUnauthorized: false });\n`,
    },
  ],
});
