import { closeSync, existsSync, mkdirSync, openSync, readFileSync, statSync, writeSync } from 'node:fs';
import { basename, dirname, relative, resolve, sep } from 'node:path';
import { parseArgs } from 'node:util';
import { severities, type FixKind, type Severity } from './engine/rule';
import { applicationFacts } from './project/app-view';
import { Baseline, BaselineError, type FingerprintedFinding } from './project/baseline';
import { CdkApps, fixCdkSources, withCdkOutcomes, type CdkFixes } from './project/cdk-apps';
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
import { formatGithub } from './report/github';
import { formatHtml } from './report/html';
import { jsonChunks } from './report/json';
import { formatJunit } from './report/junit';
import { scoreLessons } from './report/lessons';
import { formatMarkdown, relativeLink, type LinkTo } from './report/markdown';
import { severityRank, type FixDetail, type RunNote, type RunReport } from './report/model';
import { formatSarif } from './report/sarif';
import { formatText } from './report/text';
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
  const { outcomes, notes } = await check(project, options, cwd, targets);
  const codeScanning = options.format === 'sarif' || options.format === 'github';
  const report = runReport(project, cwd, outcomes, codeScanning ? (gitTopLevel(cwd) ?? cwd) : undefined);
  if (notes.length > 0) report.notes = notes;
  if (baseline && options.baseline?.update) updateBaseline(baseline, options, outcomes, targets);
  else if (baseline) applyBaseline(baseline, outcomes, report);
  // JSON a file at a time: its text grows with the findings, and need not be held whole.
  const output = options.format === 'json' ? jsonChunks(report) : [render(report, options, cwd, project)];
  if (options.output) {
    const target = resolve(cwd, options.output);
    mkdirSync(dirname(target), { recursive: true });
    const fd = openSync(target, 'w');
    try {
      for (const chunk of output) writeSync(fd, chunk);
    } finally {
      closeSync(fd);
    }
  } else for (const chunk of output) write(chunk);
  if (options.fix && options.format === 'text') {
    const fixed = outcomes.reduce((n, o) => n + o.fixed, 0);
    const fixedFiles = outcomes.filter((o) => o.fixed > 0).length;
    process.stderr.write(
      `Fixed ${fixed} finding${fixed === 1 ? '' : 's'} in ${fixedFiles} file${fixedFiles === 1 ? '' : 's'}.\n`,
    );
  }
  if (options.exitZero || options.baseline?.update) return 0;
  const failing = outcomes.some((o) =>
    o.report.findings.some((f) => severityRank[f.severity] >= severityRank[options.failOn ?? o.failOn]),
  );
  return failing || report.errors.length > 0 ? 1 : 0;
}

function fingerprinted(outcome: CheckedFile): FingerprintedFinding[] {
  return outcome.report.findings.map((f) => ({
    rule: f.ruleId,
    fingerprint: f.fingerprint?.id ?? '',
    where: f.fingerprint?.where ?? '',
    ...(f.fingerprint?.also ? { also: f.fingerprint.also } : {}),
  }));
}

/** Leave out the findings the baseline holds, from the report and from the exit code. */
function applyBaseline(baseline: Baseline, outcomes: CheckedFile[], report: RunReport): void {
  let held = 0;
  for (const outcome of outcomes) {
    const holds = baseline.baselined(baseline.pathOf(outcome.path), fingerprinted(outcome));
    const before = outcome.report.findings.length;
    outcome.report.findings = outcome.report.findings.filter((_, i) => !holds[i]);
    held += before - outcome.report.findings.length;
  }
  report.baseline = { file: baseline.file, held };
}

/**
 * Write the baseline: the analysed files' entries are their current findings; entries of files
 * the run covered but did not find are dropped; entries of files outside the run are kept.
 */
function updateBaseline(
  baseline: Baseline,
  options: Options,
  outcomes: CheckedFile[],
  targets: Target[],
): void {
  const current = new Map<string, FingerprintedFinding[]>();
  for (const outcome of outcomes)
    if (outcome.analysed) current.set(baseline.pathOf(outcome.path), fingerprinted(outcome));
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
 * Every file of the targets checked (and fixed, with --fix): a folder's files as the project
 * finds them, a file named on the command line even when its configuration ignores it. With
 * --changed-since, only those of them that changed. The CDK apps among them add the findings of
 * their synthesized templates, on the CDK source (see project/cdk-apps.ts).
 */
async function check(
  project: Project,
  options: Options,
  cwd: string,
  targets: Target[],
): Promise<{ outcomes: CheckedFile[]; notes: RunNote[] }> {
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
  if (options.stdinFilename) {
    const path = options.stdinFilename;
    const text = readFileSync(0, 'utf8');
    const stdinText = (p: string) => (p === path ? text : undefined);
    const outcome = await checkFile(project, path, display(path), { withFixes, text, ...extras });
    const apps = new CdkApps(project, { text: stdinText });
    return withCdkOutcomes(project, apps, [outcome], { ...cdkOptions, text: stdinText, covers: () => false });
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
  const outcomes: CheckedFile[] = [];
  const apps = new CdkApps(project);
  // The baseline is the tool's own file, not the project's.
  const seen = new Set<string>(options.baseline ? [options.baseline.path] : []);
  for (const { path, folder } of targets) {
    const unread: CheckedFile[] = [];
    const files = folder
      ? project.files(path, {
          onError: (where, message) => unread.push(unreadFile(project, where, display(where), message)),
        })
      : [path];
    outcomes.push(...unread);
    for (const file of files) {
      if ((changed && !changed.has(file)) || seen.has(file)) continue;
      // CDK wrote it (a cloud assembly in a folder cdk.json names): its app's analysis reads it.
      if (folder && apps.isGenerated(file)) continue;
      seen.add(file);
      outcomes.push(await checkFile(project, file, display(file), { fix, withFixes, ...extras }));
    }
  }
  const covers = (path: string) =>
    (!changed || changed.has(path)) &&
    targets.some((t) => t.folder && (path === t.path || path.startsWith(t.path + sep)));
  let fixed: CdkFixes | undefined;
  if (fix) {
    // The CDK findings' fixes edit the source files, on the text the code rules' fixes left.
    const checked = outcomes.filter((o) => o.analysed).map((o) => o.path);
    const named = new Set(checked);
    fixed = await fixCdkSources(project, checked, fix.kinds, (p) => named.has(p) || covers(p));
    // A source also analysed as code is checked again, on its fixed text, without fixing it twice.
    for (const [i, outcome] of outcomes.entries())
      if (fixed.counts.has(outcome.path))
        outcomes[i] = {
          ...(await checkFile(project, outcome.path, display(outcome.path), { withFixes, ...extras })),
          fixed: outcome.fixed,
        };
  }
  return withCdkOutcomes(project, apps, outcomes, { ...cdkOptions, covers, fixed });
}

function render(report: RunReport, options: Options, cwd: string, project: Project): string {
  if (options.format === 'sarif') return formatSarif(report);
  if (options.format === 'junit') return formatJunit(report);
  if (options.format === 'github') return formatGithub(report);
  if (options.format === 'text') return formatText(report, !options.output && useColor());
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

function write(text: string): void {
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
