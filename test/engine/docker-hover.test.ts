import assert from 'node:assert/strict';
import { Analyzer } from '../../server/src/engine/analyze';
import { hoverMarkdown } from '../../server/src/features/hover';
import { inMemoryWorkspace } from '../../server/src/engine/workspace';
import { allRules } from '../../server/src/rules';

const analyzer = new Analyzer({
  rules: allRules,
  workspace: inMemoryWorkspace({ '/work/.dockerignore': '.git\n' }),
});

/** The hover where `|` stands in the text. */
async function hover(path: string, marked: string): Promise<string | undefined> {
  const offset = marked.indexOf('|');
  const text = marked.replace('|', '');
  const document = await analyzer.parse({ path, text });
  try {
    const result = await analyzer.run(document);
    return hoverMarkdown(
      analyzer,
      document,
      result,
      offset,
      (id: string) => `https://example.com/${id}`,
      allRules,
    );
  } finally {
    document.dispose();
  }
}

describe('Dockerfile and compose hovers', () => {
  it('a USER keyword gets its lesson and the file standing on the related rules', async () => {
    const text = await hover(
      '/work/Dockerfile',
      'FROM node:22.11-slim\nUS|ER root\nCMD ["node", "server.js"]\n',
    );
    assert.ok(text);
    assert.match(text, /^\*\*USER\*\* · Least privilege\n/);
    assert.match(text, /unprivileged one after the steps that need root/);
    assert.match(
      text,
      /- ✗ \[`least-privilege\/root-user`\]\(https:\/\/example\.com\/least-privilege\/root-user\), line 2: The image runs as root/,
    );
    assert.match(text, /- ✓ \[`least-privilege\/sudo`\]/);
  });

  it('FROM says whether the stage ships', async () => {
    const build = await hover(
      '/work/Dockerfile',
      'FR|OM golang:1.23 AS build\nRUN go build -o /app .\nFROM scratch\nCOPY --from=build /app /app\n',
    );
    assert.match(build ?? '', /This is a build stage: nothing in it ships/);
    const final = await hover(
      '/work/Dockerfile',
      'FROM golang:1.23 AS build\nRUN go build -o /app .\n|FROM scratch\nCOPY --from=build /app /app\n',
    );
    assert.match(final ?? '', /This is the final stage/);
  });

  it('instruction arguments and unrelated instructions get no note', async () => {
    assert.equal(await hover('/work/Dockerfile', 'FROM node:22.11-slim\nWORKDIR /a|pp\n'), undefined);
    assert.equal(await hover('/work/Dockerfile', 'FROM node:22.11-slim\nWORK|DIR /app\n'), undefined);
  });

  it('compose keys of a service: ports, restart, environment, privileged', async () => {
    const file = (key: string) =>
      `services:
  db:
    image: postgres:16.4
    restart: unless-stopped
    environment:
      POSTGRES_PASSWORD: \${POSTGRES_PASSWORD:?}
    privileged: false
    ports:
      - "5432:5432"
`.replace(`    ${key}:`, `    ${key.slice(0, 2)}|${key.slice(2)}:`);
    const ports = await hover('/work/compose.yaml', file('ports'));
    assert.match(ports ?? '', /^\*\*ports\*\* · /);
    assert.match(ports ?? '', /✗ \[`private-network\/database-port-published`\].*line 9/);
    assert.match(
      (await hover('/work/compose.yaml', file('restart'))) ?? '',
      /✓ \[`auto-recovery\/no-restart-policy`\]/,
    );
    assert.match(
      (await hover('/work/compose.yaml', file('environment'))) ?? '',
      /✓ \[`secrets-management\/secret-in-compose`\]/,
    );
    assert.match((await hover('/work/compose.yaml', file('privileged'))) ?? '', /cap_add/);
  });

  it('values and top-level keys of compose files get no note', async () => {
    assert.equal(
      await hover('/work/compose.yaml', 'services:\n  web:\n    image: nginx:1.27\n    restart: alw|ays\n'),
      undefined,
    );
    assert.equal(await hover('/work/compose.yaml', 'serv|ices:\n  web:\n    image: nginx:1.27\n'), undefined);
  });
});
