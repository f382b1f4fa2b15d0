import { existsSync, mkdirSync, readFileSync, statSync, writeFileSync } from 'node:fs';
import { basename, dirname, join, relative, resolve, sep } from 'node:path';
import { parseArgs } from 'node:util';
import { Analyzer } from './engine/analyze';
import { Config, ConfigError, findConfigFile, loadConfigFile } from './engine/config';
import { maxAnalysedLength } from './engine/document';
import { fixAll } from './engine/fixes';
import { severities, type Severity } from './engine/rule';
import { LineIndex } from './engine/text';
import { allRules } from './rules';
import { formatHtml } from './report/html';
import { formatJson } from './report/json';
import { scoreLessons } from './report/lessons';
import { formatMarkdown, relativeLink, type LinkTo } from './report/markdown';
import { severityRank, toReportFinding, type FileReport, type RunReport } from './report/model';
import { formatSarif } from './report/sarif';
import { formatText } from './report/text';
import { walkFiles } from './walk';
import { version } from './version';

const usage = `Usage: cloud-lessons [options] [paths...]

Checks CloudFormation/SAM templates, Dockerfiles, compose files and JavaScript,
TypeScript and Python code for the mistakes the cloud punishes. Folders are
walked honouring .gitignore; the default path is the current folder.

Options:
  --format FORMAT           text, json, sarif, or the lesson report as markdown or
                            html (default: text)
  --output FILE             write the report to FILE instead of stdout
  --fix                     apply every available fix to the files, then report what is left
  --config FILE             use this configuration file (default: the nearest .cloud-lessons.yaml)
  --no-config               ignore configuration files
  --fail-on SEVERITY        lowest severity that fails the run: error|warning|info|hint
                            (default: failOn from the configuration, else warning)
  --exit-zero               exit 0 even when there are findings (for demos and reports)
  --list-rules              print the rules and exit
  --version                 print the version and exit
  -h, --help                print this help and exit

Exit codes: 0 nothing at or above the failing severity; 1 findings (or files that
could not be analysed); 2 a usage or internal error.
`;

class UsageError extends Error {}

async function main(argv: string[]): Promise<number> {
  let parsed;
  try {
    parsed = parseArgs({
      args: argv,
      allowPositionals: true,
      options: {
        format: { type: 'string', default: 'text' },
        output: { type: 'string' },
        fix: { type: 'boolean', default: false },
        config: { type: 'string' },
        'no-config': { type: 'boolean', default: false },
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
  if (values.help) {
    process.stdout.write(usage);
    return 0;
  }
  if (values.version) {
    process.stdout.write(`${version}\n`);
    return 0;
  }
  if (values['list-rules']) {
    for (const rule of allRules)
      process.stdout.write(
        `${rule.id.padEnd(56)} ${rule.severity.padEnd(8)} ${rule.kinds.join(',').padEnd(14)} ${rule.title}\n`,
      );
    return 0;
  }
  const format = values.format ?? 'text';
  if (!['text', 'json', 'sarif', 'markdown', 'html'].includes(format))
    throw new UsageError(`Unknown format "${format}": use text, json, sarif, markdown or html.`);
  const failOnOption = values['fail-on'];
  if (failOnOption !== undefined && !(severities as string[]).includes(failOnOption)) {
    throw new UsageError(`Unknown severity "${failOnOption}" for --fail-on: use ${severities.join(', ')}.`);
  }

  const cwd = process.cwd();
  const config = loadConfig(values.config, values['no-config'] ?? false, cwd);
  const failOn = (failOnOption as Severity | undefined) ?? config.data.failOn;
  const analyzer = new Analyzer({
    rules: allRules,
    config,
    log: (message) => process.stderr.write(`cloud-lessons: ${message}\n`),
  });

  const targets = positionals.length > 0 ? positionals : ['.'];
  const files: { path: string; explicit: boolean }[] = [];
  for (const target of targets) {
    const path = resolve(cwd, target);
    if (!existsSync(path)) throw new UsageError(`No such file or folder: ${target}`);
    if (statSync(path).isDirectory()) {
      for (const file of walkFiles(path)) files.push({ path: file, explicit: false });
    } else {
      files.push({ path, explicit: true });
    }
  }

  const report: RunReport = {
    tool: { name: 'cloud-lessons', version },
    root: cwd,
    files: [],
    errors: [],
    rules: allRules,
  };
  const display = (path: string) => relative(cwd, path).split(sep).join('/') || '.';
  let fixedFindings = 0;
  let fixedFiles = 0;
  for (const { path, explicit } of files) {
    if (config.isIgnored(path) && !explicit) continue;
    const size = statSync(path).size;
    if (size > maxAnalysedLength * 2) {
      report.errors.push({
        path: display(path),
        message: `too large to analyse (${(size / 1e6).toFixed(1)} MB)`,
      });
      continue;
    }
    let text = readFileSync(path, 'utf8');
    if (values.fix) {
      const fixed = await fixAll(analyzer, { path, text });
      if (fixed.applied > 0) {
        if (fixed.text !== text) writeFileSync(path, fixed.text);
        for (const created of fixed.newFiles) {
          const target = join(dirname(path), created.path);
          if (!existsSync(target)) writeFileSync(target, created.text);
        }
        text = fixed.text;
        fixedFindings += fixed.applied;
        fixedFiles++;
      }
    }
    const result = await analyzer.analyze({ path, text });
    const lines = new LineIndex(text);
    const fatal = result.problems.find((p) => p.fatal);
    if (fatal) {
      const at = lines.positionAt(fatal.span.start);
      report.errors.push({
        path: display(path),
        message: `${at.line + 1}:${at.character + 1}: ${fatal.message}`,
      });
    }
    const entry: FileReport = {
      path: display(path),
      kind: result.kind,
      findings: result.findings.map((f) => toReportFinding(f, lines)),
    };
    report.files.push(entry);
  }

  // Links in the lesson report are relative to where the report is written.
  const reportDir = values.output ? dirname(resolve(cwd, values.output)) : cwd;
  const linkTo: LinkTo = (path, range) =>
    relativeLink(relative(reportDir, resolve(cwd, path)).split(sep).join('/') || '.', range);
  const lessonReport = () =>
    scoreLessons(report, {
      subject: positionals.length > 0 ? positionals.join(', ') : basename(cwd),
      settingOf: (rule) => config.chosenSetting(rule),
    });
  const output =
    format === 'json'
      ? formatJson(report)
      : format === 'sarif'
        ? formatSarif(report)
        : format === 'markdown'
          ? formatMarkdown(lessonReport(), linkTo)
          : format === 'html'
            ? formatHtml(lessonReport(), linkTo)
            : formatText(report, !values.output && useColor());
  if (values.output) {
    const target = resolve(cwd, values.output);
    mkdirSync(dirname(target), { recursive: true });
    writeFileSync(target, output);
  } else process.stdout.write(output);
  if (values.fix && format === 'text') {
    process.stderr.write(
      `Fixed ${fixedFindings} finding${fixedFindings === 1 ? '' : 's'} in ${fixedFiles} file${fixedFiles === 1 ? '' : 's'}.\n`,
    );
  }

  if (values['exit-zero']) return 0;
  const failing = report.files.some((f) =>
    f.findings.some((x) => severityRank[x.severity] >= severityRank[failOn]),
  );
  return failing || report.errors.length > 0 ? 1 : 0;
}

function loadConfig(explicit: string | undefined, disabled: boolean, cwd: string): Config {
  if (disabled) return new Config();
  const ids = allRules.map((r) => r.id);
  if (explicit) {
    const path = resolve(cwd, explicit);
    if (!existsSync(path)) throw new UsageError(`No such configuration file: ${explicit}`);
    return loadConfigFile(path, ids);
  }
  const found = findConfigFile(cwd);
  return found ? loadConfigFile(found, ids) : new Config();
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
