import assert from 'node:assert/strict';
import { Analyzer } from '../../server/src/engine/analyze';
import { inMemoryWorkspace } from '../../server/src/engine/workspace';
import noTimeout from '../../server/src/rules/code/no-timeout';
import publicDatabase from '../../server/src/rules/cfn/public-database';

// Two rules only, so that the cases stay about suppression as the rule pack grows.
const analyzer = new Analyzer({ rules: [publicDatabase, noTimeout], workspace: inMemoryWorkspace() });
const ids = async (path: string, text: string) =>
  (await analyzer.analyze({ path, text })).findings.map((f) => f.ruleId);

const rds = (extra = '', metadata = '') => `Resources:
  Db:
    Type: AWS::RDS::DBInstance
${metadata}    Properties:
${extra}      PubliclyAccessible: true
  Other:
    Type: AWS::RDS::DBInstance
    Properties:
      PubliclyAccessible: true
`;

describe('suppressions', () => {
  it('next-line covers only the next line of code, skipping comments', async () => {
    const text = rds(
      '      # cloud-lessons-disable-next-line private-network/public-database -- demo\n      # more words\n',
    );
    assert.deepEqual(await ids('/w/t.yaml', text), ['private-network/public-database']);
  });

  it('a lesson id silences every rule of the lesson', async () => {
    assert.deepEqual(
      await ids('/w/t.yaml', `# cloud-lessons-disable private-network -- sandbox account\n${rds()}`),
      [],
    );
  });

  it('resource Metadata silences findings inside that resource only', async () => {
    const own = rds(
      '',
      '    Metadata:\n      cloud-lessons:\n        ignore: [private-network/public-database]\n',
    );
    assert.equal((await ids('/w/t.yaml', own)).length, 1);
    const cfnLint = rds(
      '',
      '    Metadata:\n      cfn-lint:\n        config:\n          ignore_checks: [CKV_AWS_17]\n',
    );
    assert.equal((await ids('/w/t.yaml', cfnLint)).length, 1);
    const nag = rds(
      '',
      '    Metadata:\n      cfn_nag:\n        rules_to_suppress:\n          - id: CKV_AWS_17\n            reason: demo\n',
    );
    assert.equal((await ids('/w/t.yaml', nag)).length, 1);
  });

  it('checkov skip comments apply to the resource they are in', async () => {
    const text = rds('      #checkov:skip=CKV_AWS_17:public on purpose\n');
    assert.equal((await ids('/w/t.yaml', text)).length, 1);
  });

  it('a checkov skip comment after the last property of a resource still belongs to it', async () => {
    const text = `Resources:
  Db:
    Type: AWS::RDS::DBInstance
    Properties:
      PubliclyAccessible: true
    #checkov:skip=CKV_AWS_17:reporting replica for the BI tool
  Other:
    Type: AWS::RDS::DBInstance
    Properties:
      PubliclyAccessible: true
# checkov:skip=CKV_AWS_17: outside every resource, so checkov ignores it
`;
    const findings = (await analyzer.analyze({ path: '/w/t.yaml', text })).findings;
    assert.deepEqual(
      findings.map((f) => f.range.start.line),
      [9],
    );
  });

  it('JSON templates use Metadata at the top level', async () => {
    const text = JSON.stringify({
      Metadata: { 'cloud-lessons': { ignore: ['private-network/public-database'] } },
      Resources: { Db: { Type: 'AWS::RDS::DBInstance', Properties: { PubliclyAccessible: true } } },
    });
    assert.deepEqual(await ids('/w/t.json', text), []);
  });

  it('JavaScript comments: line and block', async () => {
    const code = `const axios = require('axios');
function load() {
  // cloud-lessons-disable-next-line embrace-failure/no-timeout -- health probe, the caller times out
  axios.get('/a');
  /* cloud-lessons-disable-next-line embrace-failure/no-timeout -- same */
  axios.get('/b');
  axios.get('/c');
}
`;
    assert.deepEqual(await ids('/w/a.js', code), ['embrace-failure/no-timeout']);
  });

  it('a directive inside a string is not a comment', async () => {
    const code = `const axios = require('axios');\nconst s = "cloud-lessons-disable embrace-failure";\nfunction load() {\n  axios.get('/a');\n}\n`;
    assert.deepEqual(await ids('/w/a.js', code), ['embrace-failure/no-timeout']);
  });
});
