import { relative, resolve, sep } from 'node:path';
import { pathToFileURL } from 'node:url';
import type * as Sarif from 'sarif';
import { ruleHover } from '../docs/rule-docs';
import type { Rule, Severity } from '../engine/rule';
import type { Range } from '../engine/text';
import { lessons, type LessonId } from '../lessons/catalogue';
import { pathUri } from './links';
import { toolRules, type ReportFinding, type RunReport, type ToolRule } from './model';
import { renderWhole, type ReportStart, type ReportWriter, type Sink, type Spool } from './stream';

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
export function sourcePath(report: Pick<RunReport, 'root' | 'sourceRoot'>, path: string): string {
  const base = report.sourceRoot ?? report.root;
  return relative(base, resolve(report.root, path)).split(sep).join('/');
}

/** SARIF 2.1.0, as GitHub code scanning and other viewers read it. */
export function formatSarif(report: RunReport): string {
  return renderWhole(report, sarifWriter);
}

/**
 * formatSarif as a writer: the results wait in the spool, since the rules (the tool's own, when
 * used) and the files that could not be analysed come before them.
 */
export function sarifWriter(start: ReportStart, sink: Sink, spool: Spool): ReportWriter {
  const used = new Set<string>();
  // The tool's rules follow the project's in the rule table, only when used. There is one, so
  // its index is known before the run ends (the tool's findings are never suppressed ones).
  const ruleIndex = new Map([...start.rules, ...toolRules].map((r, i) => [r.id, i]));
  const artifact = (path: string): Sarif.ArtifactLocation => ({
    uri: pathUri(sourcePath(start, path)),
    uriBaseId: '%SRCROOT%',
  });
  const base = start.sourceRoot ?? start.root;
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
    ...(start.baselined && !suppressed ? { baselineState: 'new' as const } : {}),
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
  // Each result as JSON.stringify(…, null, 2) indents it inside the whole log.
  const indented = (r: Sarif.Result) => JSON.stringify(r, null, 2).replace(/\n/g, '\n        ');
  let results = 0;
  return {
    file(file) {
      const out: string[] = [];
      for (const f of file.findings) used.add(f.ruleId);
      for (const f of file.findings) out.push(indented(result(file.path, f, false)));
      for (const f of file.suppressed ?? []) out.push(indented(result(file.path, f, true)));
      if (out.length === 0) return;
      spool.write((results > 0 ? ',\n        ' : '') + out.join(',\n        '));
      results += out.length;
    },
    end(end) {
      const descriptors = [
        ...start.rules.map(describeRule),
        ...toolRules.filter((r) => used.has(r.id)).map(describeToolRule),
      ];
      const sarif: Sarif.Log = {
        $schema: 'https://json.schemastore.org/sarif-2.1.0.json',
        version: '2.1.0',
        runs: [
          {
            tool: {
              driver: {
                name: start.tool.name,
                version: start.tool.version,
                semanticVersion: start.tool.version,
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
                  ...end.errors.map((e) => ({
                    level: 'error' as const,
                    message: { text: e.message },
                    locations: [{ physicalLocation: { artifactLocation: artifact(e.path) } }],
                  })),
                  ...(end.notes ?? []).map((n) => ({
                    level: 'note' as const,
                    message: { text: n.message },
                    locations: [{ physicalLocation: { artifactLocation: artifact(n.path) } }],
                  })),
                ],
              },
            ],
            results: results > 0 ? [marker as Sarif.Result] : [],
          },
        ],
      };
      const whole = JSON.stringify(sarif, null, 2) + '\n';
      const at = whole.indexOf(markerText);
      if (at < 0) {
        sink(whole);
        return;
      }
      sink(whole.slice(0, at));
      spool.drain(sink);
      sink(whole.slice(at + markerText.length));
    },
  };
}

/** Where the results go in the whole log: no result's text holds a raw NUL. */
const marker = '\u0000results' as unknown;
const markerText = '"\\u0000results"';
