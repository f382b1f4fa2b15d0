// Generates schemas/cloud-lessons.schema.json, the JSON schema editors use to complete and check
// .cloud-lessons.yaml, from the rules and the lessons. `npm run docs` runs it; a test fails when
// the committed file is stale.
import { readFileSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { format, resolveConfig } from 'prettier';
import { severities } from '../server/src/engine/rule';
import { lessonIds, lessons } from '../server/src/lessons/catalogue';
import { allRules } from '../server/src/rules';

export const schemaPath = join(__dirname, '..', 'schemas', 'cloud-lessons.schema.json');

const setting = {
  description: 'off, or the severity findings get: hint, info, warning or error.',
  // YAML 1.1 readers turn a bare `off` into false; the configuration reads false as off too.
  anyOf: [{ enum: ['off', ...severities] }, { const: false }],
};

export function configSchema(): object {
  const rules = [...allRules].sort((a, b) => a.id.localeCompare(b.id));
  return {
    $schema: 'http://json-schema.org/draft-07/schema#',
    $id: 'cloud-lessons.schema.json',
    title: 'Cloud Lessons configuration (.cloud-lessons.yaml)',
    description:
      'Which rules run and how severe their findings are, which files to skip, and when the command line fails.',
    type: 'object',
    additionalProperties: false,
    properties: {
      rules: {
        description: 'Severity per rule id; wins over the lesson setting.',
        type: 'object',
        properties: Object.fromEntries(
          rules.map((rule) => [
            rule.id,
            {
              ...setting,
              description: `${rule.title} (${lessons[rule.lesson].title}; default: ${rule.severity}).`,
            },
          ]),
        ),
        additionalProperties: false,
      },
      lessons: {
        description: 'Severity for every rule of a lesson; `off` switches the lesson off.',
        type: 'object',
        properties: Object.fromEntries(
          lessonIds.map((id) => [
            id,
            { ...setting, description: `${lessons[id].title}: ${lessons[id].summary}` },
          ]),
        ),
        additionalProperties: false,
      },
      ignore: {
        description: 'gitignore-style patterns of files not to check, relative to this file.',
        type: 'array',
        items: { type: 'string', minLength: 1 },
      },
      failOn: {
        description: 'The lowest severity that makes the command line exit with 1 (default: warning).',
        enum: [...severities],
      },
    },
  };
}

/** The schema as the repository keeps it: formatted as `prettier --check` expects. */
export async function schemaText(): Promise<string> {
  const options = (await resolveConfig(schemaPath)) ?? {};
  return format(JSON.stringify(configSchema()), { ...options, parser: 'json' });
}

export async function schemaIsCurrent(): Promise<boolean> {
  try {
    return readFileSync(schemaPath, 'utf8') === (await schemaText());
  } catch {
    return false;
  }
}

if (require.main === module) {
  void schemaText().then((text) => {
    writeFileSync(schemaPath, text);
    process.stdout.write(`Wrote ${schemaPath}\n`);
  });
}
