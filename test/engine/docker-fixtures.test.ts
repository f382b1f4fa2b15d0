import assert from 'node:assert/strict';
import { readdirSync, readFileSync } from 'node:fs';
import { join } from 'node:path';
import { Analyzer } from '../../server/src/engine/analyze';
import { fixAll } from '../../server/src/engine/fix-all';
import { inMemoryWorkspace } from '../../server/src/engine/workspace';
import { allRules } from '../../server/src/rules';

// Dockerfiles written the way official images and popular apps write them (multi-stage Go,
// Node and Python builds, distroless and scratch finals, ARG-chosen bases, heredocs, a Windows
// image with a backtick escape), with the findings the Dockerfile and compose rules must give.
// Each fixture folder is its own build context: its .dockerignore, if any, is the only one.

const root = join(__dirname, '..', 'fixtures', 'dockerfiles');

const ruleIds = new Set([
  'immutable-infrastructure/unpinned-base-image',
  'immutable-infrastructure/in-place-upgrade',
  'immutable-infrastructure/unpinned-packages',
  'immutable-infrastructure/remote-add',
  'auto-recovery/image-without-healthcheck',
  'auto-recovery/no-healthcheck',
  'auto-recovery/no-restart-policy',
  'private-network/ssh-exposed',
  'private-network/database-port-published',
  'least-privilege/root-user',
  'least-privilege/sudo',
  'least-privilege/privileged-container',
  'least-privilege/password-login',
  'secrets-management/secret-in-image',
  'secrets-management/secret-in-compose',
  'container-ready/install-at-start',
  'container-ready/shell-form-cmd',
  'container-ready/apt-lists-left',
  'container-ready/apt-install-recommends',
  'container-ready/heavy-image',
  'container-ready/no-dockerignore',
]);

/** `line rule-id` of every finding, in order. */
const expected: Record<string, string[]> = {
  'alpine-build-deps': [
    '5 immutable-infrastructure/unpinned-packages',
    '8 immutable-infrastructure/unpinned-packages',
  ],
  'arg-pinned-bases': ['10 immutable-infrastructure/unpinned-base-image'],
  'dotnet-aspnet': ['8 auto-recovery/image-without-healthcheck'],
  'go-distroless': ['23 auto-recovery/image-without-healthcheck'],
  'go-scratch': [],
  'heredoc-debian': ['7 immutable-infrastructure/unpinned-packages'],
  'java-single-stage': [
    '1 auto-recovery/image-without-healthcheck',
    '1 container-ready/heavy-image',
    '1 least-privilege/root-user',
    '3 container-ready/no-dockerignore',
  ],
  'legacy-ubuntu': [
    '1 auto-recovery/image-without-healthcheck',
    '1 immutable-infrastructure/unpinned-base-image',
    '1 least-privilege/root-user',
    '4 container-ready/apt-lists-left',
    '4 immutable-infrastructure/in-place-upgrade',
    '5 container-ready/apt-install-recommends',
    '5 immutable-infrastructure/unpinned-packages',
    '5 private-network/ssh-exposed',
    '6 least-privilege/password-login',
    '7 least-privilege/password-login',
    '10 secrets-management/secret-in-image',
    '12 least-privilege/sudo',
    '12 immutable-infrastructure/unpinned-packages',
    '14 private-network/ssh-exposed',
    '15 container-ready/install-at-start',
    '15 container-ready/shell-form-cmd',
  ],
  'nginx-spa': ['8 auto-recovery/image-without-healthcheck'],
  'node-multistage': [],
  'node-naive': [
    '1 auto-recovery/image-without-healthcheck',
    '1 immutable-infrastructure/unpinned-base-image',
    '1 least-privilege/root-user',
    '5 container-ready/no-dockerignore',
    '10 container-ready/shell-form-cmd',
  ],
  'python-django': ['8 immutable-infrastructure/unpinned-packages'],
  'python-wheels': ['3 immutable-infrastructure/unpinned-packages'],
  'rails-app': [
    '2 auto-recovery/image-without-healthcheck',
    '2 least-privilege/root-user',
    '10 immutable-infrastructure/unpinned-packages',
  ],
  'windows-servercore': ['9 immutable-infrastructure/remote-add'],
};

function fixture(dir: string): { path: string; text: string; files: Record<string, string> } {
  const base = `/fixtures/${dir}`;
  // The fixture is a repository of its own: no ignore file above it applies.
  const files: Record<string, string> = { [`${base}/.git`]: '' };
  for (const name of readdirSync(join(root, dir)))
    files[`${base}/${name}`] = readFileSync(join(root, dir, name), 'utf8');
  return { path: `${base}/Dockerfile`, text: files[`${base}/Dockerfile`], files };
}

const analyzerFor = (files: Record<string, string>) =>
  new Analyzer({
    rules: allRules.filter((r) => ruleIds.has(r.id)),
    workspace: inMemoryWorkspace(files),
    log: (message) => {
      throw new Error(message);
    },
  });

describe('Dockerfile fixtures', () => {
  it('every fixture has expectations, and every rule of the pack is loaded', () => {
    assert.deepEqual(readdirSync(root).sort(), Object.keys(expected).sort());
    assert.equal(allRules.filter((r) => ruleIds.has(r.id)).length, ruleIds.size);
  });

  for (const [dir, findings] of Object.entries(expected)) {
    it(`${dir}: the expected findings`, async () => {
      const { path, text, files } = fixture(dir);
      const result = await analyzerFor(files).analyze({ path, text });
      assert.deepEqual(result.failures, []);
      assert.deepEqual(
        result.findings.map((f) => `${f.range.start.line + 1} ${f.ruleId}`),
        findings,
      );
    });

    it(`${dir}: fix-all leaves a Dockerfile that parses, adds nothing and has no safe fix left`, async () => {
      const { path, text, files } = fixture(dir);
      const analyzer = analyzerFor(files);
      const before = await analyzer.analyze({ path, text });
      const fixed = await fixAll(analyzer, { path, text });
      const withCreated = { ...files };
      for (const file of fixed.newFiles) withCreated[`/fixtures/${dir}/${file.path}`] = file.text;
      const after = await analyzerFor(withCreated).analyze({ path, text: fixed.text });
      assert.deepEqual(
        after.problems.filter((p) => p.fatal),
        [],
      );
      const rulesBefore = new Set(before.findings.map((f) => f.ruleId));
      assert.deepEqual(
        after.findings.filter((f) => !rulesBefore.has(f.ruleId)).map((f) => f.message),
        [],
        'no new kind of finding',
      );
      // Scaffolds are left for the user to apply on purpose.
      assert.deepEqual(
        after.findings.filter((f) => f.fix?.()?.kind === 'safe').map((f) => f.message),
        [],
        'nothing safe to fix left',
      );
      const again = await fixAll(analyzerFor(withCreated), { path, text: fixed.text });
      assert.equal(again.text, fixed.text, 'fix-all is idempotent');
    });
  }
});
