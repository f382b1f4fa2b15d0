import assert from 'node:assert/strict';
import { join } from 'node:path';
import { formatSarif } from '../../server/src/report/sarif';
import { publicDb, reportOf, workspace } from './run';
import { assertValidSarif, validate } from './sarif-schema';

const files = {
  'infra/template.yaml': publicDb,
  'infra/suppressed.yaml': `AWSTemplateFormatVersion: '2010-09-09'
Description: Suppressed on purpose
Resources:
  Replica:
    Type: AWS::RDS::DBInstance
    Properties:
      # cloud-lessons-disable-next-line private-network/public-database -- read replica for the BI vendor, IP-restricted
      PubliclyAccessible: true
  Nagged:
    Type: AWS::RDS::DBInstance
    Metadata:
      cfn_nag:
        rules_to_suppress:
          - id: CKV_AWS_17
            reason: demo account, torn down nightly
    Properties:
      PubliclyAccessible: true
`,
  'app/Dockerfile': 'FROM node:22.11.0-slim\nCOPY . /app\nCMD ["node", "/app/server.js"]\n',
  'app/.dockerignore': '.git\n',
  'app/client.py': 'import requests\n\ndef fetch():\n    return requests.get("https://example.com/api")\n',
};

describe('SARIF for code scanning', () => {
  it('validates against the SARIF 2.1.0 schema, and the validator is not lenient', async () => {
    const report = await reportOf(workspace(files));
    const text = formatSarif(report);
    const log = assertValidSarif(text);
    assert.ok(log.runs[0].results!.length > 3);
    const broken = JSON.parse(text);
    broken.runs[0].results[0].level = 'fatal';
    assert.equal(validate(broken), false, 'a wrong level is rejected');
    broken.runs[0].results[0].level = 'error';
    broken.runs[0].results[0].locations[0].physicalLocation.region.startLine = 0;
    assert.equal(validate(broken), false, 'a line 0 is rejected');
  });

  it('puts paths relative to the repository top, with originalUriBaseIds, when run from a subfolder', async () => {
    const top = workspace(files);
    const report = await reportOf(join(top, 'infra'), { root: join(top, 'infra'), sourceRoot: top });
    const run = assertValidSarif(formatSarif(report)).runs[0];
    assert.equal(run.originalUriBaseIds!['%SRCROOT%'].uri, `file://${top}/`);
    const uris = new Set(run.results!.map((r) => r.locations![0].physicalLocation!.artifactLocation!.uri));
    assert.deepEqual([...uris].sort(), ['infra/suppressed.yaml', 'infra/template.yaml']);
    for (const result of run.results!)
      assert.equal(result.locations![0].physicalLocation!.artifactLocation!.uriBaseId, '%SRCROOT%');
  });

  it('describes every rule with precision and tags, security rules with a security-severity, and Markdown help', async () => {
    const run = assertValidSarif(formatSarif(await reportOf(workspace(files)))).runs[0];
    const rules = run.tool.driver.rules!;
    assert.ok(rules.length > 50);
    for (const rule of rules) {
      assert.match(String(rule.properties?.precision), /^(very-high|high|medium|low)$/, rule.id);
      assert.ok((rule.properties?.tags ?? []).length >= 2, rule.id);
      assert.ok(rule.help?.markdown && rule.help.markdown.length > 40, rule.id);
    }
    const publicDatabase = rules.find((r) => r.id === 'private-network/public-database')!;
    assert.equal(publicDatabase.properties!['security-severity'], '8.0');
    assert.ok(publicDatabase.properties!.tags!.includes('security'));
    const backups = rules.find((r) => r.id === 'plan-for-the-worst/no-automated-backups')!;
    assert.equal(backups.properties!['security-severity'], undefined, 'reliability rules have none');
    assert.match(publicDatabase.help!.markdown!, /What it flags/);
  });

  it('fingerprints results from the baseline fingerprint, and keeps fixes', async () => {
    const run = assertValidSarif(formatSarif(await reportOf(workspace(files)))).runs[0];
    const results = run.results!;
    for (const result of results)
      assert.match(result.partialFingerprints!['cloudLessons/v1'], /^[0-9a-f]{20}:\d+$/);
    const db = results.find(
      (r) =>
        r.ruleId === 'private-network/public-database' &&
        r.locations![0].physicalLocation!.artifactLocation!.uri === 'infra/template.yaml',
    )!;
    assert.equal(db.locations![0].physicalLocation!.region!.startLine, 7);
    assert.equal(db.fixes![0].artifactChanges[0].replacements![0].insertedContent!.text, 'false');
    assert.equal(run.tool.driver.rules![db.ruleIndex!].id, db.ruleId);
  });

  it('keeps suppressed findings as suppressions with the reason as justification', async () => {
    const run = assertValidSarif(formatSarif(await reportOf(workspace(files)))).runs[0];
    const suppressed = run.results!.filter((r) => r.suppressions);
    const byLine = Object.fromEntries(
      suppressed
        .filter((r) => r.ruleId === 'private-network/public-database')
        .map((r) => [r.locations![0].physicalLocation!.region!.startLine, r.suppressions![0]]),
    );
    assert.deepEqual(byLine[8], {
      kind: 'inSource',
      status: 'accepted',
      justification: 'read replica for the BI vendor, IP-restricted',
      properties: { source: 'cloud-lessons' },
    });
    assert.equal(byLine[17].justification, 'demo account, torn down nightly');
    assert.equal(byLine[17].properties!.source, 'cfn_nag');
    assert.ok(
      suppressed.every((r) => !r.fixes),
      'a suppressed finding offers no fix',
    );
  });

  it('lists the unused-suppression rule only when such findings are reported', async () => {
    const dir = workspace({
      'template.yaml': `${publicDb}  # cloud-lessons-disable-next-line scale-database/no-read-replica -- nothing here\n  Other:\n    Type: AWS::SNS::Topic\n`,
    });
    const plain = assertValidSarif(formatSarif(await reportOf(dir))).runs[0];
    assert.ok(!plain.tool.driver.rules!.some((r) => r.id === 'cloud-lessons/unused-suppression'));
    const run = assertValidSarif(formatSarif(await reportOf(dir, { unusedSuppressions: true }))).runs[0];
    const unused = run.results!.filter((r) => r.ruleId === 'cloud-lessons/unused-suppression');
    assert.equal(unused.length, 1);
    assert.equal(run.tool.driver.rules![unused[0].ruleIndex!].id, 'cloud-lessons/unused-suppression');
    assert.equal(unused[0].locations![0].physicalLocation!.region!.startLine, 8);
  });
});
