import assert from 'node:assert/strict';
import { Analyzer } from '../../server/src/engine/analyze';
import { inMemoryWorkspace } from '../../server/src/engine/workspace';
import { allRules } from '../../server/src/rules';
import publicDatabase from '../../server/src/rules/cfn/public-database';

// Real templates are messy. Each oddity below is at most one clear problem, and the template
// is still classified, parsed and judged by every rule that can run on it.

const one = new Analyzer({ rules: [publicDatabase], workspace: inMemoryWorkspace() });
const pack = new Analyzer({ rules: allRules, workspace: inMemoryWorkspace() });

interface Outcome {
  kind: string;
  problems: string[];
  /** `line: text of the span` of each public-database finding. */
  findings: string[];
  resources: string[];
}

async function check(text: string, path = '/w/template.yaml'): Promise<Outcome> {
  const document = await one.parse({ path, text });
  const result = await one.run(document);
  assert.deepEqual(result.failures, []);
  // The whole pack runs on the same text without a rule failing.
  const all = await pack.analyze({ path, text });
  assert.deepEqual(all.failures, [], 'no rule of the pack fails on it');
  return {
    kind: document.kind,
    problems: result.problems.map(
      (p) =>
        `${document.lines.positionAt(p.span.start).line + 1}: ${p.severity}${p.fatal ? ' fatal' : ''}: ${p.message}`,
    ),
    findings: result.findings.map(
      (f) => `${f.range.start.line + 1}: ${text.slice(f.span.start, f.span.end)}`,
    ),
    resources:
      document.model?.kind === 'cloudformation'
        ? document.model.template.resources.map((r) => `${r.logicalId}: ${r.type ?? '?'}`)
        : [],
  };
}

describe('messy CloudFormation templates', () => {
  describe('duplicate keys', () => {
    it('YAML: one warning for the repeated key; the last value is the one judged', async () => {
      const outcome = await check(`AWSTemplateFormatVersion: '2010-09-09'
Resources:
  Db:
    Type: AWS::RDS::DBInstance
    Properties:
      PubliclyAccessible: false
      PubliclyAccessible: true
`);
      assert.equal(outcome.kind, 'cloudformation');
      assert.deepEqual(outcome.problems, [
        '7: warning: Duplicate key "PubliclyAccessible": most tools keep only one of them.',
      ]);
      assert.deepEqual(outcome.findings, ['7: true']);
    });

    it('YAML: a repeated logical id is one resource, the last one', async () => {
      const outcome = await check(`AWSTemplateFormatVersion: '2010-09-09'
Resources:
  Db:
    Type: AWS::RDS::DBInstance
    Properties:
      PubliclyAccessible: true
  Db:
    Type: AWS::RDS::DBInstance
    Properties:
      PubliclyAccessible: false
`);
      assert.deepEqual(outcome.problems, [
        '7: warning: Duplicate key "Db": most tools keep only one of them.',
      ]);
      assert.deepEqual(outcome.resources, ['Db: AWS::RDS::DBInstance']);
      assert.deepEqual(outcome.findings, []);
    });

    it('JSON: one warning for the repeated key; the last value is the one judged', async () => {
      const outcome = await check(
        `{
  "Resources": {
    "Db": {
      "Type": "AWS::RDS::DBInstance",
      "Properties": { "PubliclyAccessible": false, "PubliclyAccessible": true }
    }
  }
}`,
        '/w/template.json',
      );
      assert.deepEqual(outcome.problems, [
        '5: warning: Duplicate key "PubliclyAccessible": only the last one takes effect.',
      ]);
      assert.deepEqual(outcome.findings, ['5: true']);
    });
  });

  describe('tags CloudFormation does not know', () => {
    const text = `AWSTemplateFormatVersion: '2010-09-09'
Resources:
  Network:
    Type: !Rain::Module ../modules/vpc.yml
  Fn:
    Type: AWS::Lambda::Function
    Properties:
      Code:
        ZipFile: !Rain::Embed handler.py
  Packaged:
    Type: AWS::RDS::DBInstance
    Properties:
      PubliclyAccessible: !Preprocessor::Flag true
  Db:
    Type: AWS::RDS::DBInstance
    Properties:
      PubliclyAccessible: true
`;

    it('parse with one note per unknown tag, and the rest of the template is judged', async () => {
      const outcome = await check(text);
      assert.equal(outcome.kind, 'cloudformation');
      assert.deepEqual(
        outcome.problems.map((p) => p.replace(/ is not a CloudFormation tag.*/, '')),
        ['4: info: !Rain::Module', '9: info: !Rain::Embed', '13: info: !Preprocessor::Flag'],
      );
      assert.deepEqual(outcome.findings, ['17: true']);
    });

    it('leave a tagged type unknown and a tagged value unjudged', async () => {
      const outcome = await check(text);
      assert.deepEqual(outcome.resources, [
        'Network: ?',
        'Fn: AWS::Lambda::Function',
        'Packaged: AWS::RDS::DBInstance',
        'Db: AWS::RDS::DBInstance',
      ]);
      assert.ok(
        !outcome.findings.some((f) => f.startsWith('13:')),
        'a value behind a tag another tool replaces is not taken for the literal after the tag',
      );
    });
  });

  describe('AWS::LanguageExtensions', () => {
    it('judges the resources inside Fn::ForEach, nested loops too, with no problem reported', async () => {
      const outcome = await check(`AWSTemplateFormatVersion: '2010-09-09'
Transform:
  - AWS::LanguageExtensions
  - AWS::Serverless-2016-10-31
Resources:
  Fn::ForEach::Databases:
    - Name
    - [Orders, Billing]
    - \${Name}Db:
        Type: AWS::RDS::DBInstance
        Properties:
          DBInstanceIdentifier: !Ref Name
          PubliclyAccessible: true
      Fn::ForEach::Replicas:
        - Region
        - [A, B]
        - \${Name}\${Region}Replica:
            Type: AWS::RDS::DBInstance
            Properties:
              PubliclyAccessible: 'true'
  Plain:
    Type: AWS::RDS::DBInstance
    Properties:
      PubliclyAccessible: !If [IsDemo, true, !FindInMap [Settings, !Ref AWS::Region, Public]]
Conditions:
  IsDemo: !Equals [!Ref AWS::Region, us-east-1]
Outputs:
  Fn::ForEach::Endpoints:
    - Name
    - [Orders, Billing]
    - \${Name}Endpoint:
        Value: !GetAtt [!Sub '\${Name}Db', Endpoint.Address]
`);
      assert.deepEqual(outcome.problems, []);
      assert.deepEqual(outcome.resources, [
        '${Name}Db: AWS::RDS::DBInstance',
        '${Name}${Region}Replica: AWS::RDS::DBInstance',
        'Plain: AWS::RDS::DBInstance',
      ]);
      assert.deepEqual(outcome.findings, ['13: true', "20: 'true'"]);
    });

    it('reads Fn::ForEach in JSON templates', async () => {
      const outcome = await check(
        JSON.stringify(
          {
            Transform: 'AWS::LanguageExtensions',
            Resources: {
              'Fn::ForEach::Dbs': [
                'Name',
                ['A', 'B'],
                { '${Name}Db': { Type: 'AWS::RDS::DBInstance', Properties: { PubliclyAccessible: true } } },
              ],
            },
          },
          null,
          2,
        ),
        '/w/template.json',
      );
      assert.deepEqual(outcome.resources, ['${Name}Db: AWS::RDS::DBInstance']);
      assert.equal(outcome.findings.length, 1);
    });
  });

  it('comments everywhere change nothing', async () => {
    const outcome = await check(`# leading comment
AWSTemplateFormatVersion: '2010-09-09' # version
# between sections
Resources: # resources
  # before a resource
  Db: # the database
    # before Type
    Type: AWS::RDS::DBInstance # type
    Properties: # properties
      # before a property
      PubliclyAccessible: true # why?
      # after the last property

# trailing comment
`);
    assert.deepEqual(outcome.problems, []);
    assert.deepEqual(outcome.findings, ['11: true']);
  });

  it('JSON templates with comments (JSONC) are read', async () => {
    const outcome = await check(
      `{
  // a comment
  "Resources": {
    /* the database */
    "Db": { "Type": "AWS::RDS::DBInstance", "Properties": { "PubliclyAccessible": true } }
  }
}`,
      '/w/template.json',
    );
    assert.deepEqual(outcome.problems, []);
    assert.deepEqual(outcome.findings, ['5: true']);
  });

  it('a byte-order mark and CRLF line ends change nothing', async () => {
    const yaml = `\uFEFFAWSTemplateFormatVersion: '2010-09-09'\r\nResources:\r\n  Db:\r\n    Type: AWS::RDS::DBInstance\r\n    Properties:\r\n      PubliclyAccessible: true\r\n`;
    assert.deepEqual((await check(yaml)).findings, ['6: true']);
    const json = `\uFEFF{"AWSTemplateFormatVersion": "2010-09-09", "Resources": {"Db": {"Type": "AWS::RDS::DBInstance", "Properties": {"PubliclyAccessible": true}}}}`;
    const outcome = await check(json, '/w/template.json');
    assert.deepEqual(outcome.problems, []);
    assert.deepEqual(outcome.findings, ['1: true']);
  });

  it('a template without Resources is still a template, judged without problems', async () => {
    for (const text of [
      `AWSTemplateFormatVersion: '2010-09-09'\nDescription: Only parameters and outputs\nParameters:\n  Name:\n    Type: String\nOutputs:\n  Name:\n    Value: !Ref Name\n`,
      `AWSTemplateFormatVersion: '2010-09-09'\nResources:\n`,
      `AWSTemplateFormatVersion: '2010-09-09'\nResources: {}\n`,
    ]) {
      const outcome = await check(text);
      assert.equal(outcome.kind, 'cloudformation');
      assert.deepEqual(outcome.problems, []);
      assert.deepEqual(outcome.resources, []);
    }
  });

  it('Fn::Transform includes and resources that are not maps are skipped', async () => {
    const outcome = await check(`AWSTemplateFormatVersion: '2010-09-09'
Resources:
  Fn::Transform:
    Name: AWS::Include
    Parameters:
      Location: s3://bucket/fragment.yaml
  Broken: just a string
  Empty:
  Db:
    Type: AWS::RDS::DBInstance
    Properties:
      PubliclyAccessible: true
`);
    assert.deepEqual(outcome.resources, ['Db: AWS::RDS::DBInstance']);
    assert.deepEqual(outcome.findings, ['12: true']);
  });
});
