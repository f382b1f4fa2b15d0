import { existsSync, readFileSync } from 'node:fs';
import { dirname, isAbsolute, join, relative, sep } from 'node:path';
import ignore, { type Ignore } from 'ignore';
import { isLessonId, lessonIds, type LessonId } from '../lessons/catalogue';
import { parseYaml } from './parse/yaml';
import { parseJson } from './parse/json';
import { asMap, asSeq, scalarText, type DataNode } from './parse/tree';
import { severities, type RuleMeta, type Severity } from './rule';
import type { Span } from './text';

export type Setting = Severity | 'off';
const settings: readonly Setting[] = [...severities, 'off'];

export const configFileNames = ['.cloud-lessons.yaml', '.cloud-lessons.yml'];

export interface RuleSettings {
  rules: Record<string, Setting>;
  lessons: Partial<Record<LessonId, Setting>>;
}

export interface ConfigData extends RuleSettings {
  /** gitignore-style patterns, relative to the folder of the config file. */
  ignore: string[];
  /** The lowest severity that makes the CLI exit with 1. */
  failOn: Severity;
}

export interface ConfigProblem {
  message: string;
  span: Span;
}

export const emptyConfigData = (): ConfigData => ({ rules: {}, lessons: {}, ignore: [], failOn: 'warning' });

/**
 * Read `.cloud-lessons.yaml` text. Problems carry exact spans so that an editor can underline
 * them in the file; valid entries are kept even when others are wrong.
 */
export function parseConfig(
  text: string,
  ruleIds: readonly string[],
): { data: ConfigData; problems: ConfigProblem[] } {
  const data = emptyConfigData();
  const problems: ConfigProblem[] = [];
  const parsed = text.trimStart().startsWith('{') ? parseJson(text) : parseYaml(text);
  for (const p of parsed.problems) if (p.fatal) problems.push({ message: p.message, span: p.span });
  if (!parsed.root) return { data, problems };
  if (parsed.root.type === 'scalar' && parsed.root.value === null) return { data, problems };
  const root = asMap(parsed.root);
  if (!root) {
    problems.push({
      message: 'The configuration must be a mapping (rules:, lessons:, ignore:, failOn:).',
      span: parsed.root.span,
    });
    return { data, problems };
  }
  const known = new Set(ruleIds);
  for (const pair of root.pairs) {
    const key = String(pair.key.value);
    if (key === 'rules') {
      for (const entry of mapEntries(pair.value, 'rules', problems)) {
        const id = String(entry.key.value);
        if (!known.has(id)) {
          const hint = closest(id, ruleIds);
          problems.push({
            message: `Unknown rule "${id}".${hint ? ` Did you mean "${hint}"?` : ''}`,
            span: entry.key.span,
          });
          continue;
        }
        const value = settingOf(entry.value, problems);
        if (value) data.rules[id] = value;
      }
    } else if (key === 'lessons') {
      for (const entry of mapEntries(pair.value, 'lessons', problems)) {
        const id = String(entry.key.value);
        if (!isLessonId(id)) {
          const hint = closest(id, lessonIds);
          problems.push({
            message: `Unknown lesson "${id}".${hint ? ` Did you mean "${hint}"?` : ''}`,
            span: entry.key.span,
          });
          continue;
        }
        const value = settingOf(entry.value, problems);
        if (value) data.lessons[id] = value;
      }
    } else if (key === 'ignore') {
      const list = asSeq(pair.value);
      if (!list) {
        problems.push({ message: '"ignore" must be a list of glob patterns.', span: pair.value.span });
        continue;
      }
      for (const item of list.items) {
        const pattern = scalarText(item);
        if (pattern) data.ignore.push(pattern);
        else problems.push({ message: 'Each "ignore" entry must be a glob pattern.', span: item.span });
      }
    } else if (key === 'failOn') {
      const value = scalarText(pair.value);
      if (value && (severities as string[]).includes(value)) data.failOn = value as Severity;
      else
        problems.push({
          message: `"failOn" must be one of ${severities.join(', ')}.`,
          span: pair.value.span,
        });
    } else {
      const hint = closest(key, ['rules', 'lessons', 'ignore', 'failOn']);
      problems.push({
        message: `Unknown setting "${key}".${hint ? ` Did you mean "${hint}"?` : ''}`,
        span: pair.key.span,
      });
    }
  }
  return { data, problems };
}

function mapEntries(node: DataNode, name: string, problems: ConfigProblem[]) {
  const map = asMap(node);
  if (!map) {
    if (!(node.type === 'scalar' && node.value === null)) {
      problems.push({
        message: `"${name}" must be a mapping of ids to ${settings.join('|')}.`,
        span: node.span,
      });
    }
    return [];
  }
  return map.pairs;
}

function settingOf(node: DataNode, problems: ConfigProblem[]): Setting | undefined {
  const scalar = node.type === 'scalar' ? node : undefined;
  // YAML 1.1 habits: `off`/`false` both mean off.
  const value = scalar?.value === false ? 'off' : scalarText(node)?.toLowerCase();
  if (value && (settings as string[]).includes(value)) return value as Setting;
  problems.push({ message: `Expected one of ${settings.join(', ')}.`, span: node.span });
  return undefined;
}

function closest(word: string, candidates: readonly string[]): string | undefined {
  let best: string | undefined;
  let bestDistance = Math.max(3, Math.floor(word.length / 3)) + 1;
  for (const c of candidates) {
    const d = editDistance(word.toLowerCase(), c.toLowerCase());
    if (d < bestDistance) {
      best = c;
      bestDistance = d;
    }
  }
  return best;
}

function editDistance(a: string, b: string): number {
  const row = Array.from({ length: b.length + 1 }, (_, i) => i);
  for (let i = 1; i <= a.length; i++) {
    let previous = row[0];
    row[0] = i;
    for (let j = 1; j <= b.length; j++) {
      const current = row[j];
      row[j] = Math.min(row[j] + 1, row[j - 1] + 1, previous + (a[i - 1] === b[j - 1] ? 0 : 1));
      previous = current;
    }
  }
  return row[b.length];
}

/** The configuration in force: the file's settings, then the editor's on top. */
export class Config {
  private readonly ignorer: Ignore | undefined;

  constructor(
    readonly data: ConfigData = emptyConfigData(),
    /** The folder `ignore` patterns are relative to. */
    readonly root?: string,
    private readonly overrides: RuleSettings = { rules: {}, lessons: {} },
  ) {
    this.ignorer = data.ignore.length > 0 ? ignore().add(data.ignore) : undefined;
  }

  withOverrides(overrides: RuleSettings): Config {
    return new Config(this.data, this.root, overrides);
  }

  /** Asked for every rule of every file: answered once per rule. */
  private readonly chosen = new Map<string, Setting | undefined>();

  /** The setting the user chose for this rule (rule first, then its lesson), if any. */
  chosenSetting(rule: RuleMeta): Setting | undefined {
    if (this.chosen.has(rule.id)) return this.chosen.get(rule.id);
    const setting =
      this.overrides.rules[rule.id] ??
      this.data.rules[rule.id] ??
      this.overrides.lessons[rule.lesson] ??
      this.data.lessons[rule.lesson];
    this.chosen.set(rule.id, setting);
    return setting;
  }

  isIgnored(path: string): boolean {
    if (!this.ignorer || !this.root || !isAbsolute(path)) return false;
    const rel = relative(this.root, path);
    if (!rel || rel.startsWith('..') || isAbsolute(rel)) return false;
    return this.ignorer.ignores(rel.split(sep).join('/'));
  }
}

/** The nearest config file at or above `start`, stopping at a repository root. */
export function findConfigFile(start: string): string | undefined {
  let dir = start;
  for (;;) {
    for (const name of configFileNames) {
      const candidate = join(dir, name);
      if (existsSync(candidate)) return candidate;
    }
    if (existsSync(join(dir, '.git'))) return undefined;
    const parent = dirname(dir);
    if (parent === dir) return undefined;
    dir = parent;
  }
}

export class ConfigError extends Error {}

/** Load a config file; invalid content throws a ConfigError that lists every problem with its line. */
export function loadConfigFile(path: string, ruleIds: readonly string[]): Config {
  let text: string;
  try {
    text = readFileSync(path, 'utf8');
  } catch (error) {
    throw new ConfigError(`Cannot read the configuration ${path}: ${(error as Error).message}`);
  }
  const { data, problems } = parseConfig(text, ruleIds);
  if (problems.length > 0) {
    const lineOf = (offset: number) => text.slice(0, offset).split('\n').length;
    const list = problems.map((p) => `  ${path}:${lineOf(p.span.start)}: ${p.message}`).join('\n');
    throw new ConfigError(`The configuration is not valid:\n${list}`);
  }
  return new Config(data, dirname(path));
}
