import { readFileSync, statSync } from 'node:fs';
import { basename, dirname, isAbsolute, join, relative, resolve, sep } from 'node:path';
import ignore, { type Ignore } from 'ignore';
import picomatch from 'picomatch';
import {
  configFileNames,
  isPresetName,
  parseConfig,
  type ConfigData,
  type ConfigProblem,
  type PresetName,
  type RuleConfig,
  type RuleSettings,
  type Setting,
} from '../engine/config';
import type { RuleMeta, Severity } from '../engine/rule';
import { isWithin } from '../engine/workspace';
import type { LessonId } from '../lessons/catalogue';

/**
 * The effective configuration of a file: the built-in default (`recommended`), every
 * `.cloud-lessons.yaml` from its project's root down to its folder (nearer ones win; `root: true`
 * stops the search upward), each with its `extends:` first and its `overrides:` last, and the
 * editor's settings on top. Every value remembers where it came from, for `--print-config`.
 */

/** Where a setting came from. */
export interface Source {
  /** The configuration file, absolute; undefined for built-in presets and editor settings. */
  file?: string;
  /** `preset recommended`, `rules`, `lessons.local-state`, `overrides[1]`, `editor settings`, … */
  where: string;
}

/** One layer of settings, in the order they apply (later wins). */
interface Layer extends RuleSettings {
  source: Source;
  /** Only for paths these match (relative to `base`). */
  matches?: (path: string) => boolean;
}

export interface ConfigFile {
  path: string;
  data: ConfigData;
  problems: ConfigProblem[];
  /** Text the file was read from (for problem lines). */
  text: string;
}

/** Raised by `load` when a configuration file is invalid and the caller wants to stop (the CLI). */
export class ConfigError extends Error {}

export interface ChosenSetting {
  setting: Setting;
  source: Source;
}

interface Ignorer {
  base: string;
  rules: Ignore;
  source: Source;
}

/** What a folder's configuration is made of; shared by the configurations of its files. */
interface ConfigParts {
  layers: readonly Layer[];
  ignorers: readonly Ignorer[];
  failOn: { value: Severity; source: Source };
  /** The configuration files that took part, outermost first. */
  files: readonly string[];
  root: string;
  /**
   * The per-rule answers, shared by every configuration made of the same files (without
   * `overrides:`, the answers do not depend on the path): one map per folder kept megabytes.
   */
  answers?: Map<string, ChosenSetting | undefined>;
}

/** A file's configuration, as the engine applies it. */
export class EffectiveConfig implements RuleConfig {
  private readonly chosen: Map<string, ChosenSetting | undefined>;

  constructor(
    /** The file this configuration is for (or its folder, when no override depends on the file). */
    readonly path: string,
    private readonly parts: ConfigParts,
  ) {
    this.chosen = (!this.dependsOnFile && parts.answers) || new Map();
  }

  get failOn(): { value: Severity; source: Source } {
    return this.parts.failOn;
  }

  get files(): readonly string[] {
    return this.parts.files;
  }

  /** The project root the configuration was looked for up to. */
  get root(): string {
    return this.parts.root;
  }

  /** Whether some layer applies to some files of the folder only (an `overrides:` entry). */
  get dependsOnFile(): boolean {
    return this.parts.layers.some((layer) => layer.matches);
  }

  /** The same configuration for another file of the folder. */
  forFile(path: string): EffectiveConfig {
    return path === this.path ? this : new EffectiveConfig(path, this.parts);
  }

  /** The setting chosen for a rule and where it came from: the last layer that names it or its lesson. */
  explain(rule: RuleMeta): ChosenSetting | undefined {
    if (this.chosen.has(rule.id)) return this.chosen.get(rule.id);
    let answer: ChosenSetting | undefined;
    const { layers } = this.parts;
    for (let i = layers.length - 1; i >= 0 && !answer; i--) {
      const layer = layers[i];
      if (layer.matches && !layer.matches(this.path)) continue;
      const own = layer.rules[rule.id];
      if (own !== undefined) answer = { setting: own, source: layer.source };
      else {
        const lesson = layer.lessons[rule.lesson as LessonId];
        if (lesson !== undefined)
          answer = {
            setting: lesson,
            source: { ...layer.source, where: `${layer.source.where}, lesson ${rule.lesson}` },
          };
      }
    }
    this.chosen.set(rule.id, answer);
    return answer;
  }

  chosenSetting(rule: RuleMeta): Setting | undefined {
    return this.explain(rule)?.setting;
  }

  /** The `ignore:` entry that excludes `path` (a folder when `folder` is true), if one does. */
  ignoredBy(path: string, folder = false): Source | undefined {
    if (!isAbsolute(path)) return undefined;
    for (const { base, rules, source } of this.parts.ignorers) {
      if (base === path || !isWithin(base, path)) continue;
      const rel = relative(base, path).split(sep).join('/');
      if (rules.ignores(folder ? `${rel}/` : rel)) return source;
    }
    return undefined;
  }

  isIgnored(path: string, folder = false): boolean {
    return this.ignoredBy(path, folder) !== undefined;
  }

  /** The same configuration with the editor's settings on top of every file's. */
  withSettings(settings: RuleSettings | undefined): EffectiveConfig {
    if (!settings || (Object.keys(settings.rules).length === 0 && Object.keys(settings.lessons).length === 0))
      return this;
    const layer: Layer = { ...settings, source: { where: 'editor settings' } };
    return new EffectiveConfig(this.path, {
      ...this.parts,
      layers: [...this.parts.layers, layer],
      answers: undefined,
    });
  }
}

/** The rules each preset switches: `recommended` leaves strict-only rules off; `strict` turns them on. */
export function presetLayer(name: PresetName, rules: readonly RuleMeta[]): Layer {
  const settings: Record<string, Setting> = {};
  for (const rule of rules)
    if (rule.strictOnly) settings[rule.id] = name === 'strict' ? rule.severity : 'off';
  return { rules: settings, lessons: {}, source: { where: `preset ${name}` } };
}

export interface ConfigLoaderOptions {
  rules: readonly RuleMeta[];
  /** Read a configuration file's text (the editor passes unsaved text of open files). */
  read?: (path: string) => string | undefined;
  exists?: (path: string) => boolean;
}

/** Configuration files larger than this are refused: no real one comes close. */
const maxConfigBytes = 1_000_000;

/**
 * Finds, reads and merges configuration files, caching per file and per folder. `invalidate`
 * forgets everything (a configuration file changed on disk or in the editor).
 */
export class ConfigLoader {
  private readonly files = new Map<string, ConfigFile | undefined>();
  private readonly folders = new Map<string, EffectiveConfig>();
  /** The per-rule answers of each set of configuration files (see ConfigParts.answers). */
  private readonly answers = new Map<string, Map<string, ChosenSetting | undefined>>();
  private readonly ruleIds: string[];
  private readonly read: (path: string) => string | undefined;
  private readonly exists: (path: string) => boolean;

  constructor(private readonly options: ConfigLoaderOptions) {
    this.ruleIds = options.rules.map((r) => r.id);
    this.read = options.read ?? readConfigText;
    this.exists = options.exists ?? ((path) => this.read(path) !== undefined);
  }

  invalidate(): void {
    this.files.clear();
    this.folders.clear();
    this.answers.clear();
  }

  /** The configuration file at `path`, parsed (cached), or undefined when there is none. */
  file(path: string): ConfigFile | undefined {
    if (this.files.has(path)) return this.files.get(path);
    const text = this.read(path);
    const file = text === undefined ? undefined : { path, text, ...parseConfig(text, this.ruleIds) };
    this.files.set(path, file);
    return file;
  }

  /** The configuration files that apply in `folder`, outermost first, not above `root`. */
  chain(folder: string, root: string): ConfigFile[] {
    const found: ConfigFile[] = [];
    for (let dir = folder; ; dir = dirname(dir)) {
      if (!isWithin(root, dir)) break;
      const file = configFileNames.map((name) => this.file(join(dir, name))).find((f) => f !== undefined);
      if (file) {
        found.unshift(file);
        if (file.data.root) break;
      }
      if (dir === root || dirname(dir) === dir) break;
    }
    return found;
  }

  /** The effective configuration for a file in `folder` whose project root is `root`. */
  forFolder(folder: string, root: string): EffectiveConfig {
    const key = `${root}\u0000${folder}`;
    let config = this.folders.get(key);
    if (!config) {
      config = this.build(folder, this.chain(folder, root), root);
      this.folders.set(key, config);
    }
    return config;
  }

  /** The configuration of exactly this file (`--config FILE`), for every file of the run. */
  forExplicitFile(path: string, root: string): EffectiveConfig {
    const key = `explicit\u0000${path}`;
    let config = this.folders.get(key);
    if (!config) {
      const file = this.file(path);
      if (!file) throw new ConfigError(`Cannot read the configuration ${path}.`);
      config = this.build(root, [file], root);
      this.folders.set(key, config);
    }
    return config;
  }

  /** No configuration files at all (`--no-config`, an untrusted workspace): the default preset. */
  defaults(root: string): EffectiveConfig {
    return this.build(root, [], root);
  }

  /** Every problem of every file in these chains, for a caller that stops on invalid configuration. */
  static problemsOf(files: readonly ConfigFile[]): string[] {
    const lines: string[] = [];
    for (const file of files) {
      for (const p of file.problems) {
        const line = file.text.slice(0, p.span.start).split('\n').length;
        lines.push(`${file.path}:${line}: ${p.message}`);
      }
    }
    return lines;
  }

  private build(path: string, chain: ConfigFile[], root: string): EffectiveConfig {
    const layers: Layer[] = [presetLayer('recommended', this.options.rules)];
    const ignorers: Ignorer[] = [];
    let failOn: { value: Severity; source: Source } = { value: 'warning', source: { where: 'default' } };
    const files: string[] = [];
    const visit = (file: ConfigFile, depth: number) => {
      if (files.includes(file.path) || depth > 8) return;
      files.push(file.path);
      const base = dirname(file.path);
      for (const entry of file.data.extends) {
        if (isPresetName(entry)) layers.push(presetLayer(entry, this.options.rules));
        else {
          // Extended files are read only inside the project, like every other lookup.
          const target = resolve(base, entry);
          const extended = isWithin(root, target) ? this.file(target) : undefined;
          if (extended) visit(extended, depth + 1);
        }
      }
      const { data } = file;
      layers.push({ rules: data.rules, lessons: data.lessons, source: { file: file.path, where: 'rules' } });
      data.overrides.forEach((override, i) => {
        const match = picomatch(override.files, { dot: true });
        layers.push({
          rules: override.rules,
          lessons: override.lessons,
          source: { file: file.path, where: `overrides[${i}] (${override.files.join(', ')})` },
          matches: (target) => isWithin(base, target) && match(relative(base, target).split(sep).join('/')),
        });
      });
      if (data.ignore.length > 0)
        ignorers.push({
          base,
          rules: ignore().add(data.ignore),
          source: { file: file.path, where: 'ignore' },
        });
      if (data.failOn) failOn = { value: data.failOn, source: { file: file.path, where: 'failOn' } };
    };
    for (const file of chain) visit(file, 0);
    // Without configuration files, the layers are the same under every root; with some, the
    // files they extend depend on the root.
    const key = files.length === 0 ? '' : `${root}\u0000${files.join('\u0000')}`;
    let answers = this.answers.get(key);
    if (!answers) this.answers.set(key, (answers = new Map()));
    return new EffectiveConfig(path, { layers, ignorers, failOn, files, root, answers });
  }
}

/** A configuration file's text, or undefined when there is none (or it is not a small regular file). */
export function readConfigText(path: string): string | undefined {
  try {
    const stat = statSync(path);
    if (!stat.isFile() || stat.size > maxConfigBytes) return undefined;
    return readFileSync(path, 'utf8');
  } catch {
    return undefined;
  }
}

export function isConfigFile(path: string): boolean {
  return configFileNames.includes(basename(path));
}
