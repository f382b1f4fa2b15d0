import type { Range } from '../engine/text';
import { runtimeWords } from './applications';
import {
  describeCounts,
  statusWords,
  type ApplicationScore,
  type FileScore,
  type FindingLink,
  type LessonReport,
  type RuleStatus,
} from './lessons';
import { pathUri, printable, safeHref } from './links';

/** Where a link to a file (and a position in it) points. */
export type LinkTo = (path: string, range?: Range) => string;

/** Relative links with GitHub's `#L<line>` anchors: they work beside the repository and on GitHub. */
export const relativeLink: LinkTo = (path, range) =>
  pathUri(path) + (range ? `#L${range.start.line + 1}` : '');

/** `[text](target)` when the target is one a report may link to, else the text alone. */
function link(text: string, target: string): string {
  const href = safeHref(target);
  // Parentheses and spaces would end the link's target early: they are percent-encoded.
  return href
    ? `[${text}](${href.replace(/[()\s<>]/g, (c) => `%${c.charCodeAt(0).toString(16).toUpperCase().padStart(2, '0')}`)})`
    : text;
}

const statusMarks: Record<RuleStatus, string> = {
  met: '✓',
  broken: '✗',
  off: '–',
  'not-applicable': '·',
};

/** Text that Markdown must show as written (messages, titles) inside paragraphs and table cells. */
function escape(text: string): string {
  return printable(text.replace(/[\r\n]+/g, ' ')).replace(/[\\`*_[\]<>|#&]/g, (c) => `\\${c}`);
}

const percent = (score: number | null) => (score === null ? '—' : `${score} %`);

/** A GitHub-style heading anchor. */
function anchor(title: string): string {
  return title
    .toLowerCase()
    .replace(/[^\p{L}\p{N}\s-]/gu, '')
    .trim()
    .replace(/\s/g, '-');
}

function fileLine(file: FileScore, linkTo: LinkTo): string {
  return `${link(escape(file.path), linkTo(file.path))}: ${describeCounts(file.counts)}`;
}

/** The lesson report as Markdown: a summary table, the worst files, then one section per lesson. */
export function formatMarkdown(report: LessonReport, linkTo: LinkTo = relativeLink): string {
  const out: string[] = [];
  out.push(`# Cloud Lessons report: ${escape(report.subject)}`, '');
  const findings =
    report.findings === 0
      ? 'no findings'
      : `${report.findings} finding${report.findings === 1 ? '' : 's'} (${describeCounts(report.counts)}) in ${report.filesWithFindings} file${report.filesWithFindings === 1 ? '' : 's'}`;
  out.push(
    `${report.files} file${report.files === 1 ? '' : 's'} analysed, ${findings}. ` +
      `Rules met: ${report.met} of ${report.met + report.broken} (${percent(report.score)}).`,
    '',
  );
  if (report.errors.length > 0) {
    out.push(
      `${report.errors.length} file${report.errors.length === 1 ? '' : 's'} could not be analysed:`,
      '',
    );
    for (const e of report.errors)
      out.push(`- ${link(escape(e.path), linkTo(e.path))}: ${escape(e.message)}`);
    out.push('');
  }

  if (report.lessons.length > 0) {
    out.push('| lesson | score | rules met | rules broken | findings |', '|---|---:|---:|---:|---:|');
    for (const lesson of report.lessons)
      out.push(
        `| [${escape(lesson.title)}](#${anchor(lesson.title)}) | ${percent(lesson.score)} | ${lesson.met} | ${lesson.broken} | ${lesson.findings.length} |`,
      );
    out.push('');
  }

  if (report.worstFiles.length > 0) {
    out.push('## Worst files', '');
    report.worstFiles.forEach((file, i) => out.push(`${i + 1}. ${fileLine(file, linkTo)}`));
    out.push('');
  }

  if (report.applications) out.push(...applicationsSection(report.applications, linkTo));

  for (const lesson of report.lessons) {
    out.push(`## ${escape(lesson.title)}`, '');
    out.push(
      `${percent(lesson.score)}: ${lesson.met} of ${lesson.met + lesson.broken} rule${lesson.met + lesson.broken === 1 ? '' : 's'} met. ${escape(lesson.summary)}`,
      '',
    );
    out.push('| | rule | status | findings |', '|---|---|---|---:|');
    for (const rule of lesson.rules)
      out.push(
        `| ${statusMarks[rule.status]} | \`${rule.id}\` ${escape(rule.title)} | ${statusWords[rule.status]} | ${rule.findings} |`,
      );
    out.push('');
    if (lesson.findings.length > 0) {
      out.push('Findings:', '');
      for (const f of lesson.findings) {
        const where = `${f.path}:${f.range.start.line + 1}:${f.range.start.character + 1}`;
        out.push(
          `- ${link(escape(where), linkTo(f.path, f.range))} ${f.severity} \`${f.ruleId}\`: ${escape(f.message)}`,
        );
      }
      out.push('');
    }
    if (lesson.worstFiles.length > 1) {
      out.push(
        `Worst files for this lesson: ${lesson.worstFiles.map((f) => fileLine(f, linkTo)).join('; ')}.`,
        '',
      );
    }
  }

  if (report.notChecked.length > 0) {
    out.push(
      '## Not checked here',
      '',
      ...report.notChecked.map(
        (l) =>
          `- ${escape(l.title)}: ${l.reason === 'off' ? 'its rules are switched off' : 'no file of the kinds its rules check'}`,
      ),
      '',
    );
  }
  if (report.withoutRules.length > 0) {
    out.push(`Lessons with no rule yet: ${report.withoutRules.map((l) => escape(l.title)).join(', ')}.`, '');
  }
  out.push(`Generated by ${report.tool.name} ${report.tool.version}.`);
  return out.join('\n') + '\n';
}

/** How many findings links a lesson's row of an application lists before it counts the rest. */
const linksPerRow = 3;

const where = (f: FindingLink) => `${f.path}:${f.range.start.line + 1}:${f.range.start.character + 1}`;

/** A name (of a variable, a folder) as code: never a value. */
const code = (name: string) => `\`${printable(name).replace(/[`\r\n]/g, "'")}\``;

/**
 * The application view: each deployable unit, where it runs, what is beside it, and the lessons
 * its files keep or break (with links to its findings); the findings other files explain come
 * with their messages.
 */
function applicationsSection(applications: readonly ApplicationScore[], linkTo: LinkTo): string[] {
  const out: string[] = [];
  if (applications.length === 0) {
    out.push(
      'Applications: none linked. No code here is built or run by a compose service, ECS service or Lambda function in these files.',
      '',
    );
    return out;
  }
  out.push('## Applications', '');
  out.push(
    `${applications.length} application${applications.length === 1 ? '' : 's'}: code that the compose files and templates here build and run. ` +
      'Its findings are those of its code and image, and of the compose services and template resources that run it.',
    '',
  );
  for (const app of applications) {
    out.push(`### ${escape(app.root)}`, '');
    out.push(
      `Code in ${code(app.root)}` +
        (app.dockerfile
          ? `, packaged by ${link(escape(app.dockerfile), linkTo(app.dockerfile))}` +
            (app.imageEnvironment.length > 0
              ? ` (which sets ${app.imageEnvironment.map(code).join(', ')})`
              : '')
          : '') +
        '.',
      '',
    );
    out.push('Runs as:', '');
    for (const runtime of app.runtimes)
      out.push(
        `- ${link(escape(runtime.name), linkTo(runtime.at.path, runtime.at.range))}: ${runtimeWords(runtime, { text: escape, code })}`,
      );
    out.push('');
    if (app.backing.length > 0)
      out.push(
        `Declared beside it: ${app.backing.map((b) => link(escape(b.name), linkTo(b.at.path, b.at.range))).join(', ')}.`,
        '',
      );
    const broken = app.lessons.filter((l) => l.status === 'broken');
    const kept = app.lessons.filter((l) => l.status === 'kept');
    out.push(`Lessons: ${broken.length} broken, ${kept.length} kept.`, '');
    if (broken.length > 0) {
      out.push('| | lesson | its findings |', '|---|---|---|');
      for (const lesson of broken) {
        const shown = lesson.findings
          .slice(0, linksPerRow)
          .map((f) => `${link(escape(where(f)), linkTo(f.path, f.range))} \`${f.ruleId}\``);
        const more = lesson.findings.length - shown.length;
        out.push(
          `| ${statusMarks.broken} | [${escape(lesson.title)}](#${anchor(lesson.title)}) | ${shown.join(', ')}${more > 0 ? ` and ${more} more` : ''} |`,
        );
      }
      out.push('');
    }
    if (kept.length > 0) out.push(`Kept: ${kept.map((l) => escape(l.title)).join(', ')}.`, '');
    if (app.acrossFiles.length > 0) {
      out.push('Across files:', '');
      for (const f of app.acrossFiles)
        out.push(
          `- ${link(escape(where(f)), linkTo(f.path, f.range))} ${f.severity} \`${f.ruleId}\`: ${escape(f.message)}` +
            (f.related?.length
              ? ` (with ${f.related.map((p) => link(escape(p), linkTo(p))).join(', ')})`
              : ''),
        );
      out.push('');
    }
  }
  return out;
}
