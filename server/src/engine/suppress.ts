import type { ParsedDocument } from './document';
import { replaceValue, setPath, type EditTarget } from './edit';
import type { Template } from './parse/cloudformation';
import type { DockerfileModel } from './parse/dockerfile';
import { asSeq, get, getPath, scalarText, type DataNode } from './parse/tree';
import type { RuleMeta, TextEdit } from './rule';
import type { Span } from './text';

/** Where a suppression applies: the whole file, one line, or a span (a resource). */
export type SuppressionScope = { file: true } | { line: number } | { span: Span };

export interface Suppression {
  /** Our rule ids or lesson ids, or a peer's ids (DL3002, CKV_AWS_17, W3011, …). */
  ids: string[];
  scope: SuppressionScope;
  /** Who wrote it: ours, or the peer tool whose syntax it uses. */
  source: 'cloud-lessons' | 'hadolint' | 'checkov' | 'cfn-lint' | 'cfn_nag';
  reason?: string;
  /** cfn-lint's template-wide ignore_checks match by prefix (`W` ignores every W check). */
  prefix?: boolean;
}

/** The comment markers of each kind; JSON templates have none (use Metadata). */
function commentMarkers(document: ParsedDocument): string[] {
  switch (document.kind) {
    case 'javascript':
    case 'typescript':
      return ['//', '/*'];
    case 'other':
      return ['#', '//'];
    case 'cloudformation':
      return document.model?.kind === 'cloudformation' && document.model.template.format === 'json'
        ? []
        : ['#'];
    default:
      return ['#'];
  }
}

export const directiveNames = {
  nextLine: 'cloud-lessons-disable-next-line',
  file: 'cloud-lessons-disable',
};

const ownDirective = /cloud-lessons-(disable-next-line|disable)\b([^\n]*)/g;
// The id list ends with its line: `[\s]` would run on into the instruction below.
const hadolintDirective = /#[ \t]*hadolint[ \t]+(global[ \t]+)?ignore=([\w, \t-]+)/g;
// checkov also reads its former name, spaces after `=`, and several ids separated by commas.
const checkovDirective = /#\s*(?:checkov|bridgecrew):skip=\s*([\w]+(?:\s*,\s*\w+)*)(?::([^\n]*))?/g;

export function collectSuppressions(document: ParsedDocument): Suppression[] {
  const markers = commentMarkers(document);
  const found: Suppression[] = [];
  const { text, lines } = document;
  if (markers.length > 0) {
    for (const match of text.matchAll(ownDirective)) {
      const start = match.index ?? 0;
      const line = lines.lineOf(start);
      const before = text.slice(lines.lineStart(line), start);
      if (!markers.some((m) => before.includes(m))) continue;
      const { ids, reason } = parseDirectiveBody(match[2]);
      if (ids.length === 0) continue;
      const scope =
        match[1] === 'disable' ? { file: true as const } : { line: nextCodeLine(document, line, markers) };
      found.push({ ids, scope, source: 'cloud-lessons', reason });
    }
  }
  if (document.kind === 'dockerfile') {
    for (const match of text.matchAll(hadolintDirective)) {
      const line = lines.lineOf(match.index ?? 0);
      const ids = match[2].split(/[\s,]+/).filter(Boolean);
      const scope = match[1] ? { file: true as const } : { line: nextCodeLine(document, line, ['#']) };
      found.push({ ids, scope, source: 'hadolint' });
    }
  }
  if (markers.includes('#')) {
    for (const match of text.matchAll(checkovDirective)) {
      const offset = match.index ?? 0;
      const template = document.model?.kind === 'cloudformation' ? document.model.template : undefined;
      const resource = template && resourceOwning(template, document, offset);
      // In templates checkov reads skip comments only within a resource's lines.
      if (template && !resource) continue;
      found.push({
        ids: match[1].split(',').map((id) => id.trim()),
        scope: resource ? { span: resource.span } : { file: true },
        source: 'checkov',
        reason: match[2]?.trim() || undefined,
      });
    }
  }
  if (document.model?.kind === 'cloudformation') found.push(...metadataSuppressions(document.model.template));
  if (document.model?.kind === 'dockerfile') return wholeInstructions(document.model.dockerfile, found);
  return found;
}

/**
 * The resource whose lines hold `offset`: from its logical id up to the next resource, on lines
 * indented deeper than the id. A comment after a resource's last value (on that line or the
 * next) still belongs to it, though the value's span has ended.
 */
function resourceOwning(template: Template, document: ParsedDocument, offset: number) {
  const { lines } = document;
  let owner: Template['resources'][number] | undefined;
  for (const resource of template.resources) {
    if (resource.span.start <= offset && (!owner || resource.span.start > owner.span.start)) owner = resource;
  }
  if (!owner) return undefined;
  if (offset <= owner.span.end) return owner;
  const next = template.resources.find((r) => r.span.start > owner!.span.start && r.span.start <= offset);
  if (next) return undefined;
  const idColumn = lines.positionAt(owner.idNode.span.start).character;
  for (let line = lines.lineOf(owner.span.end) + 1; line <= lines.lineOf(offset); line++) {
    const text = lines.lineText(line);
    const indent = text.length - text.trimStart().length;
    if (text.trim() !== '' && indent <= idColumn) return undefined;
  }
  return owner;
}

/**
 * In a Dockerfile a next-line directive (ours or hadolint's) covers the whole instruction that
 * starts on that line, continuation lines and here-documents included, as hadolint reads it.
 */
function wholeInstructions(model: DockerfileModel, found: Suppression[]): Suppression[] {
  const instructions = model.dockerfile.getInstructions();
  return found.map((suppression) => {
    const scope = suppression.scope;
    if (!('line' in scope)) return suppression;
    const instruction = instructions.find((i) => i.getRange().start.line === scope.line);
    return instruction
      ? { ...suppression, scope: { span: model.span(instruction.getRange()) } }
      : suppression;
  });
}

/** `rule-a, rule-b -- why` (the reason after `--`; a closing `*\/` is ignored). */
function parseDirectiveBody(body: string): { ids: string[]; reason?: string } {
  const clean = body.replace(/\*\/.*$/, '');
  const [idsPart, ...rest] = clean.split(/\s--\s?|^--\s?/);
  const ids = idsPart
    .split(/[\s,]+/)
    .map((s) => s.trim())
    .filter((s) => /^[\w./*-]+$/.test(s));
  const reason = rest.join(' -- ').trim();
  return { ids, reason: reason || undefined };
}

/** The line a next-line directive covers: the next one that is not blank or only a comment. */
function nextCodeLine(document: ParsedDocument, line: number, markers: string[]): number {
  const { lines } = document;
  for (let l = line + 1; l < lines.lineCount; l++) {
    const content = lines.lineText(l).trim();
    if (content === '' || markers.some((m) => content.startsWith(m))) continue;
    return l;
  }
  return line + 1;
}

/**
 * Metadata suppressions in templates, as each tool reads them: ours and cfn-lint's at the top
 * of the template (cfn-lint then matches ids by prefix) or on a resource; cfn_nag's and
 * checkov's on a resource only.
 */
function metadataSuppressions(template: Template): Suppression[] {
  const found: Suppression[] = [];
  const read = (metadata: DataNode | undefined, scope: SuppressionScope) => {
    if (!metadata) return;
    const own = stringList(get(get(metadata, 'cloud-lessons'), 'ignore'));
    if (own.length > 0) found.push({ ids: own, scope, source: 'cloud-lessons' });
    const cfnLint = stringList(get(get(get(metadata, 'cfn-lint'), 'config'), 'ignore_checks'));
    if (cfnLint.length > 0) found.push({ ids: cfnLint, scope, source: 'cfn-lint', prefix: 'file' in scope });
    if ('file' in scope) return;
    const nag = (asSeq(get(get(metadata, 'cfn_nag'), 'rules_to_suppress'))?.items ?? [])
      .map((item) => scalarText(get(item, 'id')))
      .filter((id): id is string => !!id);
    if (nag.length > 0) found.push({ ids: nag, scope, source: 'cfn_nag' });
    const checkov = (asSeq(get(get(metadata, 'checkov'), 'skip'))?.items ?? [])
      .map((item) => scalarText(get(item, 'id')))
      .filter((id): id is string => !!id);
    if (checkov.length > 0) found.push({ ids: checkov, scope, source: 'checkov' });
  };
  read(get(template.root, 'Metadata'), { file: true });
  for (const resource of template.resources) read(get(resource.node, 'Metadata'), { span: resource.span });
  return found;
}

function stringList(node: DataNode | undefined): string[] {
  const single = scalarText(node);
  if (single) return [single];
  return (asSeq(node)?.items ?? []).map((i) => scalarText(i)).filter((s): s is string => !!s);
}

/** Whether a suppression id names this rule: its id, its lesson, or a peer's equivalent id. */
export function idMatches(id: string, rule: RuleMeta): boolean {
  if (id === rule.id || id === rule.lesson) return true;
  return rule.equivalents.some((equivalent) =>
    equivalent.endsWith('*') ? id.startsWith(equivalent.slice(0, -1)) : equivalent === id,
  );
}

/** cfn-lint's own ids: a severity letter and four digits (E3505, W2501, I3011). */
const cfnLintId = /^[EWI]\d{4}$/;

export function isSuppressed(
  rule: RuleMeta,
  span: Span,
  document: ParsedDocument,
  suppressions: Suppression[],
): boolean {
  for (const s of suppressions) {
    const matches = s.prefix
      ? (id: string) =>
          idMatches(id, rule) || rule.equivalents.some((e) => cfnLintId.test(e) && e.startsWith(id))
      : (id: string) => idMatches(id, rule);
    if (!s.ids.some(matches)) continue;
    if ('file' in s.scope) return true;
    if ('line' in s.scope && document.lines.lineOf(span.start) === s.scope.line) return true;
    if ('span' in s.scope && s.scope.span.start <= span.start && span.end <= s.scope.span.end) return true;
  }
  return false;
}

/**
 * The edit that silences one finding on its line: a next-line directive above it, at its
 * indentation, with a reason for the author to fill in. JSON templates have no comments: there
 * the rule id joins `Metadata: cloud-lessons: ignore` of the resource that holds the finding
 * (of the template, for a finding outside every resource).
 */
export function suppressionEdit(
  document: ParsedDocument,
  ruleId: string,
  span: Span,
): { start: number; end: number; text: string } | undefined {
  const marker = commentMarkers(document)[0];
  if (!marker) {
    const model = document.model;
    return model?.kind === 'cloudformation'
      ? metadataIgnoreEdit(document, model.template, ruleId, span)
      : undefined;
  }
  const { lines } = document;
  const line = lines.lineOf(span.start);
  const start = lines.lineStart(line);
  const indent = lines.indentAt(start);
  const close = marker === '/*' ? ' */' : '';
  return {
    start,
    end: start,
    text: `${indent}${marker} ${directiveNames.nextLine} ${ruleId} -- <reason>${close}${lines.eol}`,
  };
}

/** Add `ruleId` to `Metadata: cloud-lessons: ignore` of the resource around `span`. */
function metadataIgnoreEdit(
  document: ParsedDocument,
  template: Template,
  ruleId: string,
  span: Span,
): TextEdit {
  const target: EditTarget = { text: document.text, lines: document.lines, format: template.format };
  const resource = template.resources.find((r) => r.span.start <= span.start && span.end <= r.span.end);
  const owner = resource ? resource.node : template.root;
  const path = ['Metadata', 'cloud-lessons', 'ignore'];
  const existing = getPath(owner, ...path);
  if (!existing) return setPath(target, owner, path, [ruleId]);
  const ids = stringList(existing);
  return replaceValue(target, existing, [...ids.filter((id) => id !== ruleId), ruleId]);
}
