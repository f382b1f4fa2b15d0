import assert from 'node:assert/strict';
import { existsSync, mkdtempSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { Analyzer } from '../../server/src/engine/analyze';
import { hoverMarkdown } from '../../server/src/features/hover';
import { getPair } from '../../server/src/engine/parse/tree';
import { defineRule, type Rule } from '../../server/src/engine/rule';
import { inMemoryWorkspace } from '../../server/src/engine/workspace';
import publicDatabase from '../../server/src/rules/cfn/public-database';

interface CfnDocsScript {
  writeCfnDocs(options?: { force?: boolean; dir?: string }): {
    written: boolean;
    manifest: { specVersion: string; script: string; resources: number; files: Record<string, string> };
  };
  expectedManifestStamp(): { specVersion: string; script: string };
  cfnDocsDir: string;
}

// A bucket rule written for these tests: it judges a string property with allowed values, and
// only an explicit value, so that the hover has to try the other allowed value to find it.
const versioning = defineRule({
  id: 'plan-for-the-worst/test-bucket-versioning',
  lesson: 'plan-for-the-worst',
  title: 'Bucket versioning suspended (test rule)',
  severity: 'warning',
  equivalents: [],
  fix: 'no',
  resourceTypes: ['AWS::S3::Bucket'],
  messages: { suspended: 'Bucket {{id}} is not versioned.' },
  docs: {
    what: 'Flags a bucket whose versioning status is set to anything but Enabled, for the hover tests of this file only.',
    why: 'Without versioning an overwrite or a delete loses the previous object for good.',
    example: { language: 'yaml', code: 'Bucket:\n  Type: AWS::S3::Bucket' },
    useInstead: {
      language: 'yaml',
      code: 'Bucket:\n  Type: AWS::S3::Bucket\n  Properties:\n    VersioningConfiguration: {Status: Enabled}',
    },
  },
  checks: {
    cfn({ resources, report }) {
      for (const resource of resources) {
        const status = getPair(getPair(resource.properties, 'VersioningConfiguration')?.value, 'Status');
        if (status?.value.type === 'scalar' && status.value.value !== 'Enabled')
          report({ at: status.value, resource, messageId: 'suspended', data: { id: resource.logicalId } });
      }
    },
  },
});

const rules: Rule[] = [publicDatabase, versioning];
/** The build script that writes the docs extract (a path in a variable: it has no type declarations). */
const cfnDocsScript = '../../scripts/cfn-docs.mjs';
const pageUrl = (id: string) => `https://example.test/rules/${id}.md`;

/** The hover at the first occurrence of `needle` (plus `shift` characters) in `text`. */
async function hover(
  text: string,
  needle: string,
  { shift = 1, path = '/w/template.yaml', enabled = rules } = {},
): Promise<string | undefined> {
  // As the server does: the analysis and the checklist use the rules enabled for the document.
  const analyzer = new Analyzer({ rules: enabled, workspace: inMemoryWorkspace() });
  const document = await analyzer.parse({ path, text });
  const result = await analyzer.run(document);
  const at = text.indexOf(needle);
  assert.ok(at >= 0, `${needle} is in the text`);
  return hoverMarkdown(analyzer, document, result, at + shift, pageUrl, enabled);
}

const template = `AWSTemplateFormatVersion: '2010-09-09'
Resources:
  PublicDb:
    Type: AWS::RDS::DBInstance
    DeletionPolicy: Snapshot
    Properties:
      Engine: postgres
      PubliclyAccessible: true
  PrivateDb:
    Type: AWS::RDS::DBInstance
    Properties:
      Engine: postgres
      PubliclyAccessible: false
      DBSubnetGroupName: private-subnets
  Uploads:
    Type: AWS::S3::Bucket
    Properties:
      VersioningConfiguration:
        Status: Enabled
      Tags:
        - Key: team
          Value: orders
`;

describe('the CloudFormation docs extract', () => {
  it('is regenerated when it no longer matches the spec or the script', async function () {
    this.timeout(60000);
    const script = (await import(cfnDocsScript)) as CfnDocsScript;
    const dir = mkdtempSync(join(tmpdir(), 'cfn-docs-'));
    try {
      const first = script.writeCfnDocs({ dir });
      assert.equal(first.written, true);
      assert.deepEqual(
        { specVersion: first.manifest.specVersion, script: first.manifest.script },
        script.expectedManifestStamp(),
      );
      assert.ok(first.manifest.resources > 1500, 'every resource type of the spec');
      assert.equal(first.manifest.files['AWS::Serverless'], 'aws-serverless.json');
      assert.equal(script.writeCfnDocs({ dir }).written, false, 'a current extract is kept');
      const manifestPath = join(dir, 'manifest.json');
      const stale = { ...JSON.parse(readFileSync(manifestPath, 'utf8')), specVersion: '0.0.0' };
      writeFileSync(manifestPath, JSON.stringify(stale));
      assert.equal(script.writeCfnDocs({ dir }).written, true, 'a stale extract is rewritten');
      const rds = JSON.parse(readFileSync(join(dir, 'aws-rds.json'), 'utf8')) as {
        resources: Record<string, { properties: Record<string, { t: string }> }>;
      };
      assert.equal(rds.resources['AWS::RDS::DBInstance'].properties.MultiAZ.t, 'Boolean');
    } finally {
      rmSync(dir, { recursive: true, force: true });
    }
  });

  // Before the hover tests, which write the extract when it is missing or stale.
  it('in dist/ matches the installed spec and the script (run npm run build when it fails)', async () => {
    const script = (await import(cfnDocsScript)) as CfnDocsScript;
    const manifestPath = join(script.cfnDocsDir, 'manifest.json');
    assert.ok(existsSync(manifestPath), 'dist/cfn-docs is built');
    const manifest = JSON.parse(readFileSync(manifestPath, 'utf8')) as {
      specVersion: string;
      script: string;
    };
    assert.deepEqual(
      { specVersion: manifest.specVersion, script: manifest.script },
      script.expectedManifestStamp(),
    );
  });
});

describe('CloudFormation hovers', () => {
  before(async function () {
    this.timeout(60000);
    const script = (await import(cfnDocsScript)) as CfnDocsScript;
    script.writeCfnDocs();
  });

  describe('on a resource type', () => {
    it('shows the documentation and a broken lesson with its line', async () => {
      const text = await hover(template, 'AWS::RDS::DBInstance');
      assert.ok(text);
      assert.match(
        text,
        /^\*\*AWS::RDS::DBInstance\*\* · \[documentation\]\(https:\/\/docs\.aws\.amazon\.com\/AWSCloudFormation\/latest\/TemplateReference\/aws-resource-rds-dbinstance\.html\)/,
      );
      assert.match(text, /resource creates an Amazon DB instance/);
      assert.ok(text.includes('**Lesson checklist for this resource**'));
      assert.ok(
        text.includes(
          '- ✗ **Keep databases private and ports closed** — line 8: RDS database instance PublicDb is reachable from the internet: PubliclyAccessible is true. ([`private-network/public-database`](https://example.test/rules/private-network/public-database.md))',
        ),
        text,
      );
      assert.ok(!text.includes('test-bucket-versioning'), 'rules for other types stay out');
    });

    it('marks a lesson the resource meets', async () => {
      const text = await hover(
        template,
        'AWS::RDS::DBInstance\n    Properties:\n      Engine: postgres\n      PubliclyAccessible: false',
      );
      assert.ok(
        text?.includes(
          '- ✓ **Keep databases private and ports closed** — passes [`private-network/public-database`]',
        ),
        text,
      );
    });

    it('works on the Type key too, and in JSON templates', async () => {
      assert.match(
        (await hover(template, 'Type: AWS::S3::Bucket', { shift: 1 })) ?? '',
        /AWS::S3::Bucket\*\* · \[documentation\]/,
      );
      const json = JSON.stringify(
        { Resources: { Db: { Type: 'AWS::RDS::DBInstance', Properties: { PubliclyAccessible: true } } } },
        null,
        2,
      );
      const text = await hover(json, '"AWS::RDS::DBInstance"', { path: '/w/template.json' });
      assert.ok(text?.includes('- ✗ **Keep databases private and ports closed** — line 6:'), text);
    });

    it('says when a finding is suppressed rather than met', async () => {
      const suppressed = template.replace(
        '    DeletionPolicy: Snapshot\n',
        '    Metadata:\n      cfn_nag:\n        rules_to_suppress:\n          - id: CKV_AWS_17\n            reason: demo\n',
      );
      const text = await hover(suppressed, 'AWS::RDS::DBInstance');
      assert.ok(text?.includes('- ○ **Keep databases private and ports closed** — suppressed here'), text);
    });

    it('says that a resource whose Properties an Fn::If chooses is not judged', async () => {
      const conditional = `Conditions:
  Large: !Equals [!Ref Size, large]
Resources:
  Db:
    Type: AWS::RDS::DBInstance
    Properties: !If
      - Large
      - {Engine: postgres, PubliclyAccessible: true}
      - {Engine: postgres}
`;
      const text = await hover(conditional, 'AWS::RDS::DBInstance');
      assert.ok(text?.includes('**Lesson checklist for this resource**'), text);
      assert.ok(text?.includes('- ○ Not judged: its `Properties` are chosen by an intrinsic function'), text);
      assert.ok(!text?.includes('passes'), text);
    });

    it('lists only the rules that are enabled', async () => {
      const text = await hover(
        template,
        'AWS::RDS::DBInstance\n    Properties:\n      Engine: postgres\n      PubliclyAccessible: false',
        {
          enabled: [versioning],
        },
      );
      assert.ok(text && !text.includes('Lesson checklist'), text);
    });

    it('documents SAM resource types', async () => {
      const sam = `Transform: AWS::Serverless-2016-10-31\nResources:\n  Fn:\n    Type: AWS::Serverless::Function\n    Properties:\n      Runtime: nodejs20.x\n`;
      const text = await hover(sam, 'AWS::Serverless::Function');
      assert.match(text ?? '', /Lambda function/);
      assert.ok(
        text?.includes('serverless-application-model/latest/developerguide/sam-resource-function.html'),
        text,
      );
    });

    it('says when a type does not exist', async () => {
      const typo = template.replace('AWS::S3::Bucket', 'AWS::S3::Buckets');
      assert.match(
        (await hover(typo, 'AWS::S3::Buckets')) ?? '',
        /is not a resource type in the CloudFormation specification/,
      );
    });
  });

  describe('on a property key', () => {
    it('shows the documentation, type and update behaviour', async () => {
      const text = await hover(template, 'PubliclyAccessible: false');
      assert.ok(
        text?.startsWith(
          '**PubliclyAccessible** · Boolean · optional · updated in place\n*AWS::RDS::DBInstance*',
        ),
        text,
      );
      assert.match(text ?? '', /internet-facing instance/);
    });

    it('names the lesson a value serves: another value would be flagged', async () => {
      const text = await hover(template, 'PubliclyAccessible: false');
      assert.ok(
        text?.includes(
          '- ✓ serves **Keep databases private and ports closed** · [`private-network/public-database`](https://example.test/rules/private-network/public-database.md): `PubliclyAccessible: true` would be flagged',
        ),
        text,
      );
    });

    it('names the lesson a value breaks', async () => {
      const text = await hover(template, 'PubliclyAccessible: true');
      assert.ok(text?.includes('- ✗ breaks **Keep databases private and ports closed**'), text);
    });

    it('follows nested property types and tries their allowed values', async () => {
      const text = await hover(template, 'Status: Enabled');
      assert.ok(text?.startsWith('**Status** · String · required'), text);
      assert.ok(text?.includes('*VersioningConfiguration in AWS::S3::Bucket*'), text);
      assert.ok(text?.includes('Allowed values: `Enabled`, `Suspended`'), text);
      assert.ok(
        text?.includes(
          '- ✓ serves **Plan for the worst: protect the data** · [`plan-for-the-worst/test-bucket-versioning`](https://example.test/rules/plan-for-the-worst/test-bucket-versioning.md): `Status: Suspended` would be flagged',
        ),
        text,
      );
    });

    it('documents tag keys', async () => {
      assert.match((await hover(template, 'Key: team')) ?? '', /^\*\*Key\*\* · String · required/);
    });

    it('has nothing to say about a property that does not exist and no rule judges', async () => {
      const text = await hover(
        template.replace('Engine: postgres\n      PubliclyAccessible: false', 'Engin: postgres'),
        'Engin:',
      );
      assert.equal(text, undefined);
    });

    it('documents resource attributes such as DeletionPolicy', async () => {
      assert.match(
        (await hover(template, 'DeletionPolicy')) ?? '',
        /^\*\*DeletionPolicy\*\* · resource attribute/,
      );
    });
  });

  it('explains a tag CloudFormation does not know', async () => {
    const text = await hover(
      `Resources:\n  Fn:\n    Type: AWS::Lambda::Function\n    Properties:\n      Code:\n        ZipFile: !Rain::Embed handler.py\n`,
      '!Rain::Embed',
      { shift: 3 },
    );
    assert.match(text ?? '', /^\*\*!Rain::Embed\*\* is not a CloudFormation function/);
  });
});
