import assert from 'node:assert/strict';
import { Analyzer } from '../../server/src/engine/analyze';
import { collectSuppressions, suppressionFor, unusedSuppressions } from '../../server/src/engine/suppress';
import { inMemoryWorkspace } from '../../server/src/engine/workspace';
import { allRules } from '../../server/src/rules';

const analyzer = new Analyzer({
  rules: allRules,
  workspace: inMemoryWorkspace({ '/w/.dockerignore': '.git\n' }),
});

/** `line rule` of the findings left, for one rule. */
async function left(path: string, text: string, rule: string): Promise<number[]> {
  const result = await analyzer.analyze({ path, text });
  return result.findings.filter((f) => f.ruleId === rule).map((f) => f.range.start.line + 1);
}

const db = (metadata = '', comment = '') => `AWSTemplateFormatVersion: '2010-09-09'
Resources:
  Db:
    Type: AWS::RDS::DBInstance
${metadata}    Properties:
${comment}      PubliclyAccessible: true
  Other:
    Type: AWS::RDS::DBInstance
    Properties:
      PubliclyAccessible: true
`;
const publicDatabase = 'private-network/public-database';

describe('suppressions written for other tools', () => {
  it('cfn-guard: Metadata guard SuppressedRules on a resource, by the rule it names', async () => {
    const guard = (rule: string) =>
      `    Metadata:\n      guard:\n        SuppressedRules:\n          - ${rule}\n`;
    assert.deepEqual(await left('/w/t.yaml', db(), publicDatabase), [6, 10]);
    assert.deepEqual(
      await left('/w/t.yaml', db(guard('RDS_INSTANCE_PUBLIC_ACCESS_CHECK')), publicDatabase),
      [14],
    );
    // Another guard rule names another check: nothing silenced.
    assert.deepEqual(
      await left('/w/t.yaml', db(guard('S3_BUCKET_VERSIONING_ENABLED')), publicDatabase),
      [10, 14],
    );
    const json = JSON.stringify({
      Resources: {
        Bucket: {
          Type: 'AWS::S3::Bucket',
          Metadata: { guard: { SuppressedRules: ['S3_BUCKET_VERSIONING_ENABLED'] } },
        },
        Other: { Type: 'AWS::S3::Bucket' },
      },
    });
    assert.equal((await left('/w/t.json', json, 'plan-for-the-worst/s3-no-versioning')).length, 1);
  });

  it('Ruff noqa: the codes the rule lists, on that line; a bare noqa silences its Ruff checks', async () => {
    const code = (comment: string) =>
      `import requests\ndef load():\n    requests.get("https://a.example")${comment}\n    requests.get("https://b.example")\n`;
    const rule = 'embrace-failure/no-timeout';
    assert.deepEqual(await left('/w/app.py', code(''), rule), [3, 4]);
    assert.deepEqual(await left('/w/app.py', code('  # noqa: S113'), rule), [4]);
    assert.deepEqual(await left('/w/app.py', code('  # noqa: E501, S113'), rule), [4]);
    assert.deepEqual(await left('/w/app.py', code('  # noqa'), rule), [4]);
    assert.deepEqual(await left('/w/app.py', code('  # noqa: E501'), rule), [3, 4]);
    // A rule with no Ruff equivalent is not silenced by a bare noqa.
    const session = `from flask import Flask, session\napp = Flask(__name__)\napp.config["SESSION_TYPE"] = "filesystem"  # noqa\n`;
    const withNoqa = await analyzer.analyze({ path: '/w/app.py', text: session });
    const without = await analyzer.analyze({ path: '/w/app.py', text: session.replace('  # noqa', '') });
    assert.deepEqual(
      withNoqa.findings.filter((f) => f.rule.equivalents.length === 0).map((f) => f.ruleId),
      without.findings.filter((f) => f.rule.equivalents.length === 0).map((f) => f.ruleId),
    );
  });

  it('bandit nosec: B codes are the S codes the rules list', async () => {
    const code = (comment: string) =>
      `import requests\ndef load():\n    requests.get("https://a.example")${comment}\n`;
    const rule = 'embrace-failure/no-timeout';
    assert.deepEqual(await left('/w/app.py', code('  # nosec B113'), rule), []);
    assert.deepEqual(await left('/w/app.py', code('  # nosec'), rule), []);
    assert.deepEqual(await left('/w/app.py', code('  # nosec B101'), rule), [3]);
  });

  it('nosemgrep: on the line or alone above it, by the Semgrep rule id', async () => {
    const code = (line: string, above = '') =>
      `import requests\ndef load():\n${above}    requests.get("https://a.example")${line}\n    requests.get("https://b.example")\n`;
    const rule = 'embrace-failure/no-timeout';
    const id = 'python.requests.best-practice.use-timeout.use-timeout';
    assert.deepEqual(await left('/w/app.py', code(`  # nosemgrep: ${id}`), rule), [4]);
    assert.deepEqual(await left('/w/app.py', code('', `    # nosemgrep: ${id}\n`), rule), [5]);
    assert.deepEqual(await left('/w/app.py', code('  # nosemgrep'), rule), [4]);
    assert.deepEqual(
      await left('/w/app.py', code('  # nosemgrep: python.lang.security.audit.eval'), rule),
      [3, 4],
    );
    // Our finding is on the FROM of the image that runs as root: a waiver above it silences it,
    // one above CMD (where Semgrep reports) covers that line only.
    const waiver = '# nosemgrep: dockerfile.security.missing-user.missing-user\n';
    const image = 'FROM node:22.11.0-slim\nCMD ["node", "server.js"]\n';
    assert.deepEqual(await left('/w/Dockerfile', waiver + image, 'least-privilege/root-user'), []);
    assert.deepEqual(
      await left('/w/Dockerfile', image.replace('CMD', waiver + 'CMD'), 'least-privilege/root-user'),
      [1],
    );
  });

  it('trivy:ignore: above a resource silences it, at the end of a line that line', async () => {
    assert.deepEqual(
      await left(
        '/w/t.yaml',
        db().replace('  Db:\n', '  # trivy:ignore:AVD-AWS-0180\n  Db:\n'),
        publicDatabase,
      ),
      [11],
    );
    assert.deepEqual(
      await left(
        '/w/t.yaml',
        db().replace(
          'PubliclyAccessible: true\n  Other',
          'PubliclyAccessible: true # trivy:ignore:aws-rds-no-public-db-access\n  Other',
        ),
        publicDatabase,
      ),
      [10],
    );
    assert.deepEqual(
      await left(
        '/w/t.yaml',
        db().replace('  Db:\n', '  # trivy:ignore:AVD-AWS-0089\n  Db:\n'),
        publicDatabase,
      ),
      [7, 11],
    );
    const dockerfile = '# trivy:ignore:AVD-DS-0002\nFROM node:22.11.0-slim\nCMD ["node", "server.js"]\n';
    assert.deepEqual(await left('/w/Dockerfile', dockerfile, 'least-privilege/root-user'), []);
  });

  it('kics-scan: ignore the file, ignore-line, ignore-block, disable=<query id>', async () => {
    const dockerfile = (head: string) => `${head}FROM node:22.11.0-slim\nCMD ["node", "server.js"]\n`;
    const root = 'least-privilege/root-user';
    assert.deepEqual(await left('/w/Dockerfile', dockerfile(''), root), [1]);
    assert.deepEqual(await left('/w/Dockerfile', dockerfile('# kics-scan ignore\n'), root), []);
    assert.deepEqual(await left('/w/Dockerfile', dockerfile('# kics-scan ignore-line\n'), root), []);
    assert.deepEqual(
      await left(
        '/w/Dockerfile',
        dockerfile('# kics-scan disable=fd54f200-402c-4333-a5a4-36ef6709af2f\n'),
        root,
      ),
      [],
    );
    assert.deepEqual(
      await left(
        '/w/Dockerfile',
        dockerfile('# kics-scan disable=b03a748a-542d-44f4-bb86-9199ab4fd2d5\n'),
        root,
      ),
      [2],
    );
    assert.deepEqual(
      await left('/w/t.yaml', db().replace('  Db:\n', '  # kics-scan ignore-block\n  Db:\n'), publicDatabase),
      [11],
    );
    // A rule without a KICS query of its own stays.
    const descriptionless =
      "AWSTemplateFormatVersion: '2010-09-09'\n# kics-scan ignore\nResources:\n  T:\n    Type: AWS::SNS::Topic\n";
    assert.equal(
      (await left('/w/t.yaml', descriptionless, 'infrastructure-as-code/no-description')).length,
      1,
    );
  });
});

describe('which suppression silenced a finding', () => {
  it('names the directive, its tool and its reason', async () => {
    const text = db(
      '',
      '      # cloud-lessons-disable-next-line private-network/public-database -- replica for BI\n',
    );
    const document = await analyzer.parse({ path: '/w/t.yaml', text });
    try {
      const result = await analyzer.run(document);
      const silenced = result.suppressed.find((f) => f.ruleId === publicDatabase)!;
      const by = suppressionFor(silenced.rule, silenced.span, document, collectSuppressions(document))!;
      assert.equal(by.source, 'cloud-lessons');
      assert.equal(by.reason, 'replica for BI');
    } finally {
      document.dispose();
    }
  });
});

describe('unused suppressions', () => {
  async function unused(path: string, text: string) {
    const document = await analyzer.parse({ path, text });
    try {
      const result = await analyzer.run(document);
      const found = unusedSuppressions(document, collectSuppressions(document), result.suppressed);
      return found.map((u) => {
        let fixed = text;
        for (const edit of [...u.edits].sort((a, b) => b.start - a.start))
          fixed = fixed.slice(0, edit.start) + edit.text + fixed.slice(edit.end);
        return { id: u.id, line: document.lines.lineOf(u.span.start) + 1, where: u.where, fixed };
      });
    } finally {
      document.dispose();
    }
  }

  it('a directive whose rule finds nothing there is unused, and its removal leaves the rest', async () => {
    const text = `import requests
def load():
    # cloud-lessons-disable-next-line embrace-failure/no-timeout -- probe
    requests.get("https://a.example", timeout=5)
    # cloud-lessons-disable-next-line embrace-failure/no-timeout -- probe
    requests.get("https://b.example")
`;
    const found = await unused('/w/app.py', text);
    assert.deepEqual(
      found.map((u) => [u.id, u.line, u.where]),
      [['embrace-failure/no-timeout', 3, 'comment']],
    );
    assert.equal(
      found[0].fixed,
      'import requests\ndef load():\n    requests.get("https://a.example", timeout=5)\n    # cloud-lessons-disable-next-line embrace-failure/no-timeout -- probe\n    requests.get("https://b.example")\n',
    );
  });

  it('one id of several: only that id is removed', async () => {
    const text = `import requests
def load():
    requests.get("https://a.example")  # cloud-lessons-disable-next-line x
    # cloud-lessons-disable-next-line local-state/local-disk-state, embrace-failure/no-timeout -- probe
    requests.get("https://b.example")
`;
    const found = await unused('/w/app.py', text);
    const disk = found.find((u) => u.id === 'local-state/local-disk-state')!;
    assert.equal(disk.line, 4);
    assert.match(disk.fixed, / {4}# cloud-lessons-disable-next-line embrace-failure\/no-timeout -- probe\n/);
    assert.ok(!found.some((u) => u.id === 'embrace-failure/no-timeout'));
  });

  it('Metadata entries, and peers’ suppressions are left alone', async () => {
    const text = `AWSTemplateFormatVersion: '2010-09-09'
Resources:
  Topic:
    Type: AWS::SNS::Topic
    Metadata:
      cloud-lessons:
        ignore: [private-network/public-database]
      cfn_nag:
        rules_to_suppress:
          - id: W47
`;
    const found = await unused('/w/t.yaml', text);
    assert.deepEqual(
      found.map((u) => [u.id, u.line, u.where]),
      [['private-network/public-database', 7, 'metadata']],
    );
    assert.doesNotMatch(found[0].fixed, /cloud-lessons/);
    assert.match(found[0].fixed, /cfn_nag:\n\s+rules_to_suppress:/);
  });
});
