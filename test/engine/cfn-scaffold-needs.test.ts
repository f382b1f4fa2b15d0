import assert from 'node:assert/strict';
import { existsSync, readdirSync, readFileSync, statSync } from 'node:fs';
import { join } from 'node:path';
import { Analyzer } from '../../server/src/engine/analyze';
import { inMemoryWorkspace } from '../../server/src/engine/workspace';
import { allRules } from '../../server/src/rules';

// A template scaffold is applied on request and left for the user to complete: each one says
// what is left to do (`needs`), in a short imperative per thing, so that nobody deploys it as is.

// The template rules' own folder (rules of other kinds that also read templates answer for themselves).
const templateRuleNames = new Set(
  readdirSync(join(__dirname, '..', '..', 'server', 'src', 'rules', 'cfn')).map((f) =>
    f.replace(/\.ts$/, ''),
  ),
);
const templateRules = allRules.filter(
  (rule) => rule.checks.cfn && rule.fix !== 'no' && templateRuleNames.has(rule.id.split('/')[1]),
);
const analyzer = new Analyzer({ rules: templateRules, workspace: inMemoryWorkspace() });

/** A rule's docs example as a whole template: a bare list of resources goes under `Resources:`. */
function exampleTemplate(code: string): string {
  if (/^(Resources|Parameters|AWSTemplateFormatVersion|Transform):/m.test(code)) return code;
  return `Resources:\n${code.replace(/^/gm, '  ')}\n`;
}

function templatesUnder(folder: string, found: string[] = []): string[] {
  for (const name of readdirSync(folder)) {
    const path = join(folder, name);
    if (statSync(path).isDirectory()) templatesUnder(path, found);
    else if (/\.(ya?ml|json|template)$/i.test(name)) found.push(path);
  }
  return found;
}

async function scaffoldsWithoutNeeds(path: string, text: string): Promise<string[]> {
  const result = await analyzer.analyze({ path, text });
  const missing: string[] = [];
  for (const finding of result.findings) {
    const fix = finding.fix?.();
    if (fix?.kind !== 'scaffold') continue;
    if (!fix.needs || fix.needs.length === 0 || fix.needs.some((need) => need.trim().length < 15))
      missing.push(`${finding.ruleId}: ${fix.title}`);
  }
  return missing;
}

describe('template scaffolds say what they need', function () {
  this.timeout(120_000);

  it('for every scaffold the rules’ own examples produce', async () => {
    const missing: string[] = [];
    let scaffolds = 0;
    for (const rule of templateRules) {
      const text = exampleTemplate(rule.docs.example.code);
      const result = await analyzer.analyze({ path: '/work/template.yaml', text });
      scaffolds += result.findings.filter((f) => f.fix?.()?.kind === 'scaffold').length;
      missing.push(...(await scaffoldsWithoutNeeds('/work/template.yaml', text)));
    }
    assert.ok(scaffolds >= 15, `${scaffolds} scaffolds`);
    assert.deepEqual([...new Set(missing)], []);
  });

  it('a time to live names the attribute the application must write', async () => {
    const text = `Resources:
  Sessions:
    Type: AWS::DynamoDB::Table
    Properties:
      KeySchema: [{AttributeName: sessionId, KeyType: HASH}]
`;
    const result = await analyzer.analyze({ path: '/work/template.yaml', text });
    const fix = result.findings.find((f) => f.ruleId === 'transient-state/dynamodb-no-ttl')?.fix?.();
    assert.equal(fix?.kind, 'scaffold');
    assert.deepEqual(fix?.needs, [
      'Write expiresAt on every item of Sessions: the time it may be deleted, in epoch seconds (items without it never expire)',
    ]);
  });

  const corpus = join(__dirname, '..', '..', '..', 'shared', 'corpus', 'cfn');
  it('for every scaffold over the template corpus', async function () {
    if (!existsSync(corpus)) this.skip();
    const missing = new Set<string>();
    for (const path of templatesUnder(corpus)) {
      for (const entry of await scaffoldsWithoutNeeds(path, readFileSync(path, 'utf8')))
        missing.add(entry.replace(/\d+/g, 'N'));
    }
    assert.deepEqual([...missing].sort(), []);
  });
});
