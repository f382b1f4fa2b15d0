import type { Node } from '../../engine/parse/syntax-tree';
import { codeChildren, removeListItem, removeStatement } from '../../engine/code/edit';
import { bindingsOf, calleeQualifiedName } from '../../engine/code/imports';
import {
  calleeName,
  dottedName,
  keywordArgument,
  nodesOfType,
  spanOfNode,
  stringLiteral,
  unwrapExpression,
} from '../../engine/code/syntax';
import type { CodeModel } from '../../engine/parse/code';
import { defineRule, type CheckContext, type Fix, type MessageData, type TextEdit } from '../../engine/rule';
import type { Span } from '../../engine/text';
import { removeInstructionEdit } from '../../engine/docker/edits';
import type { DockerfileModel, ExecArgument } from '../../engine/parse/dockerfile';
import { effectiveCommand, commandName, type ShellCommand, type ShellWord } from '../../engine/parse/shell';
import type { LineIndex } from '../../engine/text';
import type { Instruction, Property } from 'dockerfile-ast';

interface Insecure {
  span: Span;
  messageId: keyof typeof messages;
  data?: MessageData;
  fix?: () => Fix;
}

const anyCertificate =
  'the connection is encrypted to whoever answers, so anyone on the network path can pose as the server and read or change the traffic. Give the client the CA that signs the certificate instead.';
const dockerAdvice =
  'whatever answers (a proxy, a poisoned DNS entry, a compromised mirror) can hand the build different files.';

const messages = {
  acceptsAny: `\`{{setting}}\` accepts any certificate: ${anyCertificate}`,
  emptyHostCheck: `An empty \`checkServerIdentity\` accepts a certificate issued for any host name: ${anyCertificate}`,
  hostnameCheckOff: `\`check_hostname = False\` accepts a certificate issued for any host name: ${anyCertificate}`,
  nodeTlsRejectOff: `Setting NODE_TLS_REJECT_UNAUTHORIZED to 0 switches certificate checks off for every HTTPS and TLS connection of the process: ${anyCertificate}`,
  unverifiedContext: `\`{{call}}()\` builds a context that accepts any certificate: ${anyCertificate}`,
  aiohttpSslOff: `\`{{setting}}=False\` makes aiohttp accept any certificate: ${anyCertificate}`,
  certReqsNone: `\`{{setting}}\` set to none accepts any certificate: ${anyCertificate}`,
  wrapSocket: `\`ssl.wrap_socket()\` checks no certificate unless told to and never the host name, and it is gone from Python 3.12: ${anyCertificate} Use \`ssl.create_default_context().wrap_socket(sock, server_hostname=…)\`.`,
  hostKeyAccepted: `\`{{policy}}\` accepts whatever host key the server presents: anyone on the network path can pose as the SSH server and read or change the session. Load the known host keys and keep the default RejectPolicy.`,
  hostVerifierAcceptsAny: `A \`hostVerifier\` that answers true accepts any SSH host key: anyone on the network path can pose as the server and read or change the session. Compare the key with the one you expect.`,
  pythonHttpsVerifyOff: `PYTHONHTTPSVERIFY=0 switches certificate checks off for the standard library's HTTPS: ${anyCertificate}`,
  emptyCaBundle: `An empty CURL_CA_BUNDLE makes requests skip certificate checks: ${anyCertificate}`,
  sessionVerifyOff: `\`{{setting}} = False\` makes every request of this session accept any certificate: ${anyCertificate}`,
  unverifiedDefaultContext: `Replacing the default HTTPS context with an unverified one switches certificate checks off for the whole process: ${anyCertificate}`,
  imageNodeTlsRejectOff: `NODE_TLS_REJECT_UNAUTHORIZED=0 makes every Node.js process in the image accept any certificate: ${anyCertificate}`,
  imagePythonHttpsVerifyOff: `PYTHONHTTPSVERIFY=0 makes Python's standard HTTPS accept any certificate: ${anyCertificate}`,
  pipTrustedHostVariable: `PIP_TRUSTED_HOST lets pip download from these hosts without checking their certificates: ${dockerAdvice}`,
  downloadVerificationOff: `{{variable}} switches certificate checks off for the downloads that read it: ${dockerAdvice}`,
  curlInsecure: `\`curl {{option}}\` downloads without checking the server's certificate: ${dockerAdvice} Give curl the CA with --cacert instead.`,
  curlInsecureCluster: `\`curl {{option}}\` includes -k, which downloads without checking the server's certificate: ${dockerAdvice} Give curl the CA with --cacert instead.`,
  wgetNoCheck: `\`wget --no-check-certificate\` downloads without checking the server's certificate: ${dockerAdvice} Give wget the CA with --ca-certificate instead.`,
  pipTrustedHost: `\`pip --trusted-host\` downloads from {{host}} without checking its certificate: ${dockerAdvice}`,
  strictSslOff: `\`{{setting}}\` makes {{tool}} download packages without checking the registry's certificate: ${dockerAdvice}`,
  gitSslVerifyOff: `\`{{setting}}\` makes git clone and fetch without checking certificates: ${dockerAdvice}`,
  yumSslVerifyOff: `sslverify=false makes {{tool}} download packages and metadata without checking certificates: ${dockerAdvice}`,
};

/** Python calls that make HTTPS requests or build clients that do: `verify=False` there skips the check. */
const pythonHttpMethods = new Set([
  'get',
  'post',
  'put',
  'patch',
  'delete',
  'head',
  'options',
  'request',
  'send',
  'stream',
  'Session',
  'Client',
  'AsyncClient',
  'client',
  'resource',
  'urlopen',
  'ws_connect',
]);

export default defineRule({
  id: 'encrypt-everything/tls-verification-disabled',
  lesson: 'encrypt-everything',
  title: 'TLS certificate verification switched off',
  severity: 'warning',
  equivalents: [
    'CKV2_DOCKER_2',
    'CKV2_DOCKER_3',
    'CKV2_DOCKER_4',
    'CKV2_DOCKER_5',
    'CKV2_DOCKER_6',
    'CKV2_DOCKER_12',
    'CKV2_DOCKER_13',
    'CKV2_DOCKER_14',
    'CKV2_DOCKER_15',
    'CKV2_DOCKER_16',
    'S501',
    'S323',
  ],
  fix: 'scaffold',
  messages,
  docs: {
    what:
      'Code and images that accept any certificate. JavaScript: `rejectUnauthorized: false`, `strictSSL: false`, an empty `checkServerIdentity`, `NODE_TLS_REJECT_UNAUTHORIZED = "0"`. ' +
      "Python: `verify=False` on requests, httpx, boto3 and their sessions and clients, `session.verify = False`, `ssl._create_unverified_context()`, `check_hostname = False`, `CERT_NONE` (urllib3's `cert_reqs=None` is its verifying default since 1.25 and is left alone; redis-py's `ssl_cert_reqs=None` means CERT_NONE), aiohttp `ssl=False`, `verify_certs=False`, `tlsAllowInvalidCertificates=True`, `PYTHONHTTPSVERIFY=0`, `ssl.wrap_socket()` on a client socket. " +
      'SSH host keys, the same check for SSH: paramiko `AutoAddPolicy` and `WarningPolicy`, an ssh2 `hostVerifier` that answers true. ' +
      'Dockerfiles: `curl -k`/`--insecure`, `wget --no-check-certificate`, `pip --trusted-host`, `npm`/`yarn` `strict-ssl false`, `git` `http.sslVerify false`, `yum`/`dnf` `sslverify=false`, and `ENV` settings that do the same (`NODE_TLS_REJECT_UNAUTHORIZED=0`, `PYTHONHTTPSVERIFY=0`, `GIT_SSL_NO_VERIFY`, `NPM_CONFIG_STRICT_SSL=false`, `PIP_TRUSTED_HOST`). Test files are left alone.',
    why:
      'TLS without verification encrypts the connection to whoever answers: an attacker on the path presents any certificate, reads and changes the traffic, and collects the tokens and passwords in it. ' +
      'Switching the check off is usually a work-around for a private CA or a proxy that stayed in the code after it was needed, and an `ENV` line in an image switches it off for every process in every container. ' +
      'Give the client the CA instead (`verify="/path/ca.pem"`, `ca: fs.readFileSync(…)`, `NODE_EXTRA_CA_CERTS`, the RDS CA bundle, `update-ca-certificates` in the image).',
    example: {
      language: 'javascript',
      code: `const pool = new Pool({
  connectionString: process.env.DATABASE_URL,
  ssl: { rejectUnauthorized: false },
});`,
    },
    useInstead: {
      language: 'javascript',
      code: `const pool = new Pool({
  connectionString: process.env.DATABASE_URL,
  // the RDS certificate bundle: https://truststore.pki.rds.amazonaws.com/global/global-bundle.pem
  ssl: { ca: fs.readFileSync('/certs/global-bundle.pem', 'utf8') },
});`,
    },
    fix: 'Switches the check back on: `true` for `rejectUnauthorized`, `CERT_REQUIRED` for `CERT_NONE`, `RejectPolicy` for paramiko, and the override, keyword, option or `ENV` setting removed; `ssl.wrap_socket` and host verifiers get no fix (the host name or the expected key must come from the code). A scaffold: verification was often off for a private CA or a self-signed certificate, so give the client that CA (`verify="/path/ca.pem"`, `ca`, `NODE_EXTRA_CA_CERTS`, `--cacert`) or those calls start failing.',
    references: [
      {
        title: 'OWASP Transport Layer Security Cheat Sheet',
        url: 'https://cheatsheetseries.owasp.org/cheatsheets/Transport_Layer_Security_Cheat_Sheet.html',
      },
      {
        title: 'requests: SSL certificate verification',
        url: 'https://requests.readthedocs.io/en/latest/user/advanced/#ssl-cert-verification',
      },
      {
        title: 'Node.js: NODE_EXTRA_CA_CERTS',
        url: 'https://nodejs.org/api/cli.html#node_extra_ca_certsfile',
      },
      {
        title: 'Amazon RDS: certificate bundles',
        url: 'https://docs.aws.amazon.com/AmazonRDS/latest/UserGuide/UsingWithRDS.SSL.html',
      },
    ],
  },
  checks: {
    js: ({ model, document, report }) =>
      reportAll(javascriptFindings(model, document.lines), report, codeNeeds),
    py: ({ model, document, report }) => reportAll(pythonFindings(model, document.lines), report, codeNeeds),
    docker: ({ model, document, report }) =>
      reportAll(dockerfileFindings(model, document.lines), report, dockerNeeds),
  },
});

/** What a fix that switches verification back on leaves to do, by kind of file. */
const codeNeeds = [
  'Give the client the CA of a private or self-signed certificate (verify="…/ca.pem", ca, NODE_EXTRA_CA_CERTS)',
];
const dockerNeeds = [
  'Add the CA of a private host to the image (update-ca-certificates) or pass it (--cacert, PIP_CERT)',
];

function reportAll(findings: Insecure[], report: CheckContext<unknown>['report'], needs: string[]): void {
  for (const { span, messageId, data, fix } of findings)
    report({
      at: span,
      messageId,
      data,
      fix:
        fix &&
        (() => {
          const made = fix();
          return { ...made, needs: made.needs ?? needs };
        }),
    });
}

function replaceFix(title: string, node: Node, text: string): () => Fix {
  return () => ({ title, edits: [{ start: node.startIndex, end: node.endIndex, text }] });
}

function editFix(title: string, edit: () => TextEdit): () => Fix {
  return () => ({ title, edits: [edit()] });
}

/** The statement an assignment expression stands in, when it stands alone. */
function statementOf(node: Node): Node | undefined {
  const parent = node.parent;
  return parent?.type === 'expression_statement' ? parent : undefined;
}

function javascriptFindings(model: CodeModel, lines: LineIndex): Insecure[] {
  const found: Insecure[] = [];
  for (const pair of nodesOfType(model, 'pair')) {
    if (!pair) continue;
    const key = pair.childForFieldName('key');
    const name = stringLiteral(key)?.value ?? key?.text ?? '';
    const value = pair.childForFieldName('value');
    if (!value) continue;
    if (
      (name === 'rejectUnauthorized' || name === 'strictSSL') &&
      (value.type === 'false' || value.text === '0')
    ) {
      found.push({
        span: spanOfNode(value),
        messageId: 'acceptsAny',
        data: { setting: `${name}: ${value.text}` },
        fix: replaceFix('Verify the certificate', value, 'true'),
      });
    } else if (name === 'hostVerifier' && answersTrue(value)) {
      found.push({ span: spanOfNode(pair), messageId: 'hostVerifierAcceptsAny' });
    } else if (name === 'checkServerIdentity' && emptyFunction(value)) {
      found.push({
        span: spanOfNode(pair),
        messageId: 'emptyHostCheck',
        fix: editFix('Check the host name again', () => removeListItem(lines, pair)),
      });
    }
  }
  for (const assignment of nodesOfType(model, 'assignment_expression')) {
    if (!assignment) continue;
    const left = assignment.childForFieldName('left');
    const right = unwrapExpression(assignment.childForFieldName('right'));
    if (!left || !right) continue;
    const target = dottedName(left) ?? left.text.replace(/\[['"](\w+)['"]\]/g, '.$1');
    if (/^process\.env\.NODE_TLS_REJECT_UNAUTHORIZED$/.test(target) && /^['"`]?0['"`]?$/.test(right.text)) {
      const statement = statementOf(assignment);
      found.push({
        span: spanOfNode(assignment),
        messageId: 'nodeTlsRejectOff',
        fix: statement ? editFix('Remove the setting', () => removeStatement(lines, statement)) : undefined,
      });
    } else if (/\.rejectUnauthorized$/.test(target) && right.type === 'false') {
      found.push({
        span: spanOfNode(right),
        messageId: 'acceptsAny',
        data: { setting: 'rejectUnauthorized = false' },
        fix: replaceFix('Verify the certificate', right, 'true'),
      });
    }
  }
  return found;
}

/** `() => true`, `function () { return true; }` (ssh2's hostVerifier). */
function answersTrue(node: Node): boolean {
  const value = unwrapExpression(node);
  if (!value || (value.type !== 'arrow_function' && value.type !== 'function_expression')) return false;
  const body = value.childForFieldName('body');
  if (body?.type === 'true') return true;
  const statements = body?.type === 'statement_block' ? codeChildren(body) : [];
  return statements.length === 1 && /^return\s+true\s*;?$/.test(statements[0].text);
}

function emptyFunction(node: Node): boolean {
  const value = unwrapExpression(node);
  if (!value || (value.type !== 'arrow_function' && value.type !== 'function_expression')) return false;
  const body = value.childForFieldName('body');
  if (!body) return false;
  if (body.type === 'statement_block') return codeChildren(body).length === 0;
  return body.type === 'undefined' || body.type === 'null' || body.text === 'void 0';
}

function pythonFindings(model: CodeModel, lines: LineIndex): Insecure[] {
  const found: Insecure[] = [];
  const bindings = bindingsOf(model);
  const removeKeyword = (keyword: Node, title: string) =>
    editFix(title, () => removeListItem(lines, keyword));

  for (const call of nodesOfType(model, 'call')) {
    if (!call) continue;
    const qualified = calleeQualifiedName(call, bindings) ?? '';
    const method = calleeName(call) ?? '';
    if (qualified === 'ssl.wrap_socket') {
      // A server's own socket checks no client certificate by design.
      const serverSide = keywordArgument(call, 'server_side')?.childForFieldName('value');
      if (serverSide?.type !== 'true')
        found.push({ span: spanOfNode(call.childForFieldName('function')!), messageId: 'wrapSocket' });
      continue;
    }
    if (method === 'set_missing_host_key_policy') {
      const policy = unwrapExpression(codeChildren(call.childForFieldName('arguments')!)[0]);
      const policyName =
        policy &&
        (calleeQualifiedName(policy, bindings) ??
          dottedName(policy.childForFieldName('function')) ??
          policy.text);
      const accepting =
        policyName && /(^|\.)(AutoAddPolicy|WarningPolicy)$/.exec(policyName.replace(/\(\)$/, ''));
      if (policy && accepting) {
        const callee = policy.type === 'call' ? policy.childForFieldName('function')! : policy;
        // `WarningPolicy()` imported by name: RejectPolicy would need an import of its own.
        const replaceable = callee.type === 'attribute' || bindings.has('RejectPolicy');
        found.push({
          span: spanOfNode(policy),
          messageId: 'hostKeyAccepted',
          data: { policy: accepting[2] },
          fix: replaceable
            ? () => ({
                title: 'Reject unknown host keys',
                edits: [
                  {
                    start: callee.startIndex,
                    end: callee.endIndex,
                    text: callee.text.replace(/(AutoAddPolicy|WarningPolicy)$/, 'RejectPolicy'),
                  },
                ],
                needs: [
                  "Load the server's host key first (load_system_host_keys(), or load_host_keys() on ssh-keyscan's output)",
                ],
              })
            : undefined,
        });
      }
      continue;
    }
    if (qualified === 'ssl._create_unverified_context' || qualified === 'ssl._create_stdlib_context') {
      const callee = call.childForFieldName('function')!;
      found.push({
        span: spanOfNode(callee),
        messageId: 'unverifiedContext',
        data: { call: callee.text },
        fix: replaceFix(
          'Use a verifying context',
          callee,
          callee.text.replace(/_create_(unverified|stdlib)_context$/, 'create_default_context'),
        ),
      });
      continue;
    }
    for (const argument of codeChildren(call.childForFieldName('arguments')!)) {
      if (argument.type !== 'keyword_argument') continue;
      const name = argument.childForFieldName('name')?.text ?? '';
      const value = argument.childForFieldName('value');
      if (!value) continue;
      const isFalse = value.type === 'false';
      const http =
        pythonHttpMethods.has(method) ||
        /^(requests|httpx|boto3|botocore|aiohttp|urllib3)(\.|$)/.test(qualified);
      if (name === 'verify' && isFalse && http) {
        found.push({
          span: spanOfNode(argument),
          messageId: 'acceptsAny',
          data: { setting: 'verify=False' },
          fix: removeKeyword(argument, 'Verify the certificate'),
        });
      } else if (
        (name === 'verify_ssl' || name === 'ssl') &&
        isFalse &&
        (qualified.startsWith('aiohttp') ||
          method === 'TCPConnector' ||
          (pythonHttpMethods.has(method) && !qualified))
      ) {
        found.push({
          span: spanOfNode(argument),
          messageId: 'aiohttpSslOff',
          data: { setting: name },
          fix: removeKeyword(argument, 'Verify the certificate'),
        });
      } else if (name === 'verify_certs' && isFalse) {
        found.push({
          span: spanOfNode(argument),
          messageId: 'acceptsAny',
          data: { setting: 'verify_certs=False' },
          fix: removeKeyword(argument, 'Verify the certificate'),
        });
      } else if (
        (name === 'tlsAllowInvalidCertificates' || name === 'tlsInsecure') &&
        value.type === 'true'
      ) {
        found.push({
          span: spanOfNode(argument),
          messageId: 'acceptsAny',
          data: { setting: `${name}=True` },
          fix: removeKeyword(argument, 'Verify the certificate'),
        });
      } else if (
        (name === 'cert_reqs' || name === 'ssl_cert_reqs') &&
        certNone(value) &&
        // urllib3 reads cert_reqs=None as its default, which requires a certificate since 1.25;
        // redis-py reads ssl_cert_reqs=None as CERT_NONE.
        !(name === 'cert_reqs' && value.type === 'none')
      ) {
        found.push({
          span: spanOfNode(argument),
          messageId: 'certReqsNone',
          data: { setting: name },
          fix:
            value.type === 'none' || stringLiteral(value)?.value === 'none'
              ? removeKeyword(argument, 'Verify the certificate')
              : replaceFix(
                  'Require a valid certificate',
                  value,
                  value.text.replace('CERT_NONE', 'CERT_REQUIRED'),
                ),
        });
      }
    }
  }

  for (const assignment of nodesOfType(model, 'assignment')) {
    if (!assignment) continue;
    const left = assignment.childForFieldName('left');
    const right = assignment.childForFieldName('right');
    if (!left || !right) continue;
    const target = dottedName(left) ?? '';
    // `self.check_hostname = False` in a class's own code: a context class setting its defaults.
    if (/^self\.(check_hostname|verify_mode|verify)$/.test(target)) continue;
    const statement = statementOf(assignment);
    const key =
      left.type === 'subscript' && left.childForFieldName('value')?.text === 'os.environ'
        ? stringLiteral(left.childForFieldName('subscript'))?.value
        : undefined;
    if (key === 'PYTHONHTTPSVERIFY' && stringLiteral(right)?.value === '0') {
      found.push({
        span: spanOfNode(assignment),
        messageId: 'pythonHttpsVerifyOff',
        fix: statement ? editFix('Remove the setting', () => removeStatement(lines, statement)) : undefined,
      });
    } else if (key === 'CURL_CA_BUNDLE' && stringLiteral(right)?.value === '') {
      found.push({
        span: spanOfNode(assignment),
        messageId: 'emptyCaBundle',
        fix: statement ? editFix('Remove the setting', () => removeStatement(lines, statement)) : undefined,
      });
    } else if (/\.verify$/.test(target) && right.type === 'false') {
      found.push({
        span: spanOfNode(assignment),
        messageId: 'sessionVerifyOff',
        data: { setting: target },
        fix: statement
          ? editFix('Verify the certificate', () => removeStatement(lines, statement))
          : undefined,
      });
    } else if (
      /\.check_hostname$/.test(target) &&
      right.type === 'false' &&
      !guardedByMissingHostname(assignment)
    ) {
      found.push({
        span: spanOfNode(right),
        messageId: 'hostnameCheckOff',
        fix: replaceFix('Check the host name', right, 'True'),
      });
    } else if (/\.verify_mode$/.test(target) && certNone(right)) {
      found.push({
        span: spanOfNode(right),
        messageId: 'acceptsAny',
        data: { setting: 'verify_mode = CERT_NONE' },
        fix: replaceFix(
          'Require a valid certificate',
          right,
          right.text.replace('CERT_NONE', 'CERT_REQUIRED'),
        ),
      });
    } else if (
      target === 'ssl._create_default_https_context' &&
      /_create_unverified_context$/.test(right.text)
    ) {
      found.push({
        span: spanOfNode(assignment),
        messageId: 'unverifiedDefaultContext',
        fix: statement ? editFix('Remove the override', () => removeStatement(lines, statement)) : undefined,
      });
    }
  }
  return found;
}

function certNone(value: Node): boolean {
  return (
    /(^|\.)CERT_NONE$/.test(value.text) ||
    /^['"](CERT_NONE|none)['"]$/i.test(value.text) ||
    value.type === 'none'
  );
}

// ---------------------------------------------------------------------------------------------
// Dockerfiles: commands and settings of RUN, ENV and ARG, read as words by the shell parser.

/** Environment settings that switch verification off, by name; the value that does it. */
const insecureVariables: Record<string, (value: string) => boolean> = {
  NODE_TLS_REJECT_UNAUTHORIZED: (v) => v === '0',
  PYTHONHTTPSVERIFY: (v) => v === '0',
  GIT_SSL_NO_VERIFY: (v) => v !== '' && !/^(0|false|no)$/i.test(v),
  NPM_CONFIG_STRICT_SSL: (v) => /^(false|0)$/i.test(v),
  npm_config_strict_ssl: (v) => /^(false|0)$/i.test(v),
  YARN_STRICT_SSL: (v) => /^(false|0)$/i.test(v),
  PIP_TRUSTED_HOST: (v) => v !== '',
};

function variableMessage(name: string): Pick<Insecure, 'messageId' | 'data'> {
  switch (name) {
    case 'NODE_TLS_REJECT_UNAUTHORIZED':
      return { messageId: 'imageNodeTlsRejectOff' };
    case 'PYTHONHTTPSVERIFY':
      return { messageId: 'imagePythonHttpsVerifyOff' };
    case 'PIP_TRUSTED_HOST':
      return { messageId: 'pipTrustedHostVariable' };
    default:
      return { messageId: 'downloadVerificationOff', data: { variable: name } };
  }
}

interface Word {
  value: string | undefined;
  span: Span;
}

function dockerfileFindings(model: DockerfileModel, lines: LineIndex): Insecure[] {
  const found: Insecure[] = [];
  const instructions = [...model.preamble, ...model.stages.flatMap((s) => [s.from, ...s.instructions])];
  for (const instruction of instructions) {
    const keyword = instruction.getKeyword();
    if (keyword === 'ENV' || keyword === 'ARG') {
      found.push(...variableFindings(model, instruction, lines));
      continue;
    }
    if (keyword !== 'RUN') continue;
    for (const { command } of model.commands(instruction)) found.push(...commandFindings(command, lines));
    const exec = model.execForm(instruction);
    if (exec && model.scripts(instruction).length === 0) found.push(...execFindings(exec, lines));
  }
  return found;
}

function variableFindings(model: DockerfileModel, instruction: Instruction, lines: LineIndex): Insecure[] {
  const found: Insecure[] = [];
  const properties = (instruction as unknown as { getProperties(): Property[] }).getProperties?.() ?? [];
  for (const property of properties) {
    const name = property.getName();
    const value = property.getValue() ?? '';
    const insecure = insecureVariables[name];
    if (!insecure || !insecure(value)) continue;
    const range = property.getRange();
    found.push({
      span: model.span(range),
      ...variableMessage(name),
      fix: () => ({
        title: `Remove ${name}`,
        edits: [
          properties.length === 1
            ? removeInstructionEdit(model, instruction, lines)
            : removeWordEdit(lines.text, model.span(range)),
        ],
      }),
    });
  }
  return found;
}

/** Remove a word and the blanks after it (or before it, at the end of a line). */
function removeWordEdit(text: string, span: Span): TextEdit {
  let end = span.end;
  while (text[end] === ' ' || text[end] === '\t') end++;
  if (end < text.length && text[end] !== '\n' && text[end] !== '\r' && end > span.end)
    return { start: span.start, end, text: '' };
  let start = span.start;
  while (start > 0 && (text[start - 1] === ' ' || text[start - 1] === '\t')) start--;
  return { start, end: span.end, text: '' };
}

function commandFindings(command: ShellCommand, lines: LineIndex): Insecure[] {
  const found: Insecure[] = [];
  const text = lines.text;
  // NODE_TLS_REJECT_UNAUTHORIZED=0 npm install
  for (const assignment of command.assignments) {
    const insecure = insecureVariables[assignment.name];
    const value = assignment.value?.value ?? '';
    if (insecure && insecure(value))
      found.push({
        span: assignment.span,
        ...variableMessage(assignment.name),
        fix:
          command.words.length > 0
            ? () => ({ title: `Remove ${assignment.name}`, edits: [removeWordEdit(text, assignment.span)] })
            : undefined,
      });
  }
  const { words } = effectiveCommand(command);
  const name = commandName({ words });
  if (!name) return found;
  // export NODE_TLS_REJECT_UNAUTHORIZED=0, env VAR=0 cmd
  if (name === 'export' || name === 'env' || command.words[0]?.value === 'env') {
    for (const word of command.words.slice(1)) {
      const match = /^([A-Za-z_][A-Za-z0-9_]*)=(.*)$/.exec(word.value ?? '');
      const insecure = match && insecureVariables[match[1]];
      if (match && insecure && insecure(match[2]))
        found.push({ span: word.span, ...variableMessage(match[1]) });
    }
  }
  found.push(...toolFindings(name, words, text));
  // echo "sslverify=false" >> /etc/yum.conf
  if (name === 'echo' || name === 'printf') {
    const target =
      command.redirects.find((r) => r.operator === '>>' || r.operator === '>')?.target?.value ?? '';
    if (/\/etc\/(yum\.conf|dnf\/dnf\.conf|yum\.repos\.d\/)/.test(target)) {
      const word = words.find((w) => /sslverify\s*=\s*(false|0|no)/i.test(w.value ?? ''));
      if (word)
        found.push({
          span: word.span,
          messageId: 'yumSslVerifyOff',
          data: { tool: 'yum/dnf' },
        });
    }
  }
  return found;
}

function execFindings(exec: ExecArgument[], lines: LineIndex): Insecure[] {
  const name = exec[0]?.value.replace(/^.*\//, '');
  if (!name) return [];
  return toolFindings(name, exec, lines.text, true);
}

/** Options of curl, wget, pip, npm/yarn, git and yum/dnf that skip certificate checks. */
function toolFindings(name: string, words: (ShellWord | Word)[], text: string, json = false): Insecure[] {
  const found: Insecure[] = [];
  const values = words.map((w) => w.value ?? '');
  const remove =
    (index: number, count = 1): (() => Fix) =>
    () => {
      const first = words[index].span;
      const last = words[index + count - 1].span;
      if (json) {
        // ["curl", "-k", "url"]: the element and its comma.
        const next = words[index + count];
        const end = next ? next.span.start : last.end;
        const start = next ? first.start : words[index - 1].span.end;
        return { title: 'Verify certificates', edits: [{ start, end, text: '' }] };
      }
      return {
        title: 'Verify certificates',
        edits: [removeWordEdit(text, { start: first.start, end: last.end })],
      };
    };
  const replaceWord =
    (index: number, from: RegExp, to: string): (() => Fix) =>
    () => {
      const word = words[index];
      const raw = text.slice(word.span.start, word.span.end);
      return { title: 'Verify certificates', edits: [{ ...word.span, text: raw.replace(from, to) }] };
    };
  if (name === 'curl') {
    values.forEach((value, i) => {
      if (i === 0) return;
      if (value === '-k' || value === '--insecure') {
        found.push({
          span: words[i].span,
          messageId: 'curlInsecure',
          data: { option: value },
          fix: remove(i),
        });
      } else if (/^-[sSLfvIilnNqgGjJORpZ0-9#]*k[A-Za-z0-9#]*$/.test(value)) {
        // A cluster (`-fsSLk`); letters before k take no value, so the k is the option.
        found.push({
          span: words[i].span,
          messageId: 'curlInsecureCluster',
          data: { option: value },
          fix: replaceWord(i, /k/, ''),
        });
      }
    });
  } else if (name === 'wget') {
    values.forEach((value, i) => {
      if (value === '--no-check-certificate')
        found.push({
          span: words[i].span,
          messageId: 'wgetNoCheck',
          fix: remove(i),
        });
    });
  } else if (
    /^pip[0-9.]*$/.test(name) ||
    (/^python[0-9.]*$/.test(name) && values[1] === '-m' && /^pip/.test(values[2] ?? ''))
  ) {
    values.forEach((value, i) => {
      if (value === '--trusted-host' && i + 1 < words.length)
        found.push({
          span: { start: words[i].span.start, end: words[i + 1].span.end },
          messageId: 'pipTrustedHost',
          data: { host: values[i + 1] },
          fix: remove(i, 2),
        });
      else if (value.startsWith('--trusted-host='))
        found.push({
          span: words[i].span,
          messageId: 'pipTrustedHost',
          data: { host: value.slice(15) },
          fix: remove(i),
        });
    });
  } else if (name === 'npm' || name === 'yarn' || name === 'pnpm') {
    values.forEach((value, i) => {
      if (
        (value === 'strict-ssl' || value === '--strict-ssl') &&
        /^(false|0)$/.test(values[i + 1] ?? '') &&
        (value.startsWith('--') || values.includes('set'))
      )
        found.push({
          span: words[i + 1].span,
          messageId: 'strictSslOff',
          data: { setting: `${name} ${value} false`, tool: name },
          fix: replaceWord(i + 1, /false|0/, 'true'),
        });
      else if (/^--strict-ssl=(false|0)$/.test(value))
        found.push({
          span: words[i].span,
          messageId: 'strictSslOff',
          data: { setting: value, tool: name },
          fix: replaceWord(i, /=(false|0)/, '=true'),
        });
    });
  } else if (name === 'git') {
    values.forEach((value, i) => {
      if (/^http\.sslverify$/i.test(value) && /^(false|0|no)$/i.test(values[i + 1] ?? ''))
        found.push({
          span: words[i + 1].span,
          messageId: 'gitSslVerifyOff',
          data: { setting: 'git config http.sslVerify false' },
          fix: replaceWord(i + 1, /false|0|no/i, 'true'),
        });
      else if (/^http\.sslverify=(false|0|no)$/i.test(value))
        found.push({
          span: words[i].span,
          messageId: 'gitSslVerifyOff',
          data: { setting: `-c ${value}` },
          fix: replaceWord(i, /=(false|0|no)$/i, '=true'),
        });
    });
  } else if (/^(yum|dnf|microdnf|yum-config-manager|dnf-config-manager)$/.test(name)) {
    values.forEach((value, i) => {
      const option = /^(--setopt=)?([\w.*-]*\.)?sslverify=(false|0|no)$/i.exec(value);
      if (option && (option[1] || values[i - 1] === '--setopt'))
        found.push({
          span: words[i].span,
          messageId: 'yumSslVerifyOff',
          data: { tool: name },
          fix: replaceWord(i, /=(false|0|no)$/i, '=true'),
        });
    });
  }
  return found;
}

/** `if not server_hostname: ctx.check_hostname = False`: without a host name there is nothing to check. */
function guardedByMissingHostname(node: Node): boolean {
  for (
    let current = node.parent;
    current && current.type !== 'function_definition';
    current = current.parent
  ) {
    if (
      current.type === 'if_statement' &&
      /hostname/i.test(current.childForFieldName('condition')?.text ?? '')
    )
      return true;
  }
  return false;
}
