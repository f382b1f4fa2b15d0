import assert from 'node:assert/strict';
import { Analyzer } from '../../../server/src/engine/analyze';
import type { Rule } from '../../../server/src/engine/rule';
import { inMemoryWorkspace, type WorkspaceView } from '../../../server/src/engine/workspace';
import imageWithoutHealthcheck from '../../../server/src/rules/docker/image-without-healthcheck';
import rootUser from '../../../server/src/rules/docker/root-user';

/**
 * The Kubernetes workloads elsewhere in the workspace (not in a manifest folder near the
 * Dockerfile) count for the image they run by exact name: a workspace holding a project's
 * sources in one tree and its manifests in another.
 */

const service = `FROM golang:1.23 AS build
RUN go build -o /out/svc .
FROM debian:12-slim
COPY --from=build /out/svc /usr/local/bin/svc
EXPOSE 7070
ENTRYPOINT ["/usr/local/bin/svc"]
`;

function deployment(image: string, security: string, probes = true): string {
  return `apiVersion: apps/v1
kind: Deployment
metadata:
  name: svc
spec:
  template:
    spec:
${security}
      containers:
        - name: server
          image: ${image}
${
  probes
    ? `          readinessProbe:
            grpc: { port: 7070 }
          livenessProbe:
            grpc: { port: 7070 }
`
    : ''
}`;
}

const nonRoot = `      securityContext:
        runAsNonRoot: true
        runAsUser: 10001`;

/** A workspace rooted at /ws: the walk starts there. */
function workspace(files: Record<string, string>): WorkspaceView {
  return { ...inMemoryWorkspace(files), root: '/ws' };
}

async function findings(rule: Rule, path: string, files: Record<string, string>): Promise<string[]> {
  const analyzer = new Analyzer({
    rules: [rule],
    workspace: workspace({ ...files, [path]: service }),
    log: (message) => {
      throw new Error(message);
    },
  });
  const result = await analyzer.analyze({ path, text: service });
  assert.deepEqual(result.failures, []);
  return result.findings.map((f) => f.messageId);
}

const licence = 'Apache License 2.0\n';

describe('Kubernetes manifests elsewhere in the workspace', () => {
  it('a distinctive image name, run non-root and probed by a workload in another tree: neither rule flags', async () => {
    const files = {
      '/ws/sources/shop/LICENSE': licence,
      '/ws/platform/clusters/prod/apps/shop/ledgerbook.yaml': deployment(
        'registry.example.com/shop/ledgerbook:1.4.0',
        nonRoot,
      ),
    };
    const path = '/ws/sources/shop/services/ledgerbook/Dockerfile';
    assert.deepEqual(await findings(rootUser, path, files), []);
    assert.deepEqual(await findings(imageWithoutHealthcheck, path, files), []);
  });

  it('a YAML workload outside any manifest folder counts too; a ConfigMap naming the image does not', async () => {
    const files = {
      '/ws/ops/ledgerbook.yml': deployment('ledgerbook', nonRoot),
      '/ws/ops/settings.yaml': 'kind: ConfigMap\ndata:\n  image: ledgerbook-export\n',
    };
    assert.deepEqual(await findings(rootUser, '/ws/src/ledgerbook/Dockerfile', files), []);
  });

  it('the name must be exact: a workload running ledgerbook-export says nothing about ledgerbook', async () => {
    const files = { '/ws/k8s/export.yaml': deployment('example/ledgerbook-export:2', nonRoot) };
    const path = '/ws/src/ledgerbook/Dockerfile';
    assert.deepEqual(await findings(rootUser, path, files), ['noUser']);
    assert.equal((await findings(imageWithoutHealthcheck, path, files)).length, 1);
  });

  it('one workload running the image as root (runAsUser: 0, or with no setting) keeps the finding', async () => {
    const rooted = {
      '/ws/a/deploy/ledgerbook.yaml': deployment(
        'ledgerbook:1',
        `      securityContext:\n        runAsUser: 0`,
      ),
    };
    assert.deepEqual(await findings(rootUser, '/ws/src/ledgerbook/Dockerfile', rooted), ['noUser']);
    const mixed = {
      '/ws/a/deploy/ledgerbook.yaml': deployment('ledgerbook:1', nonRoot),
      '/ws/b/deploy/ledgerbook.yaml': deployment('ledgerbook:1', '', false),
    };
    const path = '/ws/src/ledgerbook/Dockerfile';
    assert.deepEqual(await findings(rootUser, path, mixed), ['noUser']);
    assert.equal(
      (await findings(imageWithoutHealthcheck, path, mixed)).length,
      1,
      'one of them has no probe',
    );
  });

  it('a generic name (frontend) counts only in manifests of a project of the same name', async () => {
    const manifest = deployment('frontend', nonRoot);
    const path = '/ws/docker/webshop/src/frontend/Dockerfile';
    const sameProject = {
      '/ws/docker/webshop/LICENSE': licence,
      '/ws/k8s/webshop/LICENSE': licence,
      '/ws/k8s/webshop/manifests/frontend.yaml': manifest,
    };
    assert.deepEqual(await findings(rootUser, path, sameProject), []);
    assert.deepEqual(await findings(imageWithoutHealthcheck, path, sameProject), []);
    const otherProject = {
      '/ws/docker/webshop/LICENSE': licence,
      '/ws/k8s/blog/LICENSE': licence,
      '/ws/k8s/blog/manifests/frontend.yaml': manifest,
    };
    assert.deepEqual(await findings(rootUser, path, otherProject), ['noUser']);
    assert.equal((await findings(imageWithoutHealthcheck, path, otherProject)).length, 1);
  });

  it('an image no manifest names yet, in a project that deploys with Kubernetes: its probe is the manifest’s', async () => {
    const path = '/ws/docker/webshop/src/giftwrap/Dockerfile';
    const files = {
      '/ws/docker/webshop/LICENSE': licence,
      '/ws/k8s/webshop/LICENSE': licence,
      '/ws/k8s/webshop/manifests/cart.yaml': deployment('cartservice', nonRoot),
    };
    assert.deepEqual(await findings(imageWithoutHealthcheck, path, files), []);
    // Who runs it, and as which user, is not known until a manifest names it.
    assert.deepEqual(await findings(rootUser, path, files), ['noUser']);
    // A project with no workload anywhere in the workspace still gets the finding.
    const alone = {
      '/ws/docker/webshop/LICENSE': licence,
      '/ws/k8s/blog/LICENSE': licence,
      '/ws/k8s/blog/web.yaml': deployment('blog', nonRoot),
    };
    assert.equal((await findings(imageWithoutHealthcheck, path, alone)).length, 1);
  });

  it('without a workspace root (an untitled document), nothing is walked', async () => {
    const analyzer = new Analyzer({
      rules: [rootUser],
      workspace: inMemoryWorkspace({ '/ws/ops/ledgerbook.yml': deployment('ledgerbook', nonRoot) }),
    });
    const result = await analyzer.analyze({ path: '/ws/src/ledgerbook/Dockerfile', text: service });
    assert.deepEqual(
      result.findings.map((f) => f.messageId),
      ['noUser'],
    );
  });

  it('walks the workspace once per view, not once per Dockerfile', async () => {
    const base = workspace({ '/ws/ops/ledgerbook.yml': deployment('ledgerbook', nonRoot) });
    let walked = 0;
    const counted: WorkspaceView = {
      ...base,
      list: (folder) => {
        // Only the walk lists /ws/ops: it is no manifest folder near any Dockerfile.
        if (folder.replace(/\/$/, '') === '/ws/ops') walked++;
        return base.list!(folder);
      },
    };
    const analyzer = new Analyzer({ rules: [rootUser], workspace: counted });
    for (const name of ['ledgerbook', 'inkwell', 'quillpad', 'ledgerbook'])
      await analyzer.analyze({ path: `/ws/src/${name}/Dockerfile`, text: service });
    assert.equal(walked, 1);
  });
});
