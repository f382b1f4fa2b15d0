import { isLessonId, lessonIds, type LessonId } from '../lessons/catalogue';
import { parseJson } from './parse/json';
import { asMap, asSeq, scalarText, type DataNode } from './parse/tree';
import { parseYaml } from './parse/yaml';
import { severities, type RuleMeta, type Severity } from './rule';
import type { Span } from './text';

/**
 * The `.cloud-lessons.yaml` format: parsed and validated here, with exact spans for every
 * problem. Finding the files, merging them and applying them to a file is the project's job
 * (server/src/project/config.ts); the engine only needs `RuleConfig`.
 */

export type Setting = Severity | 'off';
const settings: readonly Setting[] = [...severities, 'off'];

export const configFileNames = ['.cloud-lessons.yaml', '.cloud-lessons.yml'];

/** The built-in presets a configuration can extend. */
export const presetNames = ['recommended', 'strict'] as const;
export type PresetName = (typeof presetNames)[number];

export interface RuleSettings {
  rules: Record<string, Setting>;
  lessons: Partial<Record<LessonId, Setting>>;
}

/** Settings for the files matching `files` (globs relative to the configuration's folder). */
export interface Override extends RuleSettings {
  files: string[];
}

export interface ConfigData extends RuleSettings {
  /** Built-in presets (`recommended`, `strict`) or paths of other configuration files, in order. */
  extends: string[];
  /** Stop looking for configuration files in the folders above this one. */
  root: boolean;
  /** gitignore-style patterns, relative to the folder of the config file. */
  ignore: string[];
  /** The lowest severity that makes the CLI exit with 1; unset: the parent's, else warning. */
  failOn?: Severity;
  overrides: Override[];
}

export interface ConfigProblem {
  message: string;
  span: Span;
}

export const emptyConfigData = (): ConfigData => ({
  extends: [],
  root: false,
  rules: {},
  lessons: {},
  ignore: [],
  overrides: [],
});

const topLevelKeys = ['extends', 'root', 'rules', 'lessons', 'ignore', 'failOn', 'overrides'];

/** What the engine asks of a configuration, whatever assembled it. */
export interface RuleConfig {
  /** The setting the user chose for this rule (directly or through its lesson), if any. */
  chosenSetting(rule: RuleMeta): Setting | undefined;
  /** Whether the file is excluded from analysis. */
  isIgnored(path: string): boolean;
}

/** No configuration: every rule at its default, nothing ignored. */
export const defaultRuleConfig: RuleConfig = {
  chosenSetting: () => undefined,
  isIgnored: () => false,
};

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
      message: `The configuration must be a mapping (${topLevelKeys.join(':, ')}:).`,
      span: parsed.root.span,
    });
    return { data, problems };
  }
  const known = new Set(ruleIds);
  for (const pair of root.pairs) {
    const key = String(pair.key.value);
    if (key === 'rules' || key === 'lessons') {
      readSettings(key, pair.value, data, known, ruleIds, problems);
    } else if (key === 'extends') {
      for (const item of stringList(pair.value, 'extends', 'a preset name or a path', problems)) {
        const value = item.value;
        if (isPresetName(value) || /\.(ya?ml|json)$/i.test(value)) data.extends.push(value);
        else {
          const hint = closest(value, presetNames);
          problems.push({
            message: `"${value}" is neither a preset (${presetNames.join(', ')}) nor a configuration file (.yaml).${hint ? ` Did you mean "${hint}"?` : ''}`,
            span: item.span,
          });
        }
      }
    } else if (key === 'root') {
      const scalar = pair.value.type === 'scalar' ? pair.value : undefined;
      if (scalar && typeof scalar.value === 'boolean') data.root = scalar.value;
      else problems.push({ message: '"root" must be true or false.', span: pair.value.span });
    } else if (key === 'ignore') {
      for (const item of stringList(pair.value, 'ignore', 'a glob pattern', problems))
        data.ignore.push(item.value);
    } else if (key === 'failOn') {
      const value = scalarText(pair.value);
      if (value && (severities as string[]).includes(value)) data.failOn = value as Severity;
      else
        problems.push({
          message: `"failOn" must be one of ${severities.join(', ')}.`,
          span: pair.value.span,
        });
    } else if (key === 'overrides') {
      readOverrides(pair.value, data, known, ruleIds, problems);
    } else {
      const hint = closest(key, topLevelKeys);
      problems.push({
        message: `Unknown setting "${key}".${hint ? ` Did you mean "${hint}"?` : ''}`,
        span: pair.key.span,
      });
    }
  }
  return { data, problems };
}

export function isPresetName(name: string): name is PresetName {
  return (presetNames as readonly string[]).includes(name);
}

function readSettings(
  key: 'rules' | 'lessons',
  node: DataNode,
  into: RuleSettings,
  known: Set<string>,
  ruleIds: readonly string[],
  problems: ConfigProblem[],
): void {
  for (const entry of mapEntries(node, key, problems)) {
    const id = String(entry.key.value);
    if (key === 'rules' ? !known.has(id) : !isLessonId(id)) {
      const hint = closest(id, key === 'rules' ? ruleIds : lessonIds);
      problems.push({
        message: `Unknown ${key === 'rules' ? 'rule' : 'lesson'} "${id}".${hint ? ` Did you mean "${hint}"?` : ''}`,
        span: entry.key.span,
      });
      continue;
    }
    const value = settingOf(entry.value, problems);
    if (!value) continue;
    if (key === 'rules') into.rules[id] = value;
    else into.lessons[id as LessonId] = value;
  }
}

function readOverrides(
  node: DataNode,
  data: ConfigData,
  known: Set<string>,
  ruleIds: readonly string[],
  problems: ConfigProblem[],
): void {
  const list = asSeq(node);
  if (!list) {
    problems.push({
      message: '"overrides" must be a list of entries with files: and rules: or lessons:.',
      span: node.span,
    });
    return;
  }
  for (const item of list.items) {
    const entry = asMap(item);
    if (!entry) {
      problems.push({
        message: 'Each "overrides" entry must be a mapping (files:, rules:, lessons:).',
        span: item.span,
      });
      continue;
    }
    const override: Override = { files: [], rules: {}, lessons: {} };
    let hasFiles = false;
    for (const pair of entry.pairs) {
      const key = String(pair.key.value);
      if (key === 'files') {
        hasFiles = true;
        for (const glob of stringList(pair.value, 'files', 'a glob pattern', problems))
          override.files.push(glob.value);
      } else if (key === 'rules' || key === 'lessons') {
        readSettings(key, pair.value, override, known, ruleIds, problems);
      } else {
        const hint = closest(key, ['files', 'rules', 'lessons']);
        problems.push({
          message: `Unknown override setting "${key}".${hint ? ` Did you mean "${hint}"?` : ''}`,
          span: pair.key.span,
        });
      }
    }
    if (!hasFiles)
      problems.push({ message: 'An override needs "files": the globs it applies to.', span: entry.span });
    else data.overrides.push(override);
  }
}

/** A string or a list of strings. */
function stringList(
  node: DataNode,
  name: string,
  what: string,
  problems: ConfigProblem[],
): { value: string; span: Span }[] {
  const single = scalarText(node);
  if (single && node.type === 'scalar') return [{ value: single, span: node.span }];
  const list = asSeq(node);
  if (!list) {
    problems.push({ message: `"${name}" must be ${what} or a list of them.`, span: node.span });
    return [];
  }
  const items: { value: string; span: Span }[] = [];
  for (const item of list.items) {
    const value = scalarText(item);
    if (value) items.push({ value, span: item.span });
    else problems.push({ message: `Each "${name}" entry must be ${what}.`, span: item.span });
  }
  return items;
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
  // Long words are not typos of short ids; comparing them would only cost time.
  if (Math.abs(a.length - b.length) > 10 || a.length > 200) return Infinity;
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
