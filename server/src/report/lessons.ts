import { ruleKindOf, type RuleKind } from '../engine/classify';
import type { ApplicationFacts } from './applications';
import type { Setting } from '../engine/config';
import type { Rule, Severity } from '../engine/rule';
import type { Range } from '../engine/text';
import { lessonIds, lessons, type LessonId } from '../lessons/catalogue';
import { severityRank, type RunReport } from './model';

/**
 * The lesson report: the workspace scored lesson by lesson. The CLI (`--format markdown|html`)
 * and the editor's "Show Lesson Report" both build it here from the same RunReport, so that they
 * always agree.
 */

/**
 * met: the rule ran on files it applies to and found nothing; broken: it found something;
 * off: the configuration switched it off; not-applicable: no file of a kind it checks was analysed.
 */
export type RuleStatus = 'met' | 'broken' | 'off' | 'not-applicable';

export interface SeverityCounts {
  error: number;
  warning: number;
  info: number;
  hint: number;
}

export interface RuleScore {
  id: string;
  title: string;
  status: RuleStatus;
  findings: number;
  /** How many files it found something in. */
  files: number;
}

export interface FindingLink {
  /** As in the RunReport: relative to its root, forward slashes. */
  path: string;
  ruleId: string;
  severity: Severity;
  message: string;
  range: Range;
  /** The other files that explain it (a cross-file finding), when there are any. */
  related?: string[];
}

export interface FileScore {
  path: string;
  findings: number;
  counts: SeverityCounts;
}

export interface LessonScore {
  id: LessonId;
  title: string;
  summary: string;
  rules: RuleScore[];
  met: number;
  broken: number;
  off: number;
  notApplicable: number;
  /** Rules met as a share of the rules that ran (0–100, rounded), or null when none ran. */
  score: number | null;
  counts: SeverityCounts;
  findings: FindingLink[];
  worstFiles: FileScore[];
}

export interface LessonReport {
  tool: { name: string; version: string };
  /** What was analysed, for the title: the folder's name or the paths given. */
  subject: string;
  files: number;
  filesWithFindings: number;
  counts: SeverityCounts;
  findings: number;
  met: number;
  broken: number;
  /** Over every rule that ran, as for a lesson. */
  score: number | null;
  /** Lessons whose rules ran, the lowest score first (ties in catalogue order). */
  lessons: LessonScore[];
  /** Lessons with rules, none of which ran here (switched off, or no file of their kinds). */
  notChecked: { id: LessonId; title: string; reason: 'off' | 'not-applicable' }[];
  /** Lessons that have no rule yet. */
  withoutRules: { id: LessonId; title: string }[];
  worstFiles: FileScore[];
  errors: { path: string; message: string }[];
  /**
   * The application view, when the caller linked the files to applications (undefined: not
   * asked; empty: no code the model links to what runs it).
   */
  applications?: ApplicationScore[];
}

export interface ScoreOptions {
  subject: string;
  /** The setting the configuration chose for a rule, if any (`off` leaves it out of the score). */
  settingOf?: (rule: Rule) => Setting | undefined;
  /** How many of the worst files to list, overall and per lesson. */
  worstFiles?: { overall: number; perLesson: number };
  /** The deployable units of the files (see project/app-view.ts): the report gains an application view. */
  applications?: readonly ApplicationFacts[];
}

const emptyCounts = (): SeverityCounts => ({ error: 0, warning: 0, info: 0, hint: 0 });

const score = (met: number, broken: number) =>
  met + broken === 0 ? null : Math.round((100 * met) / (met + broken));

/** Most errors first, then most warnings, info, hints; then by path. */
function worst(files: Map<string, FileScore>, count: number): FileScore[] {
  const order = (['error', 'warning', 'info', 'hint'] as const).slice();
  return [...files.values()]
    .sort((a, b) => {
      for (const s of order) if (a.counts[s] !== b.counts[s]) return b.counts[s] - a.counts[s];
      return a.path.localeCompare(b.path);
    })
    .slice(0, count);
}

function tally(files: Map<string, FileScore>, finding: FindingLink): void {
  let file = files.get(finding.path);
  if (!file) {
    file = { path: finding.path, findings: 0, counts: emptyCounts() };
    files.set(finding.path, file);
  }
  file.findings++;
  file.counts[finding.severity]++;
}

export function scoreLessons(run: RunReport, options: ScoreOptions): LessonReport {
  const limits = options.worstFiles ?? { overall: 5, perLesson: 3 };
  const kindsSeen = new Set<RuleKind>(['any']);
  for (const file of run.files) {
    const kind = ruleKindOf[file.kind];
    if (kind) kindsSeen.add(kind);
  }
  const anyFiles = run.files.length > 0;

  const findingsByRule = new Map<string, FindingLink[]>();
  const allFiles = new Map<string, FileScore>();
  const counts = emptyCounts();
  for (const file of run.files) {
    for (const f of file.findings) {
      const link: FindingLink = {
        path: file.path,
        ruleId: f.ruleId,
        severity: f.severity,
        message: f.message,
        range: f.range,
        ...related(file.path, f.related),
      };
      const list = findingsByRule.get(f.ruleId) ?? [];
      list.push(link);
      findingsByRule.set(f.ruleId, list);
      tally(allFiles, link);
      counts[f.severity]++;
    }
  }

  const scored: LessonScore[] = [];
  const notChecked: LessonReport['notChecked'] = [];
  const withoutRules: LessonReport['withoutRules'] = [];
  let met = 0;
  let broken = 0;
  for (const id of lessonIds) {
    const lesson = lessons[id];
    const rules = run.rules.filter((r) => r.lesson === id);
    if (rules.length === 0) {
      withoutRules.push({ id, title: lesson.title });
      continue;
    }
    const entry: LessonScore = {
      id,
      title: lesson.title,
      summary: lesson.summary,
      rules: [],
      met: 0,
      broken: 0,
      off: 0,
      notApplicable: 0,
      score: null,
      counts: emptyCounts(),
      findings: [],
      worstFiles: [],
    };
    const lessonFiles = new Map<string, FileScore>();
    for (const rule of rules) {
      const found = findingsByRule.get(rule.id) ?? [];
      const applies = anyFiles && rule.kinds.some((k) => kindsSeen.has(k));
      const status: RuleStatus =
        found.length > 0
          ? 'broken'
          : options.settingOf?.(rule) === 'off'
            ? 'off'
            : applies
              ? 'met'
              : 'not-applicable';
      entry.rules.push({
        id: rule.id,
        title: rule.title,
        status,
        findings: found.length,
        files: new Set(found.map((f) => f.path)).size,
      });
      if (status === 'met') entry.met++;
      else if (status === 'broken') entry.broken++;
      else if (status === 'off') entry.off++;
      else entry.notApplicable++;
      for (const f of found) {
        entry.findings.push(f);
        entry.counts[f.severity]++;
        tally(lessonFiles, f);
      }
    }
    entry.rules.sort((a, b) => statusOrder[a.status] - statusOrder[b.status] || a.id.localeCompare(b.id));
    entry.findings.sort(
      (a, b) =>
        severityRank[b.severity] - severityRank[a.severity] ||
        a.path.localeCompare(b.path) ||
        a.range.start.line - b.range.start.line ||
        a.range.start.character - b.range.start.character,
    );
    entry.score = score(entry.met, entry.broken);
    entry.worstFiles = worst(lessonFiles, limits.perLesson);
    met += entry.met;
    broken += entry.broken;
    if (entry.met + entry.broken === 0) {
      notChecked.push({ id, title: lesson.title, reason: entry.off > 0 ? 'off' : 'not-applicable' });
    } else {
      scored.push(entry);
    }
  }
  const catalogueOrder = (id: LessonId) => lessonIds.indexOf(id);
  scored.sort((a, b) => (a.score ?? 101) - (b.score ?? 101) || catalogueOrder(a.id) - catalogueOrder(b.id));

  return {
    tool: run.tool,
    subject: options.subject,
    files: run.files.length,
    filesWithFindings: allFiles.size,
    counts,
    findings: counts.error + counts.warning + counts.info + counts.hint,
    met,
    broken,
    score: score(met, broken),
    lessons: scored,
    notChecked,
    withoutRules,
    worstFiles: worst(allFiles, limits.overall),
    errors: run.errors,
    ...(options.applications ? { applications: scoreApplications(run, scored, options.applications) } : {}),
  };
}

const statusOrder: Record<RuleStatus, number> = { broken: 0, met: 1, off: 2, 'not-applicable': 3 };

/** "3 errors, 1 warning" (only the severities that occur). */
export function describeCounts(counts: SeverityCounts): string {
  const words: Record<Severity, [string, string]> = {
    error: ['error', 'errors'],
    warning: ['warning', 'warnings'],
    info: ['info', 'info'],
    hint: ['hint', 'hints'],
  };
  return (['error', 'warning', 'info', 'hint'] as const)
    .filter((s) => counts[s] > 0)
    .map((s) => `${counts[s]} ${words[s][counts[s] === 1 ? 0 : 1]}`)
    .join(', ');
}

export const statusWords: Record<RuleStatus, string> = {
  met: 'met',
  broken: 'broken',
  off: 'switched off',
  'not-applicable': 'not applicable',
};

/** The other files a finding's related places are in, when there are any. */
function related(
  path: string,
  places: readonly { path: string }[] | undefined,
): Pick<FindingLink, 'related'> {
  const paths = [...new Set((places ?? []).map((p) => p.path).filter((p) => p !== path))];
  return paths.length > 0 ? { related: paths } : {};
}

// The application view: which lessons each application's files keep or break.

export type ApplicationLessonStatus = Extract<RuleStatus, 'broken'> | 'kept';

export interface ApplicationLesson {
  id: LessonId;
  title: string;
  status: ApplicationLessonStatus;
  findings: FindingLink[];
}

export interface ApplicationScore extends ApplicationFacts {
  /** Broken lessons first (most findings first), then kept ones, each in the report's order. */
  lessons: ApplicationLesson[];
  /** Its findings that other files explain (what runs the code, what is declared beside it). */
  acrossFiles: FindingLink[];
}

const inside = (outer: Range, inner: Range) =>
  (outer.start.line < inner.start.line ||
    (outer.start.line === inner.start.line && outer.start.character <= inner.start.character)) &&
  (inner.start.line < outer.end.line ||
    (inner.start.line === outer.end.line && inner.start.character <= outer.end.character));

/** Whether a finding of the report is one of the application's: in its files, or in what runs it. */
export function belongsTo(app: ApplicationFacts, finding: { path: string; range: Range }): boolean {
  if (app.files.includes(finding.path)) return true;
  return app.regions.some((r) => r.path === finding.path && inside(r.range, finding.range));
}

/**
 * Whether a rule judges something of the application: a rule for the kind of one of its files,
 * a template rule for the type of a resource that runs it. A template rule about the template
 * as a whole is not counted as kept by the application (it says nothing of it).
 */
function judges(rule: Rule, app: ApplicationFacts, kinds: Set<RuleKind>): boolean {
  if (rule.kinds.includes('any')) return true;
  for (const kind of rule.kinds) {
    if (kind === 'cfn') {
      if (rule.resourceTypes?.some((t) => app.regions.some((r) => r.resourceType === t))) return true;
    } else if (kinds.has(kind)) return true;
  }
  return false;
}

/** Each application's lessons, kept and broken, from the report's findings and rule statuses. */
export function scoreApplications(
  run: RunReport,
  lessons: readonly LessonScore[],
  applications: readonly ApplicationFacts[],
): ApplicationScore[] {
  const kindOf = new Map(run.files.map((f) => [f.path, f.kind]));
  const rules = new Map(run.rules.map((r) => [r.id, r]));
  return applications.map((app) => {
    const kinds = new Set<RuleKind>();
    for (const path of app.files) {
      const kind = kindOf.get(path);
      const ruleKind = kind && ruleKindOf[kind];
      if (ruleKind) kinds.add(ruleKind);
    }
    if (app.regions.some((r) => r.kind === 'compose')) kinds.add('compose');
    const scored: ApplicationLesson[] = [];
    const acrossFiles: FindingLink[] = [];
    for (const lesson of lessons) {
      const findings = lesson.findings.filter((f) => belongsTo(app, f));
      acrossFiles.push(...findings.filter((f) => f.related && f.related.length > 0));
      if (findings.length > 0) {
        scored.push({ id: lesson.id, title: lesson.title, status: 'broken', findings });
        continue;
      }
      const kept = lesson.rules.some((score) => {
        const rule = rules.get(score.id);
        // A rule that ran (met, or broken elsewhere only) and judges something of the application.
        const ran = score.status === 'met' || score.status === 'broken';
        return ran && rule !== undefined && judges(rule, app, kinds);
      });
      if (kept) scored.push({ id: lesson.id, title: lesson.title, status: 'kept', findings: [] });
    }
    const order = (l: ApplicationLesson) => (l.status === 'broken' ? 0 : 1);
    // A stable sort: within broken and kept, the report's order (the lowest score first).
    scored.sort((a, b) => order(a) - order(b) || b.findings.length - a.findings.length);
    return { ...app, lessons: scored, acrossFiles };
  });
}
