import assert from 'node:assert/strict';
import { spawnSync } from 'node:child_process';
import { existsSync, readFileSync } from 'node:fs';
import { join } from 'node:path';
import { parseConfig } from '../../server/src/engine/config';
import { lessonIds } from '../../server/src/lessons/catalogue';
import { allRules } from '../../server/src/rules';
import { configSchema } from '../../scripts/schema';
import { repoRoot } from './code-server';

/** What the extension's manifest promises, checked without an editor. */
const manifest = JSON.parse(readFileSync(join(repoRoot, 'package.json'), 'utf8'));
const contributes = manifest.contributes;
const exists = (path: string) => existsSync(join(repoRoot, path));
const readJson = (path: string) => JSON.parse(readFileSync(join(repoRoot, path), 'utf8'));

describe('extension manifest', () => {
  it('points only at files that exist and parse', () => {
    const files = [
      manifest.icon,
      ...contributes.snippets.map((s: { path: string }) => s.path),
      ...contributes.grammars.map((g: { path: string }) => g.path),
      ...contributes.languages
        .filter((l: { configuration?: string }) => l.configuration)
        .map((l: { configuration: string }) => l.configuration),
      ...contributes.yamlValidation.map((v: { url: string }) => v.url),
      ...contributes.jsonValidation.map((v: { url: string }) => v.url),
      ...contributes.walkthroughs.flatMap((w: { steps: { media: { markdown: string } }[] }) =>
        w.steps.map((s) => s.media.markdown),
      ),
    ];
    for (const file of files) {
      assert.ok(exists(file), `${file} exists`);
      if (file.endsWith('.json')) assert.doesNotThrow(() => readJson(file), file);
    }
  });

  it('declares the commands the client registers, each in the Cloud Lessons category', () => {
    const client = ['client/src/extension.ts', 'client/src/commands.ts']
      .map((f) => readFileSync(join(repoRoot, f), 'utf8'))
      .join('\n');
    const registered = [...client.matchAll(/registerCommand\(\s*'([^']+)'/g)].map((m) => m[1]);
    registered.push('cloudLessons.openFinding');
    const declared = contributes.commands.map((c: { command: string }) => c.command);
    assert.deepEqual([...new Set(registered)].sort(), [...declared].sort());
    for (const command of contributes.commands) assert.equal(command.category, 'Cloud Lessons');
    for (const id of [
      'cloudLessons.scanWorkspace',
      'cloudLessons.explainRule',
      'cloudLessons.showLessonReport',
    ])
      assert.ok(declared.includes(id), id);
  });

  it('describes every setting in Markdown, with one entry per lesson and scan on start-up off', () => {
    const properties = contributes.configuration.properties;
    for (const [name, property] of Object.entries<{ markdownDescription?: string }>(properties))
      assert.ok(property.markdownDescription, `${name} has a Markdown description`);
    for (const name of ['enable', 'rules', 'lessons', 'scanOnStartup', 'trace.server'])
      assert.ok(properties[`cloudLessons.${name}`], name);
    assert.equal(properties['cloudLessons.scanOnStartup'].default, false);
    assert.deepEqual(
      Object.keys(properties['cloudLessons.lessons'].properties).sort(),
      [...lessonIds].sort(),
    );
    for (const rule of allRules)
      assert.match(rule.id, new RegExp(properties['cloudLessons.rules'].propertyNames.pattern), rule.id);
  });

  it('declares workspace trust and virtual workspaces as limited', () => {
    const { untrustedWorkspaces, virtualWorkspaces } = manifest.capabilities;
    assert.equal(untrustedWorkspaces.supported, 'limited');
    assert.ok(untrustedWorkspaces.restrictedConfigurations.includes('cloudLessons.rules'));
    assert.equal(virtualWorkspaces.supported, 'limited');
  });

  it('has the metadata a gallery shows', () => {
    assert.deepEqual(manifest.categories, ['Linters', 'Snippets']);
    assert.ok(manifest.keywords.length > 0 && manifest.keywords.length <= 30);
    const png = readFileSync(join(repoRoot, manifest.icon));
    assert.equal(png.subarray(1, 4).toString(), 'PNG');
    assert.ok(png.readUInt32BE(16) >= 128 && png.readUInt32BE(20) >= 128, 'at least 128×128');
    assert.match(
      readFileSync(join(repoRoot, 'CHANGELOG.md'), 'utf8'),
      new RegExp(`^## ${manifest.version}\\b`, 'm'),
    );
  });

  it('highlights the ids of every lesson in comments', () => {
    const grammar = readJson('syntaxes/cloud-lessons-directives.tmLanguage.json');
    const alternation = /\(\?:([a-z|-]+)\)/.exec(grammar.repository['rule-id'].match)?.[1];
    assert.deepEqual(alternation?.split('|').sort(), [...lessonIds].sort());
  });
});

describe('schema of .cloud-lessons.yaml', () => {
  const built = 'dist/cloud-lessons.schema.json';
  before(function () {
    if (!exists(built)) {
      console.log(`    skipped: ${built} is written by npm run build`);
      this.skip();
    }
  });

  it('lists the rules and lessons of the build', () => {
    const schema = readJson(built);
    const listed = spawnSync(process.execPath, [join(repoRoot, 'dist', 'cli.js'), '--list-rules'], {
      encoding: 'utf8',
    });
    const builtRules = listed.stdout
      .trim()
      .split('\n')
      .map((line) => line.split(/\s+/)[0]);
    assert.deepEqual(Object.keys(schema.properties.rules.properties).sort(), builtRules.sort());
    assert.deepEqual(Object.keys(schema.properties.lessons.properties).sort(), [...lessonIds].sort());
    assert.deepEqual(schema.properties.failOn.enum.sort(), ['error', 'hint', 'info', 'warning']);
  });

  it('describes exactly the settings the configuration reads', () => {
    const schema = configSchema() as { properties: Record<string, unknown>; additionalProperties: boolean };
    const ruleIds = allRules.map((r) => r.id);
    for (const key of Object.keys(schema.properties)) {
      const { problems } = parseConfig(`${key}:\n`, ruleIds);
      assert.ok(!problems.some((p) => p.message.startsWith('Unknown setting')), key);
    }
    assert.ok(
      parseConfig('colour: red\n', ruleIds).problems.some((p) => p.message.startsWith('Unknown setting')),
    );
    assert.equal(schema.additionalProperties, false);
  });
});
