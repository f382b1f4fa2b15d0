// Writes dist/cloud-lessons.schema.json, the JSON schema editors use to complete and check
// .cloud-lessons.yaml, from the rules and the lessons. The build runs it, so that the schema
// always lists the rules the build bundles.
import { mkdirSync, writeFileSync } from 'node:fs';
import { dirname, join } from 'node:path';
import { presetNames } from '../server/src/engine/config';
import { severities } from '../server/src/engine/rule';
import { lessonIds, lessons } from '../server/src/lessons/catalogue';
import { allRules } from '../server/src/rules';

export const schemaFile = 'cloud-lessons.schema.json';

const setting = {
  description: 'off, or the severity findings get: hint, info, warning or error.',
  // YAML 1.1 readers turn a bare `off` into false; the configuration reads false as off too.
  anyOf: [{ enum: ['off', ...severities] }, { const: false }],
};

export function configSchema(): object {
  const rules = [...allRules].sort((a, b) => a.id.localeCompare(b.id));
  const ruleSettings = {
    description: 'Severity per rule id; wins over the lesson setting.',
    type: 'object',
    properties: Object.fromEntries(
      rules.map((rule) => [
        rule.id,
        {
          ...setting,
          description: `${rule.title} (${lessons[rule.lesson].title}; default: ${rule.severity}${rule.strictOnly ? ', strict preset only' : ''}).`,
        },
      ]),
    ),
    additionalProperties: false,
  };
  const lessonSettings = {
    description: 'Severity for every rule of a lesson; `off` switches the lesson off.',
    type: 'object',
    properties: Object.fromEntries(
      lessonIds.map((id) => [
        id,
        { ...setting, description: `${lessons[id].title}: ${lessons[id].summary}` },
      ]),
    ),
    additionalProperties: false,
  };
  const presetOrFile = {
    anyOf: [
      {
        enum: [...presetNames],
        description: 'A built-in preset: recommended (the default) or strict (every rule).',
      },
      {
        type: 'string',
        pattern: '\\.(ya?ml|json)$',
        description: 'Another configuration file, relative to this one.',
      },
    ],
  };
  return {
    $schema: 'http://json-schema.org/draft-07/schema#',
    $id: 'cloud-lessons.schema.json',
    title: 'Cloud Lessons configuration (.cloud-lessons.yaml)',
    description:
      'Which rules run and how severe their findings are, which files to skip, and when the command line fails.',
    type: 'object',
    additionalProperties: false,
    properties: {
      extends: {
        description: 'Presets and configuration files applied before this file, in order.',
        anyOf: [presetOrFile, { type: 'array', items: presetOrFile }],
      },
      root: {
        description: 'Do not read the configuration files of the folders above this one.',
        type: 'boolean',
      },
      rules: ruleSettings,
      lessons: lessonSettings,
      ignore: {
        description: 'gitignore-style patterns of files not to check, relative to this file.',
        type: 'array',
        items: { type: 'string', minLength: 1 },
      },
      failOn: {
        description: 'The lowest severity that makes the command line exit with 1 (default: warning).',
        enum: [...severities],
      },
      overrides: {
        description: 'Settings for some files only: the last matching entry wins.',
        type: 'array',
        items: {
          type: 'object',
          required: ['files'],
          additionalProperties: false,
          properties: {
            files: {
              description: 'Globs relative to this file (`**/*.test.ts`, `legacy/**`).',
              anyOf: [{ type: 'string' }, { type: 'array', items: { type: 'string', minLength: 1 } }],
            },
            rules: ruleSettings,
            lessons: lessonSettings,
          },
        },
      },
    },
  };
}

if (require.main === module) {
  // The build bundles this file and runs it with the output path.
  const out = process.argv[2] ?? join(__dirname, '..', 'dist', schemaFile);
  mkdirSync(dirname(out), { recursive: true });
  writeFileSync(out, JSON.stringify(configSchema(), null, 2) + '\n');
}
