import { existsSync, mkdirSync, statSync, writeFileSync } from 'node:fs';
import { basename, dirname, relative, resolve, sep } from 'node:path';
import { parseArgs } from 'node:util';
import { severities, type FixKind, type Severity } from './engine/rule';
import { ConfigError } from './project/config';
import { formatPrintedConfig, printedConfig } from './project/print-config';
import { Project, type ConfigMode } from './project/project';
import { repositoryTop } from './project/roots';
import { checkFile, runReport, type CheckedFile } from './project/run';
import { formatHtml } from './report/html';
import { formatJson } from './report/json';
import { scoreLessons } from './report/lessons';
import { formatMarkdown, relativeLink, type LinkTo } from './report/markdown';
import { severityRank, type RunReport } from './report/model';
import { formatSarif } from './report/sarif';
import { formatText } from './report/text';
import { allRules } from './rules';
import { version } from './version';

const usage = `Usage: cloud-lessons [options] [paths...]

Checks CloudFormation/SAM templates, Dockerfiles, compose files and JavaScript,
TypeScript and Python code for the mistakes the cloud punishes. Folders are
walked honouring .gitignore; the default path is the current folder.

Options:
  --format FORMAT           text, json, sarif, or the lesson report as markdown or
                            html (default: text)
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
  --list-rules              print the rules and exit
  --version                 print the version and exit
  -h, --help                print this help and exit

Exit codes: 0 nothing at or above the failing severity; 1 findings (or files that
could not be analysed); 2 a usage or internal error.
`;

class UsageError extends Error {}

const formats = ['text', 'json', 'sarif', 'markdown', 'html'] as const;
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
}

/** What the user asked for, or a UsageError that says what is wrong. */
function parseOptions(argv: string[]): Options | 'help' | 'version' | 'list-rules' {
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
  if (values['list-rules']) return 'list-rules';
  const format = values.format ?? 'text';
  if (!(formats as readonly string[]).includes(format))
    throw new UsageError(`Unknown format "${format}": use ${formats.join(', ')}.`);
  const failOn = values['fail-on'];
  if (failOn !== undefined && !(severities as string[]).includes(failOn))
    throw new UsageError(`Unknown severity "${failOn}" for --fail-on: use ${severities.join(', ')}.`);
  if (values['fix-scaffolds'] && !values.fix)
    throw new UsageError('--fix-scaffolds goes with --fix: add --fix to apply fixes.');
  if (values.config && values['no-config']) throw new UsageError('Use either --config FILE or --no-config.');
  const cwd = process.cwd();
  let config: ConfigMode = { kind: 'discover' };
  if (values['no-config']) config = { kind: 'none' };
  else if (values.config) {
    const path = resolve(cwd, values.config);
    if (!existsSync(path)) throw new UsageError(`No such configuration file: ${values.config}`);
    config = { kind: 'file', path };
  }
  return {
    format: format as Format,
    output: values.output,
    fix: values.fix ? (values['fix-scaffolds'] ? ['safe', 'scaffold'] : ['safe']) : undefined,
    config,
    printConfig: values['print-config'],
    failOn: failOn as Severity | undefined,
    exitZero: values['exit-zero'] ?? false,
    targets: positionals.length > 0 ? positionals : ['.'],
    namedTargets: positionals.length > 0,
  };
}

async function main(argv: string[]): Promise<number> {
  const options = parseOptions(argv);
  if (options === 'help') write(usage);
  else if (options === 'version') write(`${version}\n`);
  else if (options === 'list-rules') {
    for (const rule of allRules)
      write(
        `${rule.id.padEnd(56)} ${rule.severity.padEnd(8)} ${rule.kinds.join(',').padEnd(14)} ${rule.title}\n`,
      );
  }
  if (typeof options === 'string') return 0;

  const cwd = process.cwd();
  const targets = options.targets.map((target) => {
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
  const outcomes = await check(project, options, cwd, targets);
  const report = runReport(project, cwd, outcomes);
  const output = render(report, options, cwd, project);
  if (options.output) {
    const target = resolve(cwd, options.output);
    mkdirSync(dirname(target), { recursive: true });
    writeFileSync(target, output);
  } else write(output);
  if (options.fix && options.format === 'text') {
    const fixed = outcomes.reduce((n, o) => n + o.fixed, 0);
    const fixedFiles = outcomes.filter((o) => o.fixed > 0).length;
    process.stderr.write(
      `Fixed ${fixed} finding${fixed === 1 ? '' : 's'} in ${fixedFiles} file${fixedFiles === 1 ? '' : 's'}.\n`,
    );
  }
  if (options.exitZero) return 0;
  const failing = outcomes.some((o) =>
    o.report.findings.some((f) => severityRank[f.severity] >= severityRank[options.failOn ?? o.failOn]),
  );
  return failing || report.errors.length > 0 ? 1 : 0;
}

/**
 * The project of a run: bounded by the repository it starts in (or the current folder), and by
 * their own repository (or folder) for targets elsewhere.
 */
function projectFor(options: Options, cwd: string, targets: { path: string; folder: boolean }[]): Project {
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
    log: (message) => process.stderr.write(`cloud-lessons: ${message}\n`),
  });
}

/**
 * Every file of the targets checked (and fixed, with --fix): a folder's files as the project
 * finds them, a file named on the command line even when its configuration ignores it.
 */
async function check(
  project: Project,
  options: Options,
  cwd: string,
  targets: { path: string; folder: boolean }[],
): Promise<CheckedFile[]> {
  const display = (path: string) => relative(cwd, path).split(sep).join('/') || '.';
  // Fixes are computed only for the outputs that show them.
  const withFixes = options.format !== 'markdown' && options.format !== 'html';
  const fix = options.fix && { kinds: options.fix };
  const outcomes: CheckedFile[] = [];
  for (const { path, folder } of targets) {
    const files = folder ? project.files(path) : [path];
    for (const file of files)
      outcomes.push(await checkFile(project, file, display(file), { fix, withFixes }));
  }
  return outcomes;
}

function render(report: RunReport, options: Options, cwd: string, project: Project): string {
  if (options.format === 'json') return formatJson(report);
  if (options.format === 'sarif') return formatSarif(report);
  if (options.format === 'text') return formatText(report, !options.output && useColor());
  // Links in the lesson report are relative to where the report is written.
  const reportDir = options.output ? dirname(resolve(cwd, options.output)) : cwd;
  const linkTo: LinkTo = (path, range) =>
    relativeLink(relative(reportDir, resolve(cwd, path)).split(sep).join('/') || '.', range);
  const rootConfig = project.configFor(resolve(cwd, 'report'));
  const lessons = scoreLessons(report, {
    subject: options.namedTargets ? options.targets.join(', ') : basename(cwd),
    settingOf: (rule) => rootConfig.chosenSetting(rule),
  });
  return options.format === 'markdown' ? formatMarkdown(lessons, linkTo) : formatHtml(lessons, linkTo);
}

function write(text: string): void {
  process.stdout.write(text);
}

function useColor(): boolean {
  return !!process.stdout.isTTY && !process.env.NO_COLOR && process.env.TERM !== 'dumb';
}

main(process.argv.slice(2)).then(
  (code) => {
    process.exitCode = code;
  },
  (error: unknown) => {
    if (error instanceof UsageError || error instanceof ConfigError) {
      process.stderr.write(`cloud-lessons: ${error.message}\n`);
      if (error instanceof UsageError) process.stderr.write('Run cloud-lessons --help for the options.\n');
    } else {
      const message = error instanceof Error ? (error.stack ?? error.message) : String(error);
      process.stderr.write(`cloud-lessons: internal error, please report it: ${message}\n`);
    }
    process.exitCode = 2;
  },
);
