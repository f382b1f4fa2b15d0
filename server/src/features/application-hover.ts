import { statSync } from 'node:fs';
import { dirname, relative, sep } from 'node:path';
import { pathToFileURL } from 'node:url';
import type { ParsedDocument } from '../engine/document';
import type { Finding } from '../engine/analyze';
import type { Resource } from '../engine/parse/cloudformation';
import { getPair } from '../engine/parse/tree';
import type { Range } from '../engine/text';
import { lessons, type LessonId } from '../lessons/catalogue';
import { runsCode, runtimeResources, unitsRunBy, type RunUnit } from '../project/app-view';
import { readSource } from '../project/run';
import type { Session } from './session';

/**
 * The application line of a template resource's hover: the code the resource runs (an ECS
 * service or task definition, a Lambda function) and the cross-file findings on it — the
 * findings of that code which point back into the resource. Worked out before the hover is
 * built, since it reads the code's analyses.
 */

/** A cross-file finding, as the hover keeps it. */
interface Crossing {
  path: string;
  lesson: LessonId;
  range: Range;
  related: { path: string; range: Range }[];
}

/** The code of one unit is read at most this many files deep, and for at most this long. */
const maxFiles = 12;
const budgetMs = 250;
/** Analyses of closed files, by path: reused while the file and the hovered template are unchanged. */
const remembered = new WeakMap<Session, Map<string, { key: string; at: number; crossings: Crossing[] }>>();
const rememberMs = 5_000;
const codeFile = /\.(m?[jt]sx?|cjs|cts|py)$/i;

/** The resource whose `Type` the offset is on, when it can run code. */
function runnerAt(parsed: ParsedDocument, offset: number): Resource | undefined {
  if (parsed.model?.kind !== 'cloudformation') return undefined;
  const resource = parsed.model.template.resources.find(
    (r) => r.span.start <= offset && offset <= r.span.end,
  );
  const type = resource && getPair(resource.node, 'Type');
  if (!resource || !type || offset < type.span.start || offset > type.span.end) return undefined;
  return runsCode(resource.type) ? resource : undefined;
}

const contains = (outer: Range, inner: Range) =>
  (outer.start.line < inner.start.line ||
    (outer.start.line === inner.start.line && outer.start.character <= inner.start.character)) &&
  (inner.start.line < outer.end.line ||
    (inner.start.line === outer.end.line && inner.start.character <= outer.end.character));

function crossings(path: string, findings: readonly Finding[]): Crossing[] {
  return findings
    .filter((f) => f.related?.some((r) => r.path !== path))
    .map((f) => ({
      path,
      lesson: f.rule.lesson,
      range: f.range,
      related: (f.related ?? []).map((r) => ({ path: r.path, range: r.range })),
    }));
}

/** The cross-file findings of a unit's code: open files as the editor has them, closed ones analysed here (remembered briefly). */
async function unitCrossings(session: Session, run: RunUnit, stamp: string): Promise<Crossing[]> {
  const { project } = session;
  const started = Date.now();
  const files = project
    .files(run.unit.root, { isCancelled: () => Date.now() - started > budgetMs / 2 })
    .filter((p) => codeFile.test(p));
  // The files of this unit only (a deeper unit nested in its folder has code of its own).
  const ownFolder = new Map<string, boolean>();
  const own = files.filter((p) => {
    const folder = dirname(p);
    if (!ownFolder.has(folder)) ownFolder.set(folder, project.applications.of(p)?.root === run.unit.root);
    return ownFolder.get(folder);
  });
  const cache = remembered.get(session) ?? new Map();
  remembered.set(session, cache);
  const found: Crossing[] = [];
  for (const path of own.slice(0, maxFiles)) {
    if (Date.now() - started > budgetMs) break;
    const open = session.documents.get(pathToFileURL(path).href);
    if (open) {
      const analysis = await session.analysisOf(open);
      if (analysis) found.push(...crossings(path, analysis.result.findings));
      continue;
    }
    let key: string;
    try {
      const stat = statSync(path);
      key = `${stat.mtimeMs}:${stat.size}:${stamp}`;
    } catch {
      continue;
    }
    const known = cache.get(path);
    if (known && known.key === key && Date.now() - known.at < rememberMs) {
      found.push(...known.crossings);
      continue;
    }
    const source = readSource(path);
    if ('error' in source) continue;
    const parsed = await project.parse({ path, text: source.text });
    try {
      const result = await project.run(parsed);
      const kept = crossings(path, result.findings);
      cache.set(path, { key, at: Date.now(), crossings: kept });
      found.push(...kept);
    } finally {
      parsed.dispose();
    }
  }
  for (const [path, entry] of cache) if (Date.now() - entry.at >= rememberMs) cache.delete(path);
  return found;
}

/**
 * The line under a runner's checklist, or undefined when the offset is not on the `Type` of a
 * resource that runs code the application model links.
 */
export async function applicationHover(
  session: Session,
  parsed: ParsedDocument,
  offset: number,
  stamp: string,
): Promise<{ resource: Resource; line: string } | undefined> {
  const resource = runnerAt(parsed, offset);
  if (!resource || parsed.model?.kind !== 'cloudformation') return undefined;
  const template = parsed.model.template;
  const path = parsed.path;
  const { project } = session;
  const units = unitsRunBy(project.applications, project.workspaceFor(path), path, template, resource);
  if (units.length === 0) return undefined;
  const top = project.rootOf(path);
  const shown = (p: string) => relative(top, p).split(sep).join('/') || '.';
  const lines: string[] = [];
  for (const run of units.slice(0, 2)) {
    // What makes these runtimes here: the findings that point into it are the ones on it.
    const places = run.runtimes.flatMap((r) =>
      runtimeResources(template, r).map((res) => parsed.lines.rangeOf(res.span)),
    );
    const on = (await unitCrossings(session, run, stamp)).filter((c) =>
      c.related.some((r) => r.path === path && places.some((p) => contains(p, r.range))),
    );
    const image = run.unit.dockerfile ? ` (image \`${shown(run.unit.dockerfile)}\`)` : '';
    const byLesson = new Map<LessonId, Crossing[]>();
    for (const c of on) byLesson.set(c.lesson, [...(byLesson.get(c.lesson) ?? []), c]);
    const findings = [...byLesson].map(([lesson, list]) => {
      const first = list[0];
      const at = `[${shown(first.path).split('/').pop()}:${first.range.start.line + 1}](${pathToFileURL(first.path).href}#L${first.range.start.line + 1})`;
      return `✗ ${lessons[lesson].title} (${at}${list.length > 1 ? ` and ${list.length - 1} more` : ''})`;
    });
    lines.push(
      `**Runs** \`${shown(run.unit.root)}/\`${image}: ` +
        (findings.length > 0 ? `across files, ${findings.join('; ')}` : 'no cross-file findings on it'),
    );
  }
  if (units.length > 2) lines.push(`and ${units.length - 2} more applications`);
  return { resource, line: lines.join('  \n') };
}
