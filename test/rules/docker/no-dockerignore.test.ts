import assert from 'node:assert/strict';
import { Analyzer } from '../../../server/src/engine/analyze';
import { fixAll } from '../../../server/src/engine/fixes';
import { inMemoryWorkspace } from '../../../server/src/engine/workspace';
import rule from '../../../server/src/rules/docker/no-dockerignore';
import { markedSpans } from '../../rule-tester';

// The shared rule tester re-checks a fix in the same workspace, which cannot hold the file this
// fix creates: these cases check the created file, then re-check with it in place.

interface Case {
  name: string;
  path: string;
  text: string;
  files?: Record<string, string>;
  /** The .dockerignore the fix creates; omitted for clean cases. */
  created?: string;
}

const analyzerFor = (files: Record<string, string>) =>
  new Analyzer({
    rules: [rule],
    workspace: inMemoryWorkspace(files),
    log: (message) => {
      throw new Error(message);
    },
  });

const flagged: Case[] = [
  {
    name: 'node build: node_modules is ignored because npm ci recreates it',
    path: '/work/api/Dockerfile',
    text: `FROM node:22-slim
WORKDIR /app
COPY package.json package-lock.json ./
RUN npm ci --omit=dev
COPY «.» .
CMD ["node", "server.js"]
`,
    created: `# Keep the build context small and secrets out of the image.
.git
.env
.env.*
!.env.example
*.log

# dependencies are installed by the build
node_modules
npm-debug.log*
`,
  },
  {
    name: 'python build that runs git keeps .git; JSON form and ADD',
    path: '/work/svc/Containerfile',
    text: `FROM python:3.12-slim
ADD [«"."», "/src"]
RUN pip install --no-cache-dir /src && git -C /src rev-parse HEAD > /src/VERSION
`,
    created: `# Keep the build context small and secrets out of the image.
.env
.env.*
!.env.example
*.log

# Python caches and local environments
__pycache__
*.py[cod]
.venv
`,
  },
  {
    name: 'an ignore file above the repository root does not count',
    path: '/work/repo/Dockerfile',
    files: { '/work/repo/.git': '', '/work/.dockerignore': '*\n' },
    text: `FROM alpine:3.20\nCOPY «./» /srv\n`,
    created: `# Keep the build context small and secrets out of the image.
.git
.env
.env.*
!.env.example
*.log
`,
  },
];

const clean: Case[] = [
  {
    name: 'a .dockerignore beside it',
    path: '/work/a/Dockerfile',
    files: { '/work/a/.dockerignore': '.git\n' },
    text: `FROM alpine:3.20\nCOPY . /srv\n`,
  },
  {
    name: 'a per-Dockerfile ignore file',
    path: '/work/b/app.Dockerfile',
    files: { '/work/b/app.Dockerfile.dockerignore': '.git\n' },
    text: `FROM alpine:3.20\nCOPY . /srv\n`,
  },
  {
    name: 'a context above the Dockerfile with its own ignore file',
    path: '/work/mono/services/api/Dockerfile',
    files: { '/work/mono/.dockerignore': '.git\n', '/work/mono/.git': '' },
    text: `FROM alpine:3.20\nCOPY . /srv\n`,
  },
  {
    name: 'named sources and copies from other stages',
    path: '/work/c/Dockerfile',
    text: `FROM node:22 AS build\nCOPY package.json src/ ./\nFROM node:22-slim\nCOPY --from=build /app .\n`,
  },
];

describe(rule.id, () => {
  it('has complete metadata', () => {
    assert.ok(rule.docs.what.length > 40 && rule.docs.why.length > 40);
    assert.equal(rule.fix, 'yes');
  });

  for (const c of flagged) {
    it(`flags: ${c.name}`, async () => {
      const { text, spans } = markedSpans(c.text);
      const files = c.files ?? {};
      const analyzer = analyzerFor(files);
      const input = { path: c.path, text };
      const result = await analyzer.analyze(input);
      assert.deepEqual(result.failures, []);
      assert.deepEqual(
        result.findings.map((f) => text.slice(f.span.start, f.span.end)),
        spans.map((s) => text.slice(s.start, s.end)),
      );
      assert.deepEqual(
        result.findings.map((f) => f.span.start),
        spans.map((s) => s.start),
      );
      assert.match(
        result.findings[0].message,
        /copies the whole build context and there is no \.dockerignore/,
      );
      const fixed = await fixAll(analyzer, input);
      assert.equal(fixed.text, text, 'the Dockerfile itself is not edited');
      assert.deepEqual(fixed.newFiles, [{ path: '.dockerignore', text: c.created }]);
      const folder = c.path.slice(0, c.path.lastIndexOf('/'));
      const after = await analyzerFor({ ...files, [`${folder}/.dockerignore`]: c.created ?? '' }).analyze(
        input,
      );
      assert.deepEqual(after.findings, [], 'nothing left to find once the file exists');
    });
  }

  for (const c of clean) {
    it(`clean: ${c.name}`, async () => {
      const result = await analyzerFor(c.files ?? {}).analyze({ path: c.path, text: c.text });
      assert.deepEqual(result.failures, []);
      assert.deepEqual(
        result.findings.map((f) => f.message),
        [],
      );
    });
  }
});
