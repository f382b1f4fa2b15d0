import { relative, resolve, sep } from 'node:path';
import { pathToFileURL } from 'node:url';
import type * as Sarif from 'sarif';
import { ruleHover } from '../docs/rule-docs';
import type { Rule, Severity } from '../engine/rule';
import type { Range } from '../engine/text';
import { lessons, type LessonId } from '../lessons/catalogue';
import { pathUri } from './links';
import { toolRules, type ReportFinding, type RunReport, type ToolRule } from './model';

const levels: Record<Severity, 'error' | 'warning' | 'note'> = {
  error: 'error',
  warning: 'warning',
  info: 'note',
  hint: 'note',
};

/** The lessons whose rules are about security: code scanning lists their findings as security alerts. */
const securityLessons = new Set<LessonId>([
  'encrypt-everything',
  'private-network',
  'least-privilege',
  'secrets-management',
]);

/** code scanning's scale: 9 and up critical, 7 high, 4 medium, below that low. */
const securitySeverity: Record<Severity, string> = { error: '8.0', warning: '5.5', info: '3.0', hint: '1.0' };

/** SARIF regions are 1-based; columns count UTF-16 code units, as declared in the run. */
function region(range: Range): Sarif.Region {
  return {
    startLine: range.start.line + 1,
    startColumn: range.start.character + 1,
    endLine: range.end.line + 1,
    endColumn: range.end.character + 1,
  };
}

function ruleName(id: string): string {
  return id
    .split('/')[1]
    .replace(/-(.)/g, (_, c: string) => c.toUpperCase())
    .replace(/^./, (c) => c.toUpperCase());
}

function describeRule(rule: Rule): Sarif.ReportingDescriptor {
  const security = securityLessons.has(rule.lesson);
  return {
    id: rule.id,
    name: ruleName(rule.id),
    shortDescription: { text: rule.title },
    fullDescription: { text: rule.docs.what.replace(/`/g, '') },
    help: { text: `${lessons[rule.lesson].summary} ${rule.docs.why}`, markdown: ruleHover(rule) },
    defaultConfiguration: { level: levels[rule.severity], enabled: !rule.strictOnly },
    properties: {
      tags: [security ? 'security' : 'reliability', rule.lesson, ...rule.kinds],
      // The recommended preset keeps only findings a reviewer acts on; strict-only rules are
      // true more often than they are worth acting on.
      precision: rule.strictOnly ? 'medium' : 'high',
      ...(security ? { 'security-severity': securitySeverity[rule.severity] } : {}),
      lesson: rule.lesson,
      equivalents: rule.equivalents,
    },
  };
}

function describeToolRule(rule: ToolRule): Sarif.ReportingDescriptor {
  return {
    id: rule.id,
    name: ruleName(rule.id),
    shortDescription: { text: rule.title },
    help: { text: rule.title, markdown: rule.help },
    defaultConfiguration: { level: levels[rule.severity] },
    properties: { tags: ['maintainability'], precision: 'very-high' },
  };
}

/**
 * A path of the report (relative to its root) as code scanning resolves it: relative to the
 * repository's top level, each segment percent-encoded.
 */
export function sourcePath(report: RunReport, path: string): string {
  const base = report.sourceRoot ?? report.root;
  return relative(base, resolve(report.root, path)).split(sep).join('/');
}

/** SARIF 2.1.0, as GitHub code scanning and other viewers read it. */
export function formatSarif(report: RunReport): string {
  const used = new Set(report.files.flatMap((f) => f.findings.map((x) => x.ruleId)));
  const descriptors = [
    ...report.rules.map(describeRule),
    ...toolRules.filter((r) => used.has(r.id)).map(describeToolRule),
  ];
  const ruleIndex = new Map(descriptors.map((r, i) => [r.id, i]));
  const artifact = (path: string): Sarif.ArtifactLocation => ({
    uri: pathUri(sourcePath(report, path)),
    uriBaseId: '%SRCROOT%',
  });
  const base = report.sourceRoot ?? report.root;
  const result = (path: string, f: ReportFinding, suppressed: boolean): Sarif.Result => ({
    ruleId: f.ruleId,
    ruleIndex: ruleIndex.get(f.ruleId),
    level: levels[f.severity],
    message: { text: f.message },
    locations: [{ physicalLocation: { artifactLocation: artifact(path), region: region(f.range) } }],
    ...(f.related?.length
      ? {
          relatedLocations: f.related.map((r, id) => ({
            id,
            physicalLocation: { artifactLocation: artifact(r.path), region: region(r.range) },
            message: { text: r.message },
          })),
        }
      : {}),
    ...(f.fingerprint
      ? { partialFingerprints: { 'cloudLessons/v1': `${f.fingerprint.id}:${f.fingerprint.occurrence}` } }
      : {}),
    ...(report.baseline && !suppressed ? { baselineState: 'new' as const } : {}),
    ...(suppressed
      ? {
          suppressions: [
            {
              kind: 'inSource' as const,
              status: 'accepted' as const,
              ...(f.suppression?.reason ? { justification: f.suppression.reason } : {}),
              properties: { source: f.suppression?.source ?? 'cloud-lessons' },
            },
          ],
        }
      : {}),
    ...(f.fix?.edits && f.fix.edits.length > 0 && !suppressed
      ? {
          fixes: [
            {
              description: { text: f.fix.title },
              artifactChanges: [
                {
                  artifactLocation: artifact(path),
                  replacements: f.fix.edits.map((e) => ({
                    deletedRegion: region(e.range),
                    insertedContent: { text: e.newText },
                  })),
                },
                // A fix that also edits other files (the compose file, the template) changes them too.
                ...(f.fix.otherFiles ?? []).map((other) => ({
                  artifactLocation: artifact(other.path),
                  replacements: other.edits.map((e) => ({
                    deletedRegion: region(e.range),
                    insertedContent: { text: e.newText },
                  })),
                })),
              ],
            },
          ],
        }
      : {}),
  });
  const sarif: Sarif.Log = {
    $schema: 'https://json.schemastore.org/sarif-2.1.0.json',
    version: '2.1.0',
    runs: [
      {
        tool: {
          driver: {
            name: report.tool.name,
            version: report.tool.version,
            semanticVersion: report.tool.version,
            rules: descriptors,
          },
        },
        columnKind: 'utf16CodeUnits',
        originalUriBaseIds: {
          '%SRCROOT%': { uri: pathToFileURL(base.endsWith(sep) ? base : base + sep).href },
        },
        invocations: [
          {
            executionSuccessful: true,
            toolExecutionNotifications: [
              ...report.errors.map((e) => ({
                level: 'error' as const,
                message: { text: e.message },
                locations: [{ physicalLocation: { artifactLocation: artifact(e.path) } }],
              })),
              ...(report.notes ?? []).map((n) => ({
                level: 'note' as const,
                message: { text: n.message },
                locations: [{ physicalLocation: { artifactLocation: artifact(n.path) } }],
              })),
            ],
          },
        ],
        results: report.files.flatMap((file) => [
          ...file.findings.map((f) => result(file.path, f, false)),
          ...(file.suppressed ?? []).map((f) => result(file.path, f, true)),
        ]),
      },
    ],
  };
  return JSON.stringify(sarif, null, 2) + '\n';
}
