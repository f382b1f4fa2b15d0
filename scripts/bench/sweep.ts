// Size sweeps: each kind of file generated at 1×, 2×, 4×, 8× and 16× a base size and analysed
// in-process with every rule; prints the times and the growth exponent (the slope of log time
// against log size: 1 is linear; the target is ≤ 1.2). JSON on the last line for the bench.
//   npx tsx scripts/bench/sweep.ts
import { Analyzer } from '../../server/src/engine/analyze';
import { inMemoryWorkspace } from '../../server/src/engine/workspace';
import { allRules } from '../../server/src/rules';

const scales = [1, 2, 4, 8, 16];
const repeats = Number(process.env.BENCH_SWEEP_RUNS ?? 3);

const generators: Record<string, { path: string; base: number; text: (n: number) => string }> = {
  template: {
    path: '/bench/template.yaml',
    base: 60,
    text: (n) => {
      const parts = [
        "AWSTemplateFormatVersion: '2010-09-09'",
        'Transform: AWS::Serverless-2016-10-31',
        'Resources:',
      ];
      for (let i = 0; i < n; i++)
        parts.push(
          `  Queue${i}:\n    Type: AWS::SQS::Queue`,
          `  Table${i}:\n    Type: AWS::DynamoDB::Table\n    Properties:\n      BillingMode: PAY_PER_REQUEST\n      AttributeDefinitions: [{AttributeName: id, AttributeType: S}]\n      KeySchema: [{AttributeName: id, KeyType: HASH}]`,
          `  Fn${i}:\n    Type: AWS::Serverless::Function\n    Properties:\n      Handler: index.handler\n      Runtime: nodejs20.x\n      Environment:\n        Variables:\n          TABLE: !Ref Table${i}\n          QUEUE: !GetAtt Queue${i}.Arn\n      Events:\n        Api:\n          Type: Api\n          Properties: {Path: /items${i}, Method: get}\n        Sqs:\n          Type: SQS\n          Properties: {Queue: !GetAtt Queue${i}.Arn}`,
          `  Sg${i}:\n    Type: AWS::EC2::SecurityGroup\n    Properties:\n      GroupDescription: web\n      SecurityGroupIngress:\n        - {IpProtocol: tcp, FromPort: 443, ToPort: 443, CidrIp: 0.0.0.0/0}`,
        );
      return parts.join('\n') + '\n';
    },
  },
  dockerfile: {
    path: '/bench/Dockerfile',
    base: 120,
    text: (n) => {
      const lines = ['FROM node:22-slim AS build', 'WORKDIR /app'];
      for (let i = 0; i < n; i++)
        lines.push(
          `RUN apt-get update && apt-get install -y --no-install-recommends curl${i} && rm -rf /var/lib/apt/lists/*`,
          `COPY src/part${i} /app/part${i}`,
          `ENV FEATURE_${i}=on`,
        );
      lines.push(
        'FROM node:22-slim',
        'COPY --from=build /app /app',
        'USER node',
        'CMD ["node", "/app/server.js"]',
      );
      return lines.join('\n') + '\n';
    },
  },
  javascript: {
    path: '/bench/app/server.js',
    base: 60,
    text: (n) => {
      const lines = [
        "const express = require('express');",
        "const axios = require('axios');",
        'const app = express();',
        'const cache = new Map();',
      ];
      for (let i = 0; i < n; i++)
        lines.push(
          `app.get('/items/${i}', async (req, res) => {`,
          `  const key = req.query.id + '${i}';`,
          `  if (cache.has(key)) return res.json(cache.get(key));`,
          `  const response = await axios.get('https://inventory.internal/items/${i}', { timeout: 2000 });`,
          `  cache.set(key, response.data);`,
          `  res.json(response.data);`,
          `});`,
          `function helper${i}(value) {`,
          `  return [value, ${i}].map((x) => String(x)).join('-');`,
          `}`,
        );
      lines.push('app.listen(3000);');
      return lines.join('\n') + '\n';
    },
  },
  python: {
    path: '/bench/app/app.py',
    base: 60,
    text: (n) => {
      const lines = [
        'import requests',
        'from flask import Flask, request',
        'app = Flask(__name__)',
        'CACHE = {}',
        '',
      ];
      for (let i = 0; i < n; i++)
        lines.push(
          `@app.route('/items/${i}')`,
          `def item_${i}():`,
          `    key = request.args.get('id', '') + '${i}'`,
          `    if key in CACHE:`,
          `        return CACHE[key]`,
          `    data = requests.get('https://inventory.internal/items/${i}', timeout=2).json()`,
          `    CACHE[key] = data`,
          `    return data`,
          '',
        );
      return lines.join('\n');
    },
  },
};

function slope(points: { size: number; ms: number }[]): number {
  const xs = points.map((p) => Math.log(p.size));
  const ys = points.map((p) => Math.log(Math.max(p.ms, 0.01)));
  const mx = xs.reduce((a, b) => a + b) / xs.length;
  const my = ys.reduce((a, b) => a + b) / ys.length;
  let num = 0;
  let den = 0;
  xs.forEach((x, i) => {
    num += (x - mx) * (ys[i] - my);
    den += (x - mx) ** 2;
  });
  return num / den;
}

async function main() {
  const analyzer = new Analyzer({ rules: allRules, workspace: inMemoryWorkspace() });
  const results: Record<string, { lines: number[]; ms: number[]; exponent: number }> = {};
  for (const [kind, generator] of Object.entries(generators)) {
    // One run first, so that grammars and caches are warm for every size.
    await analyzer.analyze({ path: generator.path, text: generator.text(generator.base) });
    const points: { size: number; ms: number }[] = [];
    const lines: number[] = [];
    for (const scale of scales) {
      const text = generator.text(generator.base * scale);
      const times: number[] = [];
      for (let r = 0; r < repeats; r++) {
        const started = performance.now();
        const result = await analyzer.analyze({ path: generator.path, text });
        for (const finding of result.findings) finding.fix?.();
        times.push(performance.now() - started);
      }
      times.sort((a, b) => a - b);
      points.push({ size: text.length, ms: times[Math.floor(times.length / 2)] });
      lines.push(text.split('\n').length);
    }
    const exponent = slope(points);
    results[kind] = {
      lines,
      ms: points.map((p) => Math.round(p.ms)),
      exponent: Math.round(exponent * 100) / 100,
    };
    console.log(
      `${kind.padEnd(11)} ${points.map((p, i) => `${lines[i]} lines ${p.ms.toFixed(0)} ms`).join(' · ')}  exponent ${exponent.toFixed(2)} (target <= 1.2)`,
    );
  }
  console.log(JSON.stringify({ sweep: results }));
}

void main();
