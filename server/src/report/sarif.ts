import { sep } from 'node:path';
import { pathToFileURL } from 'node:url';
import { lessons } from '../lessons/catalogue';
import { ruleHover } from '../docs/rule-docs';
import type { Severity } from '../engine/rule';
import type { Range } from '../engine/text';
import type { RunReport } from './model';

const levels: Record<Severity, 'error' | 'warning' | 'note'> = {
  error: 'error',
  warning: 'warning',
  info: 'note',
  hint: 'note',
};

/** SARIF regions are 1-based; columns count UTF-16 code units, as declared in the run. */
function region(range: Range) {
  return {
    startLine: range.start.line + 1,
    startColumn: range.start.character + 1,
    endLine: range.end.line + 1,
    endColumn: range.end.character + 1,
  };
}

/** SARIF 2.1.0, as GitHub code scanning and other viewers read it. */
export function formatSarif(report: RunReport): string {
  const ruleIndex = new Map(report.rules.map((r, i) => [r.id, i]));
  const artifact = (path: string) => ({ uri: encodeURI(path), uriBaseId: '%SRCROOT%' });
  const sarif = {
    $schema: 'https://json.schemastore.org/sarif-2.1.0.json',
    version: '2.1.0',
    runs: [
      {
        tool: {
          driver: {
            name: report.tool.name,
            version: report.tool.version,
            rules: report.rules.map((rule) => ({
              id: rule.id,
              name: rule.id
                .split('/')[1]
                .replace(/-(.)/g, (_, c: string) => c.toUpperCase())
                .replace(/^./, (c) => c.toUpperCase()),
              shortDescription: { text: rule.title },
              fullDescription: { text: rule.docs.what.replace(/`/g, '') },
              help: { text: `${lessons[rule.lesson].summary} ${rule.docs.why}`, markdown: ruleHover(rule) },
              defaultConfiguration: { level: levels[rule.severity] },
              properties: {
                tags: [rule.lesson, ...rule.kinds],
                lesson: rule.lesson,
                equivalents: rule.equivalents,
              },
            })),
          },
        },
        columnKind: 'utf16CodeUnits',
        originalUriBaseIds: {
          '%SRCROOT%': {
            uri: pathToFileURL(report.root.endsWith(sep) ? report.root : report.root + sep).href,
          },
        },
        invocations: [
          {
            executionSuccessful: true,
            toolExecutionNotifications: report.errors.map((e) => ({
              level: 'error',
              message: { text: e.message },
              locations: [{ physicalLocation: { artifactLocation: artifact(e.path) } }],
            })),
          },
        ],
        results: report.files.flatMap((file) =>
          file.findings.map((f) => ({
            ruleId: f.ruleId,
            ruleIndex: ruleIndex.get(f.ruleId),
            level: levels[f.severity],
            message: { text: f.message },
            locations: [
              { physicalLocation: { artifactLocation: artifact(file.path), region: region(f.range) } },
            ],
            ...(f.fix
              ? {
                  fixes: [
                    {
                      description: { text: f.fix.title },
                      artifactChanges: [
                        {
                          artifactLocation: artifact(file.path),
                          replacements: f.fix.edits.map((e) => ({
                            deletedRegion: region(e.range),
                            insertedContent: { text: e.newText },
                          })),
                        },
                      ],
                    },
                  ],
                }
              : {}),
          })),
        ),
      },
    ],
  };
  return JSON.stringify(sarif, null, 2) + '\n';
}
