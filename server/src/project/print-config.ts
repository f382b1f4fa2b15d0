import { relative, sep } from 'node:path';
import { presetNames, type PresetName, type Setting } from '../engine/config';
import type { FixKind, Rule, Severity } from '../engine/rule';
import { peerIdsOf } from '../engine/suppress';
import { lessons } from '../lessons/catalogue';
import { presetLayer, type Source } from './config';
import type { Project } from './project';

/** `--print-config FILE`: the configuration of one file, every value with where it came from. */
export interface PrintedConfig {
  file: string;
  projectRoot: string;
  /** The configuration files that apply, outermost first. */
  configurationFiles: string[];
  failOn: { value: string; from: string };
  ignored: { value: boolean; from?: string };
  rules: { id: string; setting: Setting; from: string }[];
}

export function printedConfig(project: Project, path: string, cwd: string): PrintedConfig {
  const config = project.configFor(path);
  const show = (file: string) => relative(cwd, file).split(sep).join('/') || '.';
  const from = (source: Source) => (source.file ? `${show(source.file)} ${source.where}` : source.where);
  const ignoredBy = config.ignoredBy(path);
  return {
    file: show(path),
    projectRoot: show(config.root),
    configurationFiles: config.files.map(show),
    failOn: { value: config.failOn.value, from: from(config.failOn.source) },
    ignored: ignoredBy ? { value: true, from: from(ignoredBy) } : { value: false },
    rules: [...project.rules]
      .sort((a, b) => a.id.localeCompare(b.id))
      .map((rule) => {
        const chosen = config.explain(rule);
        return chosen
          ? { id: rule.id, setting: chosen.setting, from: from(chosen.source) }
          : { id: rule.id, setting: rule.severity, from: 'the rule’s default' };
      }),
  };
}

export function formatPrintedConfig(printed: PrintedConfig): string {
  const width = Math.max(...printed.rules.map((r) => r.id.length));
  const lines = [
    `Configuration of ${printed.file}`,
    `  project root:        ${printed.projectRoot}`,
    `  configuration files: ${printed.configurationFiles.length > 0 ? printed.configurationFiles.join(', ') : 'none'}`,
    `  failOn:              ${printed.failOn.value} (${printed.failOn.from})`,
    `  ignored:             ${printed.ignored.value ? `yes (${printed.ignored.from})` : 'no'}`,
    '',
    'Rules:',
    ...printed.rules.map((r) => `  ${r.id.padEnd(width)}  ${r.setting.padEnd(7)}  ${r.from}`),
  ];
  return lines.join('\n') + '\n';
}

/** One rule as `--list-rules --format json` describes it. */
export interface ListedRule {
  id: string;
  title: string;
  lesson: string;
  lessonTitle: string;
  kinds: string[];
  /** The rule's own severity, and what each preset makes of it (`off` when it leaves the rule off). */
  severity: Severity;
  presets: Record<PresetName, Setting>;
  fix: FixKind | 'no';
  /** Ids of peer tools for the same check; their suppressions silence this rule too. */
  equivalents: string[];
}

export function listedRules(rules: readonly Rule[]): { version: 1; rules: ListedRule[] } {
  const layers = presetNames.map((name) => [name, presetLayer(name, rules)] as const);
  return {
    version: 1,
    rules: [...rules]
      .sort((a, b) => (a.id < b.id ? -1 : a.id > b.id ? 1 : 0))
      .map((rule) => ({
        id: rule.id,
        title: rule.title,
        lesson: rule.lesson,
        lessonTitle: lessons[rule.lesson].title,
        kinds: [...rule.kinds],
        severity: rule.severity,
        presets: Object.fromEntries(
          layers.map(([name, layer]) => [name, layer.rules[rule.id] ?? rule.severity]),
        ) as Record<PresetName, Setting>,
        fix: rule.fix,
        equivalents: peerIdsOf(rule),
      })),
  };
}
