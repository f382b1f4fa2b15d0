import { createHash } from 'node:crypto';
import { readFileSync, writeFileSync } from 'node:fs';
import { dirname, relative, sep } from 'node:path';
import type { Node } from '../engine/parse/syntax-tree';
import type { Finding } from '../engine/analyze';
import { enclosingFunctions } from '../engine/code/syntax';
import type { ParsedDocument } from '../engine/document';
import { asSeq, nodesAt, resolved, type DataNode } from '../engine/parse/tree';
import type { Span } from '../engine/text';
import type { CdkFinding } from './cdk';

/**
 * Baselines: the findings a repository accepts for now, so that CI fails only on new ones. A
 * finding is known by its rule, its file and a location that survives edits elsewhere: the
 * logical id and property path in templates, the service and key path in compose files, the
 * instruction and its normalised text in Dockerfiles, the enclosing functions and the
 * normalised source of the span in code. Line numbers never enter it.
 */

export const baselineVersion = 1;

/** How one finding is known across edits. */
export interface FindingFingerprint {
  /** A hash of the rule, the message id and the location (not of the path). */
  fingerprint: string;
  /** The location in words, for people reading the baseline: `Db Properties.PubliclyAccessible`. */
  where: string;
  /** 1 for the first finding with this rule and fingerprint in its file, 2 for the next… */
  occurrence: number;
  /** What the findings it replaced at this place were known by (`Finding.replaces`). */
  also?: { rule: string; fingerprint: string }[];
}

export interface BaselineEntry {
  /** Relative to the baseline file's folder, with forward slashes. */
  path: string;
  rule: string;
  where: string;
  fingerprint: string;
  /** How many findings share this entry; absent for one. */
  count?: number;
}

export class BaselineError extends Error {}

const normalise = (text: string) => text.replace(/\s+/g, ' ').trim();

function hash(parts: string[]): string {
  return createHash('sha256').update(parts.join('\u0000')).digest('hex').slice(0, 20);
}

/** The keys from `root` down to the node at `offset`; sequence items by their scalar text, else their index. */
function treePath(root: DataNode, offset: number): { key: string[]; words: string[] } {
  const key: string[] = [];
  const words: string[] = [];
  const steps = nodesAt(root, offset);
  for (let i = 1; i < steps.length; i++) {
    const step = steps[i];
    if (step.pair) {
      const name = String(step.pair.key.value);
      key.push(name);
      words.push(name);
      continue;
    }
    const parent = asSeq(resolved(steps[i - 1].node));
    if (!parent) continue;
    const index = parent.items.indexOf(step.node);
    const item = resolved(step.node);
    // Items are known by their text when they have one, so that inserting an item keeps the others.
    key.push(item?.type === 'scalar' ? `=${normalise(String(item.value))}` : `[${index}]`);
    words.push(`[${index}]`);
  }
  return { key, words };
}

function functionName(fn: Node): string {
  const named = fn.childForFieldName('name');
  if (named) return named.text;
  const parent = fn.parent;
  if (!parent) return '<anonymous>';
  // `const f = () => …`, `f: function () {…}`, `x.f = function () {…}`, `f = lambda: …`
  const target =
    parent.childForFieldName('name') ?? parent.childForFieldName('key') ?? parent.childForFieldName('left');
  if (target && target.id !== fn.id) return normalise(target.text).slice(0, 80);
  // A callback: known by the call it is passed to and the call's first string (a route, an event).
  if (parent.type === 'arguments' || parent.type === 'argument_list') {
    const call = parent.parent;
    const callee = call?.childForFieldName('function');
    const first = parent.namedChildren.find((n) => n && /string/.test(n.type));
    if (callee)
      return `${normalise(callee.text).slice(0, 60)}(${first ? normalise(first.text).slice(0, 60) : ''})`;
  }
  return '<anonymous>';
}

/** The class around a function, when it is a method. */
function className(fn: Node): string | undefined {
  for (let node = fn.parent, depth = 0; node && depth < 3; node = node.parent, depth++) {
    if (/^class(_declaration|_definition)?$/.test(node.type)) return node.childForFieldName('name')?.text;
  }
  return undefined;
}

function codeScope(root: Node, span: Span): string {
  const node = root.descendantForIndex(span.start, Math.max(span.start, span.end - 1));
  if (!node) return '';
  const names = enclosingFunctions(node)
    .reverse()
    .map((fn) => {
      const owner = className(fn);
      return owner ? `${owner}.${functionName(fn)}` : functionName(fn);
    });
  return names.join(' > ');
}

function lineText(document: ParsedDocument, offset: number): string {
  return normalise(document.lines.lineText(document.lines.lineOf(offset)));
}

/** What a fingerprint reads of a finding. */
export type Locatable = Pick<Finding, 'ruleId' | 'messageId' | 'span' | 'resource' | 'replaces'>;

/** The location parts of a finding's fingerprint, and their words. */
function locate(
  document: ParsedDocument,
  finding: Locatable,
): { kind: string; key: string[]; where: string } {
  const { span } = finding;
  const model = document.model;
  const spanText = normalise(document.text.slice(span.start, span.end));
  if (model?.kind === 'cloudformation') {
    const template = model.template;
    const resource =
      template.resources.find(
        (r) => r.logicalId === finding.resource && r.span.start <= span.start && span.start <= r.span.end,
      ) ??
      template.resources.find((r) => r.span.start <= span.start && span.start <= r.span.end) ??
      template.resources.find((r) => r.logicalId === finding.resource);
    if (resource) {
      const inside = resource.node.span.start <= span.start && span.start <= resource.node.span.end;
      const path = inside ? treePath(resource.node, span.start) : { key: [], words: [] };
      return {
        kind: 'resource',
        key: [resource.logicalId, ...path.key],
        where: [resource.logicalId, path.words.join('.')].filter(Boolean).join(' '),
      };
    }
  }
  if (document.tree) {
    const path = treePath(document.tree, span.start);
    if (path.key.length > 0) return { kind: 'tree', key: path.key, where: path.words.join('.') };
  }
  if (model?.kind === 'dockerfile') {
    const dockerfile = model.dockerfile;
    const instruction = dockerfile.dockerfile.getInstructions().find((i) => {
      const s = dockerfile.span(i.getRange());
      return s.start <= span.start && span.start <= s.end;
    });
    if (instruction) {
      const s = dockerfile.span(instruction.getRange());
      const escape = dockerfile.escape.replace(/[\\^$.*+?()[\]{}|]/g, '\\$&');
      const text = normalise(
        document.text.slice(s.start, s.end).replace(new RegExp(`${escape}\\r?\\n`, 'g'), ' '),
      );
      return { kind: 'instruction', key: [text, spanText], where: instruction.getKeyword() };
    }
  }
  if (model && 'code' in model) {
    const scope = codeScope(model.code.root, span);
    return {
      kind: 'code',
      key: [scope, spanText || lineText(document, span.start)],
      where: scope || '(module)',
    };
  }
  return { kind: 'text', key: [lineText(document, span.start), spanText], where: '' };
}

/**
 * The fingerprints of an analysis's findings, in their order. Call it while the document is
 * still parsed (code fingerprints read its syntax tree).
 */
export function fingerprintFindings(
  document: ParsedDocument,
  findings: readonly Locatable[],
): FindingFingerprint[] {
  const seen = new Map<string, number>();
  return findings.map((finding) => {
    const { kind, key, where } = locate(document, finding);
    const fingerprint = hash([`v${baselineVersion}`, finding.ruleId, finding.messageId, kind, ...key]);
    const id = `${finding.ruleId}\u0000${fingerprint}`;
    const occurrence = (seen.get(id) ?? 0) + 1;
    seen.set(id, occurrence);
    // What the findings it replaced were known by, at the same place.
    const also = finding.replaces?.map((r) => ({
      rule: r.ruleId,
      fingerprint: hash([`v${baselineVersion}`, r.ruleId, r.messageId, kind, ...key]),
    }));
    return { fingerprint, where, occurrence, ...(also?.length ? { also } : {}) };
  });
}

/**
 * The fingerprints of a CDK app's findings, in their order. They are known by the construct
 * path and the synthesized resource's logical id (derived from the construct path), never by
 * the source text or line: editing the construct's other props, moving it in the file or
 * synthesizing again keeps them. A finding left on the template is known by its stacks.
 */
export function fingerprintCdkFindings(findings: readonly CdkFinding[]): FindingFingerprint[] {
  const seen = new Map<string, number>();
  return findings.map((finding) => {
    const { constructPath, stacks } = finding.cdk;
    // Below its stack: the same construct of a stack synthesized twice (an app and a stage) is one.
    const stack = stacks.find((s) => constructPath?.startsWith(`${s}/`));
    const construct = constructPath && stack ? constructPath.slice(stack.length + 1) : constructPath;
    const owner = construct ?? [...stacks].sort().join(',');
    const key = [construct !== undefined ? 'construct' : 'stacks', owner, finding.resource ?? ''];
    const fingerprint = hash([`v${baselineVersion}`, finding.ruleId, finding.messageId, 'cdk', ...key]);
    const id = `${finding.ruleId}\u0000${fingerprint}`;
    const occurrence = (seen.get(id) ?? 0) + 1;
    seen.set(id, occurrence);
    const where = finding.resource ? `${owner} (${finding.resource})` : owner;
    return { fingerprint, where: `CDK ${where}`, occurrence };
  });
}

/** A finding of one file as the baseline sees it. */
export interface FingerprintedFinding {
  rule: string;
  fingerprint: string;
  where: string;
  /** Entries of the findings it replaced hold it too (a baseline written before the rule that replaced them). */
  also?: readonly { rule: string; fingerprint: string }[];
}

const entryKey = (path: string, rule: string, fingerprint: string) =>
  `${path}\u0000${rule}\u0000${fingerprint}`;

/** A baseline file, read or about to be written. */
export class Baseline {
  private readonly counts = new Map<string, number>();

  /** `file` is the baseline's path; entry paths are relative to its folder. */
  constructor(
    readonly file: string,
    readonly entries: readonly BaselineEntry[],
  ) {
    for (const entry of entries) {
      const key = entryKey(entry.path, entry.rule, entry.fingerprint);
      this.counts.set(key, (this.counts.get(key) ?? 0) + (entry.count ?? 1));
    }
  }

  /** Read a baseline file; a BaselineError says what is wrong with it. */
  static read(file: string): Baseline {
    let text: string;
    try {
      text = readFileSync(file, 'utf8');
    } catch (error) {
      throw new BaselineError(`Cannot read the baseline ${file}: ${(error as Error).message}`);
    }
    return Baseline.parse(file, text);
  }

  static parse(file: string, text: string): Baseline {
    let data: unknown;
    try {
      data = JSON.parse(text);
    } catch (error) {
      throw new BaselineError(`The baseline ${file} is not JSON: ${(error as Error).message}`);
    }
    const root = data as { version?: unknown; findings?: unknown };
    if (
      typeof root !== 'object' ||
      root === null ||
      root.version !== baselineVersion ||
      !Array.isArray(root.findings)
    )
      throw new BaselineError(
        `The baseline ${file} is not a version ${baselineVersion} baseline: write it again with --update-baseline.`,
      );
    const entries: BaselineEntry[] = [];
    for (const [i, item] of root.findings.entries()) {
      const entry = item as Partial<BaselineEntry>;
      const count = entry.count ?? 1;
      if (
        typeof entry.path !== 'string' ||
        typeof entry.rule !== 'string' ||
        typeof entry.fingerprint !== 'string' ||
        !Number.isInteger(count) ||
        count < 1
      )
        throw new BaselineError(`The baseline ${file} has an invalid entry (findings[${i}]).`);
      entries.push({
        path: entry.path,
        rule: entry.rule,
        where: typeof entry.where === 'string' ? entry.where : '',
        fingerprint: entry.fingerprint,
        ...(count > 1 ? { count } : {}),
      });
    }
    return new Baseline(file, entries);
  }

  /** A file's path as this baseline writes it: relative to the baseline's folder. */
  pathOf(absolutePath: string): string {
    return relative(dirname(this.file), absolutePath).split(sep).join('/');
  }

  /**
   * Which of one file's findings the baseline holds, in their order. An entry holds as many
   * findings as its count: the first ones in document order, so that a second identical
   * finding in the same place is new.
   */
  baselined(path: string, findings: readonly FingerprintedFinding[]): boolean[] {
    const left = new Map<string, number>();
    return findings.map((finding) => {
      for (const { rule, fingerprint } of [finding, ...(finding.also ?? [])]) {
        const key = entryKey(path, rule, fingerprint);
        const remaining = left.get(key) ?? this.counts.get(key) ?? 0;
        if (remaining <= 0) continue;
        left.set(key, remaining - 1);
        return true;
      }
      return false;
    });
  }

  /** Whether any entry is for this path. */
  hasPath(path: string): boolean {
    return this.entries.some((entry) => entry.path === path);
  }

  /**
   * The baseline after a run: entries of the analysed files replaced by their current findings,
   * entries of files the run covered but did not find (deleted, now ignored) dropped, the rest
   * kept. `covers(path)` says whether a path is within what the run looked at.
   */
  updated(
    current: ReadonlyMap<string, readonly FingerprintedFinding[]>,
    covers: (path: string) => boolean,
  ): { baseline: Baseline; added: number; dropped: number; kept: number } {
    const entries: BaselineEntry[] = [];
    const previous = new Map<string, number>();
    for (const entry of this.entries) {
      if (current.has(entry.path) || covers(entry.path)) {
        const key = entryKey(entry.path, entry.rule, entry.fingerprint);
        previous.set(key, (previous.get(key) ?? 0) + (entry.count ?? 1));
      } else entries.push(entry);
    }
    const kept = entries.reduce((n, e) => n + (e.count ?? 1), 0);
    const now = new Map<string, BaselineEntry>();
    for (const [path, findings] of current) {
      for (const finding of findings) {
        const key = entryKey(path, finding.rule, finding.fingerprint);
        const entry = now.get(key);
        if (entry) entry.count = (entry.count ?? 1) + 1;
        else
          now.set(key, { path, rule: finding.rule, where: finding.where, fingerprint: finding.fingerprint });
      }
    }
    let added = 0;
    let dropped = 0;
    for (const [key, entry] of now) {
      const before = previous.get(key) ?? 0;
      added += Math.max(0, (entry.count ?? 1) - before);
      previous.delete(key);
      entries.push(entry);
      if (before > (entry.count ?? 1)) dropped += before - (entry.count ?? 1);
    }
    for (const count of previous.values()) dropped += count;
    return { baseline: new Baseline(this.file, entries), added, dropped, kept };
  }

  /** The file's text: sorted, one entry per line group, so that diffs show what changed. */
  format(): string {
    const sorted = [...this.entries].sort(
      (a, b) =>
        compare(a.path, b.path) ||
        compare(a.rule, b.rule) ||
        compare(a.where, b.where) ||
        compare(a.fingerprint, b.fingerprint),
    );
    const findings = sorted.map((e) =>
      e.count && e.count > 1
        ? { path: e.path, rule: e.rule, where: e.where, fingerprint: e.fingerprint, count: e.count }
        : { path: e.path, rule: e.rule, where: e.where, fingerprint: e.fingerprint },
    );
    return JSON.stringify({ version: baselineVersion, findings }, null, 2) + '\n';
  }

  write(): void {
    writeFileSync(this.file, this.format());
  }

  get size(): number {
    return this.entries.reduce((n, e) => n + (e.count ?? 1), 0);
  }
}

/** Code-point order, the same on every machine (localeCompare is not). */
function compare(a: string, b: string): number {
  return a < b ? -1 : a > b ? 1 : 0;
}
