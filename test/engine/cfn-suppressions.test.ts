import assert from 'node:assert/strict';
import { Analyzer } from '../../server/src/engine/analyze';
import { applyEdits } from '../../server/src/engine/fixes';
import { defineRule } from '../../server/src/engine/rule';
import { suppressionEdit } from '../../server/src/engine/suppress';
import { inMemoryWorkspace } from '../../server/src/engine/workspace';
import publicDatabase from '../../server/src/rules/cfn/public-database';

// Peer suppressions, written as each peer documents them, silence the equivalent rule here:
// public-database is checkov's CKV_AWS_17.
const analyzer = new Analyzer({ rules: [publicDatabase], workspace: inMemoryWorkspace() });

/** The logical ids of the databases still flagged. */
async function flagged(text: string, path = '/w/template.yaml'): Promise<string[]> {
  const result = await analyzer.analyze({ path, text });
  assert.deepEqual(result.failures, []);
  return result.findings.map((f) => /instance (\w+)/.exec(f.message)?.[1] ?? f.message);
}

/** Two public databases; `metadata` goes on the first, `top` at the top of the template. */
function template({ metadata = '', comment = '', top = '' } = {}): string {
  return `AWSTemplateFormatVersion: '2010-09-09'
${top}Resources:
  First:
    Type: AWS::RDS::DBInstance
${metadata}    Properties:
${comment}      Engine: postgres
      PubliclyAccessible: true
  Second:
    Type: AWS::RDS::DBInstance
    Properties:
      PubliclyAccessible: true
`;
}

describe('peer suppressions in templates', () => {
  it('without suppressions both databases are flagged', async () => {
    assert.deepEqual(await flagged(template()), ['First', 'Second']);
  });

  describe('cfn-lint: Metadata cfn-lint config ignore_checks', () => {
    it('on a resource silences that resource only', async () => {
      const metadata = `    Metadata:\n      cfn-lint:\n        config:\n          ignore_checks:\n            - CKV_AWS_17\n`;
      assert.deepEqual(await flagged(template({ metadata })), ['Second']);
    });

    it('at the top of the template silences the whole template', async () => {
      const top = `Metadata:\n  cfn-lint:\n    config:\n      ignore_checks:\n        - private-network/public-database\n`;
      assert.deepEqual(await flagged(template({ top })), []);
    });

    it('at the top matches cfn-lint ids by prefix, as cfn-lint does, and only cfn-lint ids', async () => {
      const rule = defineRule({
        ...publicDatabase,
        id: 'private-network/public-database-copy',
        equivalents: ['W1011', 'W9'],
      });
      const twin = new Analyzer({ rules: [rule], workspace: inMemoryWorkspace() });
      const count = async (ids: string) =>
        (
          await twin.analyze({
            path: '/w/t.yaml',
            text: template({ top: `Metadata:\n  cfn-lint:\n    config:\n      ignore_checks: [${ids}]\n` }),
          })
        ).findings.length;
      assert.equal(await count('W10'), 0, 'W10 is a prefix of W1011');
      assert.equal(await count('W'), 0, 'W ignores every W check');
      assert.equal(await count('E'), 2, 'E is not a prefix of W1011');
      // W9 is cfn_nag's id, which cfn-lint's prefixes never reach.
      const nagOnly = defineRule({ ...rule, equivalents: ['W9'] });
      const nagTwin = new Analyzer({ rules: [nagOnly], workspace: inMemoryWorkspace() });
      const text = template({ top: `Metadata:\n  cfn-lint:\n    config:\n      ignore_checks: [W]\n` });
      assert.equal((await nagTwin.analyze({ path: '/w/t.yaml', text })).findings.length, 2);
    });

    it('on a resource matches whole ids only', async () => {
      const metadata = `    Metadata:\n      cfn-lint:\n        config:\n          ignore_checks: [CKV_AWS]\n`;
      assert.deepEqual(await flagged(template({ metadata })), ['First', 'Second']);
    });
  });

  describe('cfn_nag: Metadata cfn_nag rules_to_suppress', () => {
    it('on a resource silences that resource only', async () => {
      const metadata = `    Metadata:\n      cfn_nag:\n        rules_to_suppress:\n          - id: CKV_AWS_17\n            reason: a read replica of public data\n`;
      assert.deepEqual(await flagged(template({ metadata })), ['Second']);
    });

    it('at the top of the template does nothing, as in cfn_nag', async () => {
      const top = `Metadata:\n  cfn_nag:\n    rules_to_suppress:\n      - id: CKV_AWS_17\n        reason: nope\n`;
      assert.deepEqual(await flagged(template({ top })), ['First', 'Second']);
    });
  });

  describe('checkov', () => {
    for (const comment of [
      '#checkov:skip=CKV_AWS_17',
      '# checkov:skip=CKV_AWS_17:public demo data',
      '# checkov:skip= CKV_AWS_17: with a space',
      '# bridgecrew:skip=CKV_AWS_17:the former name',
      '# checkov:skip=CKV_AWS_16,CKV_AWS_17:several ids',
    ]) {
      it(`a comment inside the resource silences it: ${comment}`, async () => {
        assert.deepEqual(await flagged(template({ comment: `      ${comment}\n` })), ['Second']);
      });
    }

    it('a comment between the logical id and Type counts as inside the resource', async () => {
      const text = template().replace('  First:\n', '  First:\n    # checkov:skip=CKV_AWS_17: demo\n');
      assert.deepEqual(await flagged(text), ['Second']);
    });

    it('a comment outside every resource does nothing', async () => {
      const text = `# checkov:skip=CKV_AWS_17: not how checkov reads templates\n${template()}`;
      assert.deepEqual(await flagged(text), ['First', 'Second']);
    });

    it('another id in the comment does nothing', async () => {
      assert.deepEqual(await flagged(template({ comment: '      # checkov:skip=CKV_AWS_16\n' })), [
        'First',
        'Second',
      ]);
    });

    it('Metadata checkov skip on a resource silences that resource', async () => {
      const metadata = `    Metadata:\n      checkov:\n        skip:\n          - id: CKV_AWS_17\n            comment: demo data\n`;
      assert.deepEqual(await flagged(template({ metadata })), ['Second']);
    });
  });

  describe('ours: Metadata cloud-lessons ignore', () => {
    it('on a resource, by rule id or lesson id', async () => {
      for (const id of ['private-network/public-database', 'private-network']) {
        const metadata = `    Metadata:\n      cloud-lessons:\n        ignore: [${id}]\n`;
        assert.deepEqual(await flagged(template({ metadata })), ['Second'], id);
      }
    });

    it('at the top of the template', async () => {
      const top = `Metadata:\n  cloud-lessons:\n    ignore:\n      - private-network/public-database\n`;
      assert.deepEqual(await flagged(template({ top })), []);
    });
  });

  it('JSON templates read the same Metadata', async () => {
    const json = (metadata: Record<string, unknown>) =>
      JSON.stringify(
        {
          Resources: {
            First: {
              Type: 'AWS::RDS::DBInstance',
              Metadata: metadata,
              Properties: { PubliclyAccessible: true },
            },
            Second: { Type: 'AWS::RDS::DBInstance', Properties: { PubliclyAccessible: true } },
          },
        },
        null,
        2,
      );
    for (const metadata of [
      { cfn_nag: { rules_to_suppress: [{ id: 'CKV_AWS_17', reason: 'demo' }] } },
      { checkov: { skip: [{ id: 'CKV_AWS_17', comment: 'demo' }] } },
      { 'cfn-lint': { config: { ignore_checks: ['CKV_AWS_17'] } } },
      { 'cloud-lessons': { ignore: ['private-network/public-database'] } },
    ]) {
      assert.deepEqual(
        await flagged(json(metadata), '/w/template.json'),
        ['Second'],
        JSON.stringify(metadata),
      );
    }
  });
});

describe('"disable for this line" in JSON templates', () => {
  /** Apply the suppression edit for the first finding; return the new text and what is left. */
  async function disableFirst(text: string): Promise<{ text: string; left: string[] }> {
    const path = '/w/template.json';
    const document = await analyzer.parse({ path, text });
    const result = await analyzer.run(document);
    const finding = result.findings[0];
    assert.ok(finding, 'a finding to disable');
    const edit = suppressionEdit(document, finding.ruleId, finding.span);
    assert.ok(edit, 'an edit for JSON');
    const after = applyEdits(text, [edit]);
    const reanalysed = await analyzer.analyze({ path, text: after });
    assert.deepEqual(
      reanalysed.problems.filter((p) => p.fatal),
      [],
      `the edited template parses:\n${after}`,
    );
    return { text: after, left: reanalysed.findings.map((f) => /instance (\w+)/.exec(f.message)![1]) };
  }

  it('adds Metadata with the rule id to the resource', async () => {
    const text = `{
  "Resources": {
    "First": {
      "Type": "AWS::RDS::DBInstance",
      "Properties": {
        "PubliclyAccessible": true
      }
    },
    "Second": {
      "Type": "AWS::RDS::DBInstance",
      "Properties": { "PubliclyAccessible": true }
    }
  }
}
`;
    const { text: after, left } = await disableFirst(text);
    assert.equal(
      after,
      text.replace(
        `        "PubliclyAccessible": true
      }
    },`,
        `        "PubliclyAccessible": true
      },
      "Metadata": {
        "cloud-lessons": {
          "ignore": ["private-network/public-database"]
        }
      }
    },`,
      ),
    );
    assert.deepEqual(left, ['Second']);
  });

  it('adds cloud-lessons to existing Metadata and keeps what is there', async () => {
    const text = `{
  "Resources": {
    "First": {
      "Type": "AWS::RDS::DBInstance",
      "Metadata": {
        "cfn_nag": { "rules_to_suppress": [{ "id": "W35", "reason": "no logs" }] }
      },
      "Properties": { "PubliclyAccessible": true }
    }
  }
}`;
    const { text: after, left } = await disableFirst(text);
    assert.ok(after.includes(`"cfn_nag": { "rules_to_suppress": [{ "id": "W35", "reason": "no logs" }] },`));
    assert.ok(after.includes(`"ignore": ["private-network/public-database"]`));
    assert.deepEqual(left, []);
  });

  it('extends an existing ignore list', async () => {
    const text = `{
  "Resources": {
    "First": {
      "Type": "AWS::RDS::DBInstance",
      "Metadata": { "cloud-lessons": { "ignore": ["plan-for-the-worst"] } },
      "Properties": { "PubliclyAccessible": true }
    }
  }
}`;
    const { text: after, left } = await disableFirst(text);
    assert.ok(after.includes(`"ignore": ["plan-for-the-worst", "private-network/public-database"]`), after);
    assert.deepEqual(left, []);
  });

  it('YAML templates still get a comment above the line', async () => {
    const text = template();
    const document = await analyzer.parse({ path: '/w/t.yaml', text });
    const finding = (await analyzer.run(document)).findings[0];
    const edit = suppressionEdit(document, finding.ruleId, finding.span)!;
    assert.equal(
      edit.text,
      '      # cloud-lessons-disable-next-line private-network/public-database -- <reason>\n',
    );
  });
});
