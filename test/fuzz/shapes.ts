/**
 * Inputs built to hurt: each one a shape that once hung, crashed or misplaced something, or that
 * a careless user or an attacker would write. Generated here rather than checked in when they
 * are large; small cases found by the fuzzer live in regressions/ beside this file.
 */

export interface Shape {
  name: string;
  /** Where the file lives: decides its kind. */
  path: string;
  text: string;
}

const template = (resources: string) => `AWSTemplateFormatVersion: '2010-09-09'\nResources:\n${resources}`;

function aliasBomb(): string {
  const lines = [
    'AWSTemplateFormatVersion: "2010-09-09"',
    'Mappings:',
    '  Bomb:',
    '    l0: &l0 [lol, lol, lol, lol, lol, lol, lol, lol, lol]',
  ];
  for (let i = 1; i < 9; i++)
    lines.push(
      `    l${i}: &l${i} [${Array(9)
        .fill(`*l${i - 1}`)
        .join(', ')}]`,
    );
  lines.push(
    'Resources:',
    '  Fn:',
    '    Type: AWS::Lambda::Function',
    '    Properties:',
    '      Environment:',
    '        Variables:',
    '          DB_PASSWORD: *l8',
    '',
  );
  return lines.join('\n');
}

function manyResources(count: number): string {
  const parts: string[] = [];
  for (let i = 0; i < count; i++) {
    parts.push(
      `  Queue${i}:\n    Type: AWS::SQS::Queue\n  Fn${i}:\n    Type: AWS::Lambda::Function\n    Properties:\n      Handler: index.handler\n      Runtime: nodejs20.x\n      Code: {ZipFile: "exports.handler = async () => 1"}\n      Role: !GetAtt Role${i}.Arn\n      Environment: {Variables: {QUEUE: !Ref Queue${i}}}\n  Role${i}:\n    Type: AWS::IAM::Role\n    Properties:\n      AssumeRolePolicyDocument: {Statement: [{Effect: Allow, Principal: {Service: lambda.amazonaws.com}, Action: sts:AssumeRole}]}\n  Map${i}:\n    Type: AWS::Lambda::EventSourceMapping\n    Properties: {FunctionName: !Ref Fn${i}, EventSourceArn: !GetAtt Queue${i}.Arn}\n`,
    );
  }
  return template(parts.join(''));
}

/** The whole set, deterministic. `scale` < 1 makes the big ones smaller (quick runs). */
export function shapes(scale = 1): Shape[] {
  const n = (count: number) => Math.max(1, Math.round(count * scale));
  const big = 'A'.repeat(n(100_000));
  return [
    {
      name: 'YAML alias bomb behind a secret-named variable',
      path: '/fuzz/bomb/template.yaml',
      text: aliasBomb(),
    },
    {
      name: 'a template of 2,000 functions, queues and roles',
      path: '/fuzz/many/template.yaml',
      text: manyResources(n(2_000)),
    },
    {
      name: 'a 100 KB upper-case identifier',
      path: '/fuzz/ident/template.yaml',
      text: template(`  ${big}:\n    Type: AWS::DynamoDB::Table\n`),
    },
    {
      name: 'the same identifier as a code variable',
      path: '/fuzz/ident/app.js',
      text: `const ${big}_PASSWORD = process.env.X;\n`,
    },
    {
      name: '10,000 nested calls',
      path: '/fuzz/nest/app.js',
      text: `const x = ${'f('.repeat(n(10_000))}1${')'.repeat(n(10_000))};\n`,
    },
    {
      name: 'a 1 MB line of #AAA… inside a JS object',
      path: '/fuzz/line/app.js',
      text: `const style = { color: "#${'A'.repeat(n(1_000_000))}" };\n`,
    },
    {
      name: 'a Dockerfile of 40,000 RUN lines',
      path: '/fuzz/docker/Dockerfile',
      text: `FROM debian:12\n${'RUN apt-get install -y curl\n'.repeat(n(40_000))}`,
    },
    {
      name: '5,000 [ in a configuration file',
      path: '/fuzz/config/.cloud-lessons.yaml',
      text: '['.repeat(5_000),
    },
    {
      name: '5,000 [ as a template',
      path: '/fuzz/deep/template.yaml',
      text: `Resources: ${'['.repeat(5_000)}`,
    },
    {
      name: 'deep JSON',
      path: '/fuzz/deep/template.json',
      text: `{"Resources": ${'{"a":'.repeat(5_000)}1${'}'.repeat(5_000)}}`,
    },
    {
      name: 'deep block sequence',
      path: '/fuzz/deep/compose.yaml',
      text: `services:\n  a:\n    x: ${'- '.repeat(5_000)}1\n`,
    },
    {
      name: 'a 1.9 MB scalar',
      path: '/fuzz/scalar/template.yaml',
      text: template(
        `  Db:\n    Type: AWS::RDS::DBInstance\n    Properties:\n      MasterUserPassword: ${'x'.repeat(n(1_900_000))}\n`,
      ),
    },
    {
      name: 'a file over the size limit',
      path: '/fuzz/large/template.yaml',
      text: `Resources: {}\n# ${'x'.repeat(2_100_000)}\n`,
    },
    {
      name: 'NUL bytes',
      path: '/fuzz/nul/template.yaml',
      text: `Resources:\n  A:\u0000\n    Type: AWS::S3::Bucket\u0000\n`,
    },
    {
      name: 'a byte order mark',
      path: '/fuzz/bom/template.json',
      text: '\ufeff{"Resources": {"B": {"Type": "AWS::S3::Bucket"}}}',
    },
    {
      name: 'UTF-16 read as UTF-8',
      path: '/fuzz/utf16/template.yaml',
      text: Buffer.from('\ufeffResources:\n  B:\n    Type: AWS::S3::Bucket\n', 'utf16le').toString('utf8'),
    },
    {
      name: 'invalid UTF-8',
      path: '/fuzz/utf8/Dockerfile',
      text: Buffer.from([
        0x46, 0x52, 0x4f, 0x4d, 0x20, 0xc3, 0x28, 0x0a, 0x52, 0x55, 0x4e, 0x20, 0xff, 0xfe, 0x0a,
      ]).toString('utf8'),
    },
    {
      name: 'lone carriage returns',
      path: '/fuzz/cr/template.yaml',
      text: template(
        '  Db:\r    Type: AWS::RDS::DBInstance\r    Properties:\r      PubliclyAccessible: true\r',
      ),
    },
    {
      name: 'mixed line ends',
      path: '/fuzz/eol/app.py',
      text: 'import requests\r\nrequests.get("http://x")\rrequests.get("http://y")\n',
    },
    {
      name: 'unknown tags everywhere',
      path: '/fuzz/tags/template.yaml',
      text: template('  A: !Rain::Module\n    B: !Nope [!Foo x, !Bar {y: !Baz z}]\n'),
    },
    { name: 'a compose file that is a list', path: '/fuzz/compose/docker-compose.yml', text: '- a\n- b\n' },
    {
      name: 'Properties as an !If',
      path: '/fuzz/if/template.yaml',
      text: template(
        '  Lb:\n    Type: AWS::ElasticLoadBalancingV2::LoadBalancer\n    Properties: !If [Prod, {Scheme: internet-facing}, !Ref AWS::NoValue]\n  Db:\n    Type: AWS::RDS::DBInstance\n    Properties: !If [Prod, {Engine: postgres}, {Engine: mysql}]\n',
      ),
    },
    { name: 'empty', path: '/fuzz/empty/template.yaml', text: '' },
    { name: 'only a document marker', path: '/fuzz/marker/template.yaml', text: '---\n...\n' },
    { name: 'a Dockerfile with no FROM', path: '/fuzz/nofrom/Dockerfile', text: 'RUN echo hi\nUSER root\n' },
    { name: 'Python that does not parse', path: '/fuzz/py/app.py', text: 'def (:\n  requests.get(\n' },
    {
      name: 'JavaScript with a huge template literal',
      path: '/fuzz/js/app.js',
      text: `const s = \`${'${a}'.repeat(n(20_000))}\`;\n`,
    },
  ];
}

/** A seeded pseudo-random generator (mulberry32): the same run every time for a seed. */
export function random(seed: number): () => number {
  let a = seed >>> 0;
  return () => {
    a = (a + 0x6d2b79f5) >>> 0;
    let t = a;
    t = Math.imul(t ^ (t >>> 15), t | 1);
    t ^= t + Math.imul(t ^ (t >>> 7), t | 61);
    return ((t ^ (t >>> 14)) >>> 0) / 4294967296;
  };
}

const insertions = [
  '[',
  ']',
  '{',
  '}',
  ':',
  '- ',
  '"',
  "'",
  '!Ref ',
  '!If [',
  '&a ',
  '*a',
  '\n',
  '\r',
  '\t',
  '\u0000',
  '\ufeff',
  '${',
  '`',
  '#',
  '\\',
  '|\n',
  '>-\n',
  '<<: *a\n',
  'Fn::',
  'RUN ',
  'FROM ',
  '\\\n',
  '/*',
  '*/',
  '(',
  ')',
  ';',
];

/** The text with a few random changes: truncations, byte flips, insertions, deletions, duplications. */
export function mutate(text: string, next: () => number): string {
  let out = text;
  const edits = 1 + Math.floor(next() * 4);
  for (let i = 0; i < edits; i++) {
    const at = Math.floor(next() * (out.length + 1));
    const kind = Math.floor(next() * 6);
    if (kind === 0) out = out.slice(0, at);
    else if (kind === 1 && out.length > 0) {
      const code = out.charCodeAt(Math.min(at, out.length - 1)) ^ (1 << Math.floor(next() * 7));
      out = out.slice(0, at) + String.fromCharCode(code) + out.slice(at + 1);
    } else if (kind === 2)
      out = out.slice(0, at) + insertions[Math.floor(next() * insertions.length)] + out.slice(at);
    else if (kind === 3) out = out.slice(0, at) + out.slice(at + 1 + Math.floor(next() * 40));
    else if (kind === 4) {
      const end = Math.min(out.length, at + Math.floor(next() * 200));
      out = out.slice(0, end) + out.slice(at, end) + out.slice(end);
    } else {
      const start = out.lastIndexOf('\n', at);
      const line = out.slice(start + 1, out.indexOf('\n', at) === -1 ? out.length : out.indexOf('\n', at));
      out = out.slice(0, at) + line.replace(/^\s*/, (s) => s + '  ') + '\n' + out.slice(at);
    }
  }
  return out;
}
