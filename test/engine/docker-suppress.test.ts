import assert from 'node:assert/strict';
import { Analyzer } from '../../server/src/engine/analyze';
import { collectSuppressions } from '../../server/src/engine/suppress';
import { inMemoryWorkspace } from '../../server/src/engine/workspace';
import { allRules } from '../../server/src/rules';

const analyzer = new Analyzer({
  rules: allRules,
  workspace: inMemoryWorkspace({ '/w/.dockerignore': '.git\n' }),
});
const found = async (path: string, text: string, only?: string) =>
  (await analyzer.analyze({ path, text })).findings
    .map((f) => `${f.range.start.line + 1} ${f.ruleId}`)
    .filter((f) => !only || f.endsWith(only));

describe('suppressions in Dockerfiles and compose files', () => {
  it('hadolint ignore covers the whole next instruction, continuation lines included', async () => {
    const text = `FROM debian:12.7-slim
# hadolint ignore=DL3008, DL3015
RUN apt-get update \\
 && apt-get install -y curl \\
 && rm -rf /var/lib/apt/lists/*
RUN apt-get install -y git
COPY app /srv/app
CMD ["/srv/app/run"]
`;
    assert.deepEqual(await found('/w/Dockerfile', text, 'unpinned-packages'), [
      '6 immutable-infrastructure/unpinned-packages',
    ]);
    assert.deepEqual(await found('/w/Dockerfile', text, 'apt-install-recommends'), [
      '6 container-ready/apt-install-recommends',
    ]);
  });

  it('the hadolint id list ends with its line', async () => {
    // Read across the line break, the words of the instruction below became ids too.
    const text = `FROM debian:12.7-slim
# hadolint ignore=DL3008, DL3015
RUN sudo apt-get install -y curl
`;
    const document = await analyzer.parse({ path: '/w/Dockerfile', text });
    const hadolint = collectSuppressions(document).filter((s) => s.source === 'hadolint');
    assert.deepEqual(
      hadolint.map((s) => s.ids),
      [['DL3008', 'DL3015']],
    );
    assert.deepEqual(await found('/w/Dockerfile', text, 'sudo'), ['3 least-privilege/sudo']);
  });

  it('hadolint global ignore covers the file', async () => {
    const text = `# hadolint global ignore=DL3007,DL3025
FROM node:latest
CMD node server.js
FROM node:latest
`;
    const ids = await found('/w/Dockerfile', text);
    assert.ok(
      !ids.some((f) => f.includes('unpinned-base-image') || f.includes('shell-form-cmd')),
      ids.join('\n'),
    );
  });

  it('our next-line directive covers the next instruction over its continuation lines', async () => {
    const text = `FROM alpine:3.20
# cloud-lessons-disable-next-line immutable-infrastructure/in-place-upgrade -- security patch until 3.21
RUN apk update \\
 && apk upgrade
RUN apk upgrade
`;
    assert.deepEqual(await found('/w/Dockerfile', text, 'in-place-upgrade'), [
      '5 immutable-infrastructure/in-place-upgrade',
    ]);
  });

  it('checkov skip comments in a Dockerfile cover the file', async () => {
    const text = `FROM debian:12.7-slim
#checkov:skip=CKV_DOCKER_2:probed by the load balancer
#checkov:skip=CKV_DOCKER_3,CKV_DOCKER_1
EXPOSE 22 8080
CMD ["/app"]
`;
    const ids = await found('/w/Dockerfile', text);
    for (const rule of [
      'auto-recovery/image-without-healthcheck',
      'least-privilege/root-user',
      'private-network/ssh-exposed',
    ]) {
      assert.ok(!ids.some((f) => f.endsWith(rule)), `${rule} in ${ids.join(', ')}`);
    }
  });

  it('compose files take our directives above a service or a value', async () => {
    const text = `services:
  # cloud-lessons-disable-next-line auto-recovery/no-restart-policy -- started by hand for debugging
  debug:
    image: busybox:1.36
  db:
    image: postgres:16.4
    restart: always
    environment:
      # cloud-lessons-disable-next-line secrets-management -- throwaway local password
      POSTGRES_PASSWORD: local
      MYSQL_PASSWORD: other
`;
    assert.deepEqual(await found('/w/compose.yaml', text, 'no-restart-policy'), []);
    assert.deepEqual(await found('/w/compose.yaml', text, 'secret-in-compose'), [
      '11 secrets-management/secret-in-compose',
    ]);
  });
});
