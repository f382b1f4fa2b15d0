import type { ParsedDocument } from './document';
import type { Template } from './parse/cloudformation';
import { asSeq, get, scalarText, type DataNode } from './parse/tree';
import type { RuleMeta } from './rule';
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
const hadolintDirective = /#\s*hadolint\s+(global\s+)?ignore=([\w,\s-]+)/g;
const checkovDirective = /#\s*checkov:skip=([A-Z0-9_]+)(?::([^\n]*))?/g;

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
      const resource =
        document.model?.kind === 'cloudformation'
          ? document.model.template.resources.find((r) => r.span.start <= offset && offset <= r.span.end)
          : undefined;
      found.push({
        ids: [match[1]],
        scope: resource ? { span: resource.span } : { file: true },
        source: 'checkov',
        reason: match[2]?.trim() || undefined,
      });
    }
  }
  if (document.model?.kind === 'cloudformation') found.push(...metadataSuppressions(document.model.template));
  return found;
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

/** Metadata suppressions in templates: ours, cfn-lint's, cfn_nag's and checkov's. */
function metadataSuppressions(template: Template): Suppression[] {
  const found: Suppression[] = [];
  const read = (metadata: DataNode | undefined, scope: SuppressionScope) => {
    if (!metadata) return;
    const own = stringList(get(get(metadata, 'cloud-lessons'), 'ignore'));
    if (own.length > 0) found.push({ ids: own, scope, source: 'cloud-lessons' });
    const cfnLint = stringList(get(get(get(metadata, 'cfn-lint'), 'config'), 'ignore_checks'));
    if (cfnLint.length > 0) found.push({ ids: cfnLint, scope, source: 'cfn-lint' });
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

export function isSuppressed(
  rule: RuleMeta,
  span: Span,
  document: ParsedDocument,
  suppressions: Suppression[],
): boolean {
  for (const s of suppressions) {
    if (!s.ids.some((id) => idMatches(id, rule))) continue;
    if ('file' in s.scope) return true;
    if ('line' in s.scope && document.lines.lineOf(span.start) === s.scope.line) return true;
    if ('span' in s.scope && s.scope.span.start <= span.start && span.end <= s.scope.span.end) return true;
  }
  return false;
}

/**
 * The edit that silences one finding on its line: a next-line directive above it, at its
 * indentation, with a reason for the author to fill in. Undefined where the kind has no
 * comments (JSON templates: use `Metadata: cloud-lessons: ignore`).
 */
export function suppressionEdit(
  document: ParsedDocument,
  ruleId: string,
  span: Span,
): { start: number; end: number; text: string } | undefined {
  const marker = commentMarkers(document)[0];
  if (!marker) return undefined;
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
