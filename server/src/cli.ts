import { closeSync, existsSync, mkdirSync, openSync, readFileSync, statSync, writeSync } from 'node:fs';
import { basename, dirname, relative, resolve, sep } from 'node:path';
import { parseArgs } from 'node:util';
import { severities, type FixKind, type Severity } from './engine/rule';
import { applicationFacts } from './project/app-view';
import { Baseline, BaselineError, type FingerprintedFinding } from './project/baseline';
import {
  addCdkFindings,
  CdkApps,
  cdkNotes,
  cdkOwnOutcomes,
  cdkRunOutcomes,
  fixCdkSources,
  withCdkOutcomes,
} from './project/cdk-apps';
import { ConfigError } from './project/config';
import { formatPrintedConfig, listedRules, printedConfig } from './project/print-config';
import { Project, type ConfigMode } from './project/project';
import { repositoryTop } from './project/roots';
import {
  changedFiles,
  checkFile,
  GitError,
  gitTopLevel,
  runReport,
  unreadFile,
  type CheckedFile,
} from './project/run';
import { githubWriter } from './report/github';
import { formatHtml } from './report/html';
import { jsonWriter } from './report/json';
import { junitWriter } from './report/junit';
import { scoreLessons } from './report/lessons';
import { formatMarkdown, relativeLink, type LinkTo } from './report/markdown';
import { severityRank, type FixDetail, type RunNote, type RunReport } from './report/model';
import { sarifWriter } from './report/sarif';
import { fileSpool, wholeWriter, type ReportStart, type Sink, type WriterFactory } from './report/stream';
import { textWriter } from './report/text';
import { allRules } from './rules';
import { version } from './version';

const usage = `Usage: cloud-lessons [options] [paths...]
       cloud-lessons [options] --stdin-filename PATH -

Checks CloudFormation/SAM templates, Dockerfiles, compose files and JavaScript,
TypeScript and Python code for the mistakes the cloud punishes. Folders are
walked honouring .gitignore; the default path is the current folder.

Options:
  --format FORMAT           text, json, sarif (code scanning), junit, github (workflow
                            commands), or the lesson report as markdown or html
                            (default: text)
  --output FILE             write the report to FILE instead of stdout
  --fix                     apply every safe fix to the files, then report what is left
  --fix-scaffolds           with --fix, also apply the scaffolds (fixes that add code or
                            resources to complete or review)
  --config FILE             use this configuration file for every file (default: each
                            file's nearest .cloud-lessons.yaml and its parents)
  --no-config               ignore configuration files
  --print-config FILE       print the configuration that applies to FILE, and where each
                            value comes from, then exit (text, or JSON with --format json)
  --fail-on SEVERITY        lowest severity that fails the run: error|warning|info|hint
                            (default: failOn from each file's configuration, else warning)
  --exit-zero               exit 0 even when there are findings (for demos and reports)
  --baseline FILE           report only the findings FILE does not hold; the exit code
                            counts only those
  --update-baseline         with --baseline, write FILE with every current finding
                            (entries of files no longer found are dropped) and exit 0
  --changed-since REF       check only the files changed since the git ref REF: committed
                            since the branch left it, staged, unstaged and untracked
  --stdin-filename PATH     with the path "-": check standard input as the file PATH
  --report-unused-suppressions
                            report suppression comments and Metadata entries that
                            silence nothing (cloud-lessons/unused-suppression)
  --list-rules              print the rules and exit (JSON with --format json)
  --version                 print the version and exit
  -h, --help                print this help and exit

Exit codes: 0 nothing at or above the failing severity; 1 findings (or files that
could not be analysed); 2 a usage or internal error.
`;

class UsageError extends Error {}

const formats = ['text', 'json', 'sarif', 'junit', 'github', 'markdown', 'html'] as const;
type Format = (typeof formats)[number];

interface Options {
  format: Format;
  output?: string;
  fix?: readonly FixKind[];
  config: ConfigMode;
  printConfig?: string;
  failOn?: Severity;
  exitZero: boolean;
  targets: string[];
  /** Whether the user named the targets (the lesson report's subject then names them). */
  namedTargets: boolean;
  baseline?: { path: string; update: boolean };
  changedSince?: string;
  /** The file standard input stands for (absolute). */
  stdinFilename?: string;
  reportUnusedSuppressions: boolean;
}

type Parsed = Options | 'help' | 'version' | { listRules: Format };

/** What the user asked for, or a UsageError that says what is wrong. */
function parseOptions(argv: string[]): Parsed {
  let parsed;
  try {
    parsed = parseArgs({
      args: argv,
      allowPositionals: true,
      options: {
        format: { type: 'string', default: 'text' },
        output: { type: 'string' },
        fix: { type: 'boolean', default: false },
        'fix-scaffolds': { type: 'boolean', default: false },
        config: { type: 'string' },
        'no-config': { type: 'boolean', default: false },
        'print-config': { type: 'string' },
        'fail-on': { type: 'string' },
        'exit-zero': { type: 'boolean', default: false },
        baseline: { type: 'string' },
        'update-baseline': { type: 'boolean', default: false },
        'changed-since': { type: 'string' },
        'stdin-filename': { type: 'string' },
        'report-unused-suppressions': { type: 'boolean', default: false },
        'list-rules': { type: 'boolean', default: false },
        version: { type: 'boolean', default: false },
        help: { type: 'boolean', short: 'h', default: false },
      },
    });
  } catch (error) {
    throw new UsageError((error as Error).message);
  }
  const { values, positionals } = parsed;
  if (values.help) return 'help';
  if (values.version) return 'version';
  const format = values.format ?? 'text';
  if (!(formats as readonly string[]).includes(format))
    throw new UsageError(`Unknown format "${format}": use ${formats.join(', ')}.`);
  if (values['list-rules']) {
    if (format !== 'text' && format !== 'json')
      throw new UsageError('--list-rules prints text or JSON: use --format json or leave --format out.');
    return { listRules: format as Format };
  }
  const failOn = values['fail-on'];
  if (failOn !== undefined && !(severities as string[]).includes(failOn))
    throw new UsageError(`Unknown severity "${failOn}" for --fail-on: use ${severities.join(', ')}.`);
  if (values['fix-scaffolds'] && !values.fix)
    throw new UsageError('--fix-scaffolds goes with --fix: add --fix to apply fixes.');
  if (values.config && values['no-config']) throw new UsageError('Use either --config FILE or --no-config.');
  if (values['update-baseline'] && !values.baseline)
    throw new UsageError('--update-baseline goes with --baseline FILE: name the file to write.');
  const stdin = positionals.includes('-');
  if (stdin && (positionals.length > 1 || !values['stdin-filename']))
    throw new UsageError(
      '"-" reads standard input: use it alone, with --stdin-filename PATH to name the file it is.',
    );
  if (values['stdin-filename'] && !stdin)
    throw new UsageError('--stdin-filename PATH names standard input: add "-" as the path to read it.');
  if (stdin && values.fix) throw new UsageError('--fix writes files: it cannot fix standard input.');
  if (stdin && values['changed-since'])
    throw new UsageError('Use either --changed-since REF or standard input ("-"), not both.');
  const cwd = process.cwd();
  let config: ConfigMode = { kind: 'discover' };
  if (values['no-config']) config = { kind: 'none' };
  else if (values.config) {
    const path = resolve(cwd, values.config);
    if (!existsSync(path)) throw new UsageError(`No such configuration file: ${values.config}`);
    config = { kind: 'file', path };
  }
  let baseline: Options['baseline'];
  if (values.baseline) {
    const path = resolve(cwd, values.baseline);
    const update = values['update-baseline'] ?? false;
    if (!update && !existsSync(path))
      throw new UsageError(
        `No baseline at ${values.baseline}. Write it once with\n  cloud-lessons --baseline ${values.baseline} --update-baseline${
          positionals.length > 0 && !stdin ? ` ${positionals.join(' ')}` : ''
        }\nand commit it; later runs then report only new findings.`,
      );
    baseline = { path, update };
  }
  return {
    format: format as Format,
    output: values.output,
    fix: values.fix ? (values['fix-scaffolds'] ? ['safe', 'scaffold'] : ['safe']) : undefined,
    config,
    printConfig: values['print-config'],
    failOn: failOn as Severity | undefined,
    exitZero: values['exit-zero'] ?? false,
    targets: stdin ? [values['stdin-filename'] as string] : positionals.length > 0 ? positionals : ['.'],
    namedTargets: positionals.length > 0,
    baseline,
    changedSince: values['changed-since'],
    stdinFilename: stdin ? resolve(cwd, values['stdin-filename'] as string) : undefined,
    reportUnusedSuppressions: values['report-unused-suppressions'] ?? false,
  };
}

interface Target {
  path: string;
  folder: boolean;
}

async function main(argv: string[]): Promise<number> {
  const options = parseOptions(argv);
  if (options === 'help') write(usage);
  else if (options === 'version') write(`${version}\n`);
  else if ('listRules' in options) {
    if (options.listRules === 'json') write(JSON.stringify(listedRules(allRules), null, 2) + '\n');
    else
      for (const rule of allRules)
        write(
          `${rule.id.padEnd(56)} ${rule.severity.padEnd(8)} ${rule.kinds.join(',').padEnd(14)} ${rule.title}\n`,
        );
  }
  if (typeof options === 'string' || 'listRules' in options) return 0;

  const cwd = process.cwd();
  const targets: Target[] = options.stdinFilename
    ? [{ path: options.stdinFilename, folder: false }]
    : options.targets.map((target) => {
        const path = resolve(cwd, target);
        if (!existsSync(path)) throw new UsageError(`No such file or folder: ${target}`);
        return { path, folder: statSync(path).isDirectory() };
      });
  const project = projectFor(options, cwd, targets);
  if (options.printConfig !== undefined) {
    const printed = printedConfig(project, resolve(cwd, options.printConfig), cwd);
    write(options.format === 'json' ? JSON.stringify(printed, null, 2) + '\n' : formatPrintedConfig(printed));
    return 0;
  }
  const baseline = options.baseline
    ? existsSync(options.baseline.path)
      ? Baseline.read(options.baseline.path)
      : new Baseline(options.baseline.path, [])
    : undefined;
  const codeScanning = options.format === 'sarif' || options.format === 'github';
  const start: ReportStart = {
    ...runReport(project, cwd, [], codeScanning ? (gitTopLevel(cwd) ?? cwd) : undefined),
    baselined: !!baseline && !options.baseline?.update,
  };
  // Each file's part of the report is written as soon as the file is done, and the file
  // forgotten: only counts, the errors and (to update a baseline) the fingerprints are kept.
  const output = outputSink(options.output && resolve(cwd, options.output), options.format === 'json');
  const spool = fileSpool();
  try {
    const writer = writerFor(options, cwd, project)(start, output.sink, spool);
    const errors: RunReport['errors'] = [];
    const current = new Map<string, FingerprintedFinding[]>();
    let held = 0;
    let failing = false;
    let fixed = 0;
    let fixedFiles = 0;
    const notes = await check(project, options, cwd, targets, (outcome) => {
      if (baseline && options.baseline?.update) {
        if (outcome.analysed) current.set(baseline.pathOf(outcome.path), fingerprinted(outcome));
      } else if (baseline) held += applyBaseline(baseline, outcome);
      const failOn = severityRank[options.failOn ?? outcome.failOn];
      failing ||= outcome.report.findings.some((f) => severityRank[f.severity] >= failOn);
      fixed += outcome.fixed;
      if (outcome.fixed > 0) fixedFiles++;
      if (outcome.error) errors.push({ path: outcome.report.path, message: outcome.error });
      if (outcome.analysed) writer.file(outcome.report);
    });
    if (baseline && options.baseline?.update) updateBaseline(baseline, options, current, targets);
    writer.end({
      errors,
      ...(notes.length > 0 ? { notes } : {}),
      ...(baseline && !options.baseline?.update ? { baseline: { file: baseline.file, held } } : {}),
    });
    output.close();
    if (options.fix && options.format === 'text')
      process.stderr.write(
        `Fixed ${fixed} finding${fixed === 1 ? '' : 's'} in ${fixedFiles} file${fixedFiles === 1 ? '' : 's'}.\n`,
      );
    if (options.exitZero || options.baseline?.update) return 0;
    return failing || errors.length > 0 ? 1 : 0;
  } finally {
    spool.dispose();
    output.dispose();
  }
}

/** How each format writes its report (see report/stream.ts). */
function writerFor(options: Options, cwd: string, project: Project): WriterFactory {
  switch (options.format) {
    case 'json':
      return jsonWriter;
    case 'sarif':
      return sarifWriter;
    case 'junit':
      return junitWriter;
    case 'github':
      return githubWriter;
    case 'text':
      return textWriter(!options.output && useColor());
    default:
      // The lesson report scores all the findings before its first line: it holds them.
      return (start, sink) => wholeWriter(start, sink, (report) => render(report, options, cwd, project));
  }
}

/**
 * Where the report goes: standard output, or the --output file, created only once the run is
 * done (as before the report was written a file at a time: a failed run leaves it as it was, and
 * the walk never meets it half-written). JSON, written while the files are checked, waits in a
 * spool for it.
 */
function outputSink(
  target: string | undefined,
  streams: boolean,
): { sink: Sink; close(): void; dispose(): void } {
  if (!target) return { sink: write, close: () => {}, dispose: () => {} };
  let fd: number | undefined;
  const file: Sink = (chunk) => {
    if (fd === undefined) {
      mkdirSync(dirname(target), { recursive: true });
      fd = openSync(target, 'w');
    }
    if (typeof chunk === 'string') writeSync(fd, chunk);
    else writeSync(fd, chunk);
  };
  const early = streams ? fileSpool() : undefined;
  let closed = false;
  return {
    sink: (chunk) => (early && !closed ? early.write(chunk) : file(chunk)),
    close() {
      closed = true;
      early?.drain(file);
      file('');
      if (fd !== undefined) closeSync(fd);
      fd = undefined;
    },
    dispose() {
      early?.dispose();
      if (fd !== undefined) closeSync(fd);
      fd = undefined;
    },
  };
}

function fingerprinted(outcome: CheckedFile): FingerprintedFinding[] {
  return outcome.report.findings.map((f) => ({
    rule: f.ruleId,
    fingerprint: f.fingerprint?.id ?? '',
    where: f.fingerprint?.where ?? '',
    ...(f.fingerprint?.also ? { also: f.fingerprint.also } : {}),
  }));
}

/** Leave out the file's findings the baseline holds, from the report and from the exit code; how many. */
function applyBaseline(baseline: Baseline, outcome: CheckedFile): number {
  const holds = baseline.baselined(baseline.pathOf(outcome.path), fingerprinted(outcome));
  const before = outcome.report.findings.length;
  outcome.report.findings = outcome.report.findings.filter((_, i) => !holds[i]);
  return before - outcome.report.findings.length;
}

/**
 * Write the baseline: the analysed files' entries are their current findings (`current`, by
 * the baseline's path of each); entries of files the run covered but did not find are dropped;
 * entries of files outside the run are kept.
 */
function updateBaseline(
  baseline: Baseline,
  options: Options,
  current: Map<string, FingerprintedFinding[]>,
  targets: Target[],
): void {
  const folder = dirname(baseline.file);
  const partial = options.changedSince !== undefined || options.stdinFilename !== undefined;
  const covers = (path: string) => {
    if (partial) return false;
    const absolute = resolve(folder, path);
    return targets.some((t) =>
      t.folder ? absolute === t.path || absolute.startsWith(t.path + sep) : absolute === t.path,
    );
  };
  const { baseline: next, added, dropped, kept } = baseline.updated(current, covers);
  mkdirSync(folder, { recursive: true });
  next.write();
  const plural = (n: number) => `${n} finding${n === 1 ? '' : 's'}`;
  process.stderr.write(
    `cloud-lessons: wrote ${relative(process.cwd(), baseline.file) || baseline.file} with ${plural(next.size)}` +
      ` (${added} new, ${dropped} no longer found and dropped${kept > 0 ? `, ${kept} of files outside this run kept` : ''}).\n`,
  );
}

/**
 * The project of a run: bounded by the repository it starts in (or the current folder), and by
 * their own repository (or folder) for targets elsewhere.
 */
function projectFor(options: Options, cwd: string, targets: Target[]): Project {
  const roots = [repositoryTop(cwd) ?? cwd];
  for (const { path, folder } of targets) {
    const dir = folder ? path : dirname(path);
    if (!roots.some((root) => dir === root || dir.startsWith(root + sep)))
      roots.push(repositoryTop(dir) ?? dir);
  }
  return new Project({
    rules: allRules,
    roots,
    config: options.config,
    onInvalidConfig: 'throw',
    // A run reads the files as they are; it forgets only what it writes itself.
    filesStayPut: true,
    log: (message) => process.stderr.write(`cloud-lessons: ${message}\n`),
  });
}

/**
 * Every file of the targets checked (and fixed, with --fix), each outcome handed to `emit` in the
 * order of the report: a folder's files as the project finds them, a file named on the command
 * line even when its configuration ignores it. With --changed-since, only those of them that
 * changed. The CDK apps among them add the findings of their synthesized templates, on the CDK
 * source (see project/cdk-apps.ts). Returns the run's notes.
 */
async function check(
  project: Project,
  options: Options,
  cwd: string,
  targets: Target[],
  emit: (outcome: CheckedFile) => void,
): Promise<RunNote[]> {
  const display = (path: string) => relative(cwd, path).split(sep).join('/') || '.';
  // Fixes are computed only for the outputs that show them, and kept only as far as they show
  // them: SARIF prints the edits, JSON and text only whether there is a fix and its kind.
  const withFixes: FixDetail =
    options.format === 'sarif'
      ? true
      : options.format === 'json' || options.format === 'text'
        ? 'kind'
        : false;
  const fix = options.fix && { kinds: options.fix };
  const extras = {
    fingerprints: !!options.baseline || options.format === 'sarif',
    suppressed: options.format === 'sarif',
    unusedSuppressions: options.reportUnusedSuppressions,
  };
  const cdkOptions = { display, withFixes, ...extras };
  const emitAll = ({ outcomes, notes }: { outcomes: CheckedFile[]; notes: RunNote[] }) => {
    for (const outcome of outcomes) emit(outcome);
    return notes;
  };
  if (options.stdinFilename) {
    const path = options.stdinFilename;
    const text = readFileSync(0, 'utf8');
    const stdinText = (p: string) => (p === path ? text : undefined);
    const outcome = await checkFile(project, path, display(path), { withFixes, text, ...extras });
    const apps = new CdkApps(project, { text: stdinText });
    return emitAll(
      await withCdkOutcomes(project, apps, [outcome], {
        ...cdkOptions,
        text: stdinText,
        covers: () => false,
      }),
    );
  }
  let changed: Set<string> | undefined;
  if (options.changedSince !== undefined) {
    try {
      changed = new Set(changedFiles(options.changedSince, cwd));
    } catch (error) {
      if (error instanceof GitError) throw new UsageError(error.message);
      throw error;
    }
  }
  const apps = new CdkApps(project);
  const covers = (path: string) =>
    (!changed || changed.has(path)) &&
    targets.some((t) => t.folder && (path === t.path || path.startsWith(t.path + sep)));
  // The baseline is the tool's own file, not the project's.
  const seen = new Set<string>(options.baseline ? [options.baseline.path] : []);
  /** The files to check, target after target, after the files of the target that could not be read. */
  function* planned(): Generator<CheckedFile | string> {
    for (const { path, folder } of targets) {
      const unread: CheckedFile[] = [];
      const files = folder
        ? project.files(path, {
            onError: (where, message) => unread.push(unreadFile(project, where, display(where), message)),
          })
        : [path];
      yield* unread;
      for (const file of files) {
        if ((changed && !changed.has(file)) || seen.has(file)) continue;
        // CDK wrote it (a cloud assembly in a folder cdk.json names): its app's analysis reads it.
        if (folder && apps.isGenerated(file)) continue;
        seen.add(file);
        yield file;
      }
    }
  }
  if (fix) {
    // Every file is fixed first: the CDK findings' fixes edit the source files on the text the
    // code rules' fixes left, and the sources they fix are checked again. The outcomes are kept
    // until then (a fixed run has few findings left).
    const outcomes: CheckedFile[] = [];
    // Walked a target at a time, as the fixes of one may add files to the next.
    for (const item of planned())
      outcomes.push(
        typeof item === 'string'
          ? await checkFile(project, item, display(item), { fix, withFixes, ...extras })
          : item,
      );
    const checked = outcomes.filter((o) => o.analysed).map((o) => o.path);
    const named = new Set(checked);
    const fixed = await fixCdkSources(project, checked, fix.kinds, (p) => named.has(p) || covers(p));
    // A source also analysed as code is checked again, on its fixed text, without fixing it twice.
    for (const [i, outcome] of outcomes.entries())
      if (fixed.counts.has(outcome.path))
        outcomes[i] = {
          ...(await checkFile(project, outcome.path, display(outcome.path), { withFixes, ...extras })),
          fixed: outcome.fixed,
        };
    return emitAll(await withCdkOutcomes(project, apps, outcomes, { ...cdkOptions, covers, fixed }));
  }
  // Without fixes the CDK apps are analysed first, from the list of files, so that each file
  // can be written with its CDK findings as soon as it is checked.
  const plan = [...planned()];
  const run = await cdkRunOutcomes(
    apps,
    plan.filter((item) => typeof item === 'string'),
  );
  const analysed = new Set<string>();
  for (const item of plan) {
    if (typeof item !== 'string') {
      emit(item);
      continue;
    }
    const outcome = await checkFile(project, item, display(item), { withFixes, ...extras });
    if (outcome.analysed) {
      analysed.add(item);
      addCdkFindings(project, apps, run, outcome, { ...cdkOptions, covers });
    }
    emit(outcome);
  }
  for (const outcome of cdkOwnOutcomes(project, run, (path) => analysed.has(path), { ...cdkOptions, covers }))
    emit(outcome);
  return cdkNotes(run, display);
}

/** The lesson report (markdown or html). */
function render(report: RunReport, options: Options, cwd: string, project: Project): string {
  // Links in the lesson report are relative to where the report is written.
  const reportDir = options.output ? dirname(resolve(cwd, options.output)) : cwd;
  const linkTo: LinkTo = (path, range) =>
    relativeLink(relative(reportDir, resolve(cwd, path)).split(sep).join('/') || '.', range);
  const rootConfig = project.configFor(resolve(cwd, 'report'));
  const lessons = scoreLessons(report, {
    subject: options.namedTargets ? options.targets.join(', ') : basename(cwd),
    settingOf: (rule) => rootConfig.chosenSetting(rule),
    applications: applicationFacts(report, project.applications, {
      absolute: (path) => resolve(cwd, path),
      display: (path) => relative(cwd, path).split(sep).join('/') || '.',
      read: (path) => project.workspaceFor(path).read(path),
    }),
  });
  return options.format === 'markdown' ? formatMarkdown(lessons, linkTo) : formatHtml(lessons, linkTo);
}

/** Set once the reader of standard output has gone (`| head`): the rest is not written. */
let stdoutClosed = false;

process.stdout.on('error', (error: NodeJS.ErrnoException) => {
  if (error.code === 'EPIPE') stdoutClosed = true;
  else throw error;
});

function write(text: string | Uint8Array): void {
  if (stdoutClosed) return;
  try {
    process.stdout.write(text);
  } catch (error) {
    if ((error as NodeJS.ErrnoException).code === 'EPIPE') stdoutClosed = true;
    else throw error;
  }
}

function useColor(): boolean {
  return !!process.stdout.isTTY && !process.env.NO_COLOR && process.env.TERM !== 'dumb';
}

main(process.argv.slice(2)).then(
  (code) => {
    process.exitCode = code;
  },
  (error: unknown) => {
    if (error instanceof UsageError || error instanceof ConfigError || error instanceof BaselineError) {
      process.stderr.write(`cloud-lessons: ${error.message}\n`);
      if (error instanceof UsageError) process.stderr.write('Run cloud-lessons --help for the options.\n');
    } else {
      const message = error instanceof Error ? (error.stack ?? error.message) : String(error);
      process.stderr.write(`cloud-lessons: internal error, please report it: ${message}\n`);
    }
    process.exitCode = 2;
  },
);
