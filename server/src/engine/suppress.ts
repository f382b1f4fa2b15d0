import type { ParsedDocument } from './document';
import { removePair, replaceValue, setPath, type EditTarget } from './edit';
import type { Template } from './parse/cloudformation';
import type { DockerfileModel } from './parse/dockerfile';
import {
  asMap,
  asSeq,
  get,
  getPair,
  getPath,
  nodesAt,
  scalarText,
  type DataNode,
  type MapNode,
} from './parse/tree';
import type { RuleMeta, TextEdit } from './rule';
import type { Span } from './text';

/** Where a suppression applies: the whole file, one line, or a span (a resource, an instruction). */
export type SuppressionScope = { file: true } | { line: number } | { span: Span };

/** Who wrote a suppression: ours, or the peer tool whose syntax it uses. */
export type SuppressionSource =
  | 'cloud-lessons'
  | 'hadolint'
  | 'checkov'
  | 'cfn-lint'
  | 'cfn_nag'
  | 'cfn-guard'
  | 'ruff'
  | 'bandit'
  | 'semgrep'
  | 'trivy'
  | 'kics';

export interface Suppression {
  /** Our rule ids or lesson ids, or a peer's ids (DL3002, CKV_AWS_17, W3011, S113, …). */
  ids: string[];
  /**
   * A peer's directive that names no check (`# noqa`, `# nosec`, `nosemgrep`, `kics-scan
   * ignore-line`): it silences every check of that peer, so every rule of ours that has an
   * equivalent there.
   */
  everyCheck?: boolean;
  scope: SuppressionScope;
  source: SuppressionSource;
  reason?: string;
  /** cfn-lint's template-wide ignore_checks match by prefix (`W` ignores every W check). */
  prefix?: boolean;
  /** Where it is written: the comment, or the Metadata list (for reports of unused ones). */
  span?: Span;
  /** Where each of `ids` is written, in the same order. */
  idSpans?: Span[];
  /** How it is written: a comment, or a Metadata list of a template. */
  written?: 'comment' | 'metadata';
}

/** The comment markers of each kind; JSON templates have none (use Metadata). */
export function commentMarkers(document: Pick<ParsedDocument, 'kind' | 'model'>): string[] {
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
// Ruff: `# noqa` (every check) or `# noqa: S113, S105`; a colon without codes means every check too.
const noqaDirective = /#[ \t]*noqa\b(?:[ \t]*:[ \t]*([A-Z]+[0-9]+(?:[ \t]*,?[ \t]*[A-Z]+[0-9]+)*))?/gi;
// bandit: `# nosec`, `# nosec B113`, `# nosec: B113, B105`.
const nosecDirective = /#[ \t]*nosec\b(?:[ \t]*:?[ \t]*([A-Z][0-9]+(?:[ \t]*,[ \t]*[A-Z][0-9]+)*))?/gi;
// Semgrep: `nosemgrep` or `nosemgrep: rule.id, other.id` in any comment syntax.
const nosemgrepDirective = /\bnosemgrep\b(?:[ \t]*:[ \t]*([\w.-]+(?:[ \t]*,[ \t]*[\w.-]+)*))?/g;
const trivyDirective = /\btrivy:ignore:([\w.*-]+)/g;
const kicsDirective =
  /\bkics-scan[ \t]+(ignore-line|ignore-block|ignore|disable=([\w-]+(?:[ \t]*,[ \t]*[\w-]+)*))/g;

/**
 * Peer ids of the same checks that the rules' `equivalents` do not list: cfn-guard's (AWS Config
 * rule names, as its registry names them), Semgrep registry ids, Trivy's (AVD and long ids) and
 * KICS query ids. Only checks that judge the same thing as the rule are listed, so that a peer's
 * waiver silences no more than the peer would have reported.
 */
export const peerEquivalents: Readonly<Record<string, readonly string[]>> = {
  'private-network/public-database': [
    'RDS_INSTANCE_PUBLIC_ACCESS_CHECK',
    'AVD-AWS-0180',
    'aws-rds-no-public-db-access',
    'de38e1d5-54cb-4111-a868-6f7722695007',
  ],
  'private-network/world-open-port': [
    'INCOMING_SSH_DISABLED',
    'RESTRICTED_INCOMING_TRAFFIC',
    'VPC_SG_OPEN_ONLY_TO_AUTHORIZED_PORTS',
    'aws-ec2-no-public-ingress-sgr',
  ],
  'private-network/world-open-port-default': [
    'INCOMING_SSH_DISABLED',
    'RESTRICTED_INCOMING_TRAFFIC',
    'VPC_SG_OPEN_ONLY_TO_AUTHORIZED_PORTS',
    'aws-ec2-no-public-ingress-sgr',
  ],
  'plan-for-the-worst/s3-no-versioning': ['S3_BUCKET_VERSIONING_ENABLED', 'aws-s3-enable-versioning'],
  'encrypt-everything/s3-no-tls-policy': ['S3_BUCKET_SSL_REQUESTS_ONLY'],
  'async-event-driven/lambda-no-failure-destination': ['LAMBDA_DLQ_CHECK'],
  'encrypt-everything/plain-http-listener': [
    'ALB_HTTP_TO_HTTPS_REDIRECTION_CHECK',
    'ELB_TLS_HTTPS_LISTENERS_ONLY',
  ],
  'encrypt-everything/plain-http-internal-listener': [
    'ALB_HTTP_TO_HTTPS_REDIRECTION_CHECK',
    'ELB_TLS_HTTPS_LISTENERS_ONLY',
  ],
  'least-privilege/imdsv1-allowed': ['EC2_IMDSV2_CHECK'],
  'private-network/public-bucket': ['S3_BUCKET_PUBLIC_READ_PROHIBITED', 'S3_BUCKET_PUBLIC_WRITE_PROHIBITED'],
  'measure-everything/no-flow-logs': ['VPC_FLOW_LOGS_ENABLED'],
  'measure-everything/no-access-logs': [
    'S3_BUCKET_LOGGING_ENABLED',
    'ELB_LOGGING_ENABLED',
    'AVD-AWS-0089',
    'aws-s3-enable-bucket-logging',
  ],
  'plan-for-the-worst/no-automated-backups': ['DB_INSTANCE_BACKUP_ENABLED'],
  'plan-for-the-worst/dynamodb-no-pitr': ['DYNAMODB_PITR_ENABLED', 'aws-dynamodb-enable-recovery'],
  'encrypt-everything/unencrypted-storage': [
    'RDS_STORAGE_ENCRYPTED',
    'ENCRYPTED_VOLUMES',
    'aws-rds-encrypt-instance-storage-data',
  ],
  'scale-database/rds-single-az': ['RDS_MULTI_AZ_SUPPORT'],
  'least-privilege/wildcard-iam': [
    'IAM_POLICY_NO_STATEMENTS_WITH_ADMIN_ACCESS',
    'aws-iam-no-policy-wildcards',
  ],
  'encrypt-everything/cloudfront-allows-http': [
    'CLOUDFRONT_VIEWER_POLICY_HTTPS',
    'aws-cloudfront-enforce-https',
  ],
  'least-privilege/root-user': [
    'AVD-DS-0002',
    'fd54f200-402c-4333-a5a4-36ef6709af2f',
    'dockerfile.security.missing-user.missing-user',
    'dockerfile.security.missing-user-entrypoint.missing-user-entrypoint',
  ],
  'least-privilege/sudo': ['AVD-DS-0010'],
  'private-network/ssh-exposed': ['AVD-DS-0004'],
  'immutable-infrastructure/unpinned-base-image': ['AVD-DS-0001'],
  'auto-recovery/image-without-healthcheck': ['AVD-DS-0026', 'b03a748a-542d-44f4-bb86-9199ab4fd2d5'],
  'embrace-failure/no-timeout': ['python.requests.best-practice.use-timeout.use-timeout'],
};

/** Every peer id of a rule: its `equivalents` and the ones above. */
export function peerIdsOf(rule: RuleMeta): string[] {
  return [...rule.equivalents, ...(peerEquivalents[rule.id] ?? [])];
}

const kicsId = /^[0-9a-f]{8}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{12}$/i;
const semgrepId = /^[a-z][\w-]*(\.[\w-]+)+$/;
const banditCode = /^S\d{3}$/;

/** Whether one of the rule's peer ids belongs to the tool of a bare directive. */
function hasCheckOf(source: SuppressionSource, rule: RuleMeta): boolean {
  const ids = peerIdsOf(rule);
  switch (source) {
    case 'ruff':
    case 'bandit':
      // Ruff's S codes are bandit's checks (S113 is bandit's B113).
      return ids.some((id) => banditCode.test(id));
    case 'semgrep':
      return ids.some((id) => semgrepId.test(id));
    case 'kics':
      return ids.some((id) => kicsId.test(id));
    default:
      return false;
  }
}

/** Whether a suppression id names this rule: its id, its lesson, or a peer's equivalent id. */
export function idMatches(id: string, rule: RuleMeta, source?: SuppressionSource): boolean {
  if (id === rule.id || id === rule.lesson) return true;
  if (source === 'bandit' && /^B\d{3}$/i.test(id)) id = `S${id.slice(1)}`;
  const caseless = source === 'cfn-guard' || source === 'trivy' || source === 'kics' || source === 'ruff';
  return peerIdsOf(rule).some((equivalent) => {
    if (equivalent.endsWith('*')) return id.startsWith(equivalent.slice(0, -1));
    if (caseless) return equivalent.toLowerCase() === id.toLowerCase();
    // Semgrep ids may be written without the leading path or the rule's own last part.
    if (source === 'semgrep' && semgrepId.test(equivalent))
      return equivalent === id || equivalent.endsWith(`.${id}`) || equivalent.startsWith(`${id}.`);
    return equivalent === id;
  });
}

/** Whether `offset` is inside a comment that starts on its line with one of the markers. */
function inComment(document: ParsedDocument, offset: number, markers: string[]): number | undefined {
  const { text, lines } = document;
  const lineStart = lines.lineStart(lines.lineOf(offset));
  const before = text.slice(lineStart, offset);
  let found: number | undefined;
  for (const marker of markers) {
    const at = before.indexOf(marker);
    if (at >= 0 && (found === undefined || at < found)) found = at;
  }
  return found === undefined ? undefined : lineStart + found;
}

/** The span of a comment from its marker to the end of its line (or its `*\/`). */
function commentSpan(document: ParsedDocument, markerAt: number): Span {
  const { text, lines } = document;
  const end = lines.lineEnd(lines.lineOf(markerAt));
  const close = text.startsWith('/*', markerAt) ? text.indexOf('*/', markerAt) : -1;
  return { start: markerAt, end: close >= 0 && close < end ? close + 2 : end };
}

function isCommentOnly(document: ParsedDocument, line: number, markers: string[]): boolean {
  const content = document.lines.lineText(line).trim();
  return markers.some((m) => content.startsWith(m));
}

export function collectSuppressions(document: ParsedDocument): Suppression[] {
  const markers = commentMarkers(document);
  const found: Suppression[] = [];
  const { text, lines } = document;
  const template = document.model?.kind === 'cloudformation' ? document.model.template : undefined;
  if (markers.length > 0) {
    for (const match of text.matchAll(ownDirective)) {
      const start = match.index ?? 0;
      const markerAt = inComment(document, start, markers);
      if (markerAt === undefined) continue;
      const line = lines.lineOf(start);
      const bodyStart = start + match[0].length - match[2].length;
      const { ids, idSpans, reason } = parseDirectiveBody(match[2], bodyStart);
      if (ids.length === 0) continue;
      const scope =
        match[1] === 'disable' ? { file: true as const } : { line: nextCodeLine(document, line, markers) };
      found.push({
        ids,
        scope,
        source: 'cloud-lessons',
        reason,
        span: commentSpan(document, markerAt),
        idSpans,
        written: 'comment',
      });
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
  if (document.kind === 'python') {
    // Ruff and bandit read their comments on the line they are written on.
    for (const [pattern, source] of [
      [noqaDirective, 'ruff'],
      [nosecDirective, 'bandit'],
    ] as const) {
      for (const match of text.matchAll(pattern)) {
        const offset = match.index ?? 0;
        if (inComment(document, offset + 1, ['#']) === undefined) continue;
        const ids = match[1] ? match[1].split(/[\s,]+/).filter(Boolean) : [];
        found.push({ ids, everyCheck: ids.length === 0, scope: { line: lines.lineOf(offset) }, source });
      }
    }
  }
  if (markers.length > 0) peerComments(document, markers, template, found);
  if (template) found.push(...metadataSuppressions(template));
  if (document.model?.kind === 'dockerfile') return wholeInstructions(document.model.dockerfile, found);
  return found;
}

/** Semgrep's, Trivy's and KICS's comments, in every kind with comments. */
function peerComments(
  document: ParsedDocument,
  markers: string[],
  template: Template | undefined,
  found: Suppression[],
): void {
  const { text, lines } = document;
  // Semgrep reads `nosemgrep` on the line it reports, or alone on the line above it.
  for (const match of text.matchAll(nosemgrepDirective)) {
    const offset = match.index ?? 0;
    if (inComment(document, offset, markers) === undefined) continue;
    const line = lines.lineOf(offset);
    const ids = match[1] ? match[1].split(/[\s,]+/).filter(Boolean) : [];
    const scope = isCommentOnly(document, line, markers)
      ? { line: nextCodeLine(document, line, markers) }
      : { line };
    found.push({ ids, everyCheck: ids.length === 0, scope, source: 'semgrep' });
  }
  // Trivy reads an ignore comment at the end of the line it reports, or above the block it applies to.
  for (const match of text.matchAll(trivyDirective)) {
    const offset = match.index ?? 0;
    if (inComment(document, offset, markers) === undefined) continue;
    const line = lines.lineOf(offset);
    const scope = isCommentOnly(document, line, markers)
      ? blockScope(document, template, nextCodeLine(document, line, markers))
      : { line };
    found.push({ ids: [match[1]], scope, source: 'trivy' });
  }
  // KICS: `ignore` the file, `ignore-line` the next line, `ignore-block` the block below,
  // `disable=<query ids>` those queries in the file.
  for (const match of text.matchAll(kicsDirective)) {
    const offset = match.index ?? 0;
    if (inComment(document, offset, markers) === undefined) continue;
    const line = lines.lineOf(offset);
    const kind = match[1];
    if (match[2]) {
      found.push({
        ids: match[2].split(/[\s,]+/).filter(Boolean),
        scope: { file: true },
        source: 'kics',
      });
      continue;
    }
    const next = nextCodeLine(document, line, markers);
    const scope: SuppressionScope =
      kind === 'ignore'
        ? { file: true }
        : kind === 'ignore-line'
          ? { line: next }
          : blockScope(document, template, next);
    found.push({ ids: [], everyCheck: true, scope, source: 'kics' });
  }
}

/**
 * The block that starts on `line`: in a YAML document, the mapping entry that starts there (a
 * resource when it is one, with everything indented below it); elsewhere the line itself (a
 * Dockerfile's next-line scope grows to the whole instruction later).
 */
function blockScope(
  document: ParsedDocument,
  template: Template | undefined,
  line: number,
): SuppressionScope {
  const resource = template?.resources.find((r) => document.lines.lineOf(r.span.start) === line);
  if (resource) return { span: resource.span };
  const tree = document.tree;
  if (tree) {
    const { lines } = document;
    const start = lines.lineStart(line) + lines.indentAt(lines.lineStart(line)).length;
    const pair = nodesAt(tree, start)
      .map((step) => step.pair)
      .filter((pair) => pair && lines.lineOf(pair.span.start) === line)
      .at(-1);
    if (pair) return { span: pair.span };
  }
  return { line };
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
 * In a Dockerfile a next-line directive (ours or a peer's) covers the whole instruction that
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
function parseDirectiveBody(
  body: string,
  bodyStart: number,
): { ids: string[]; idSpans: Span[]; reason?: string } {
  const clean = body.replace(/\*\/.*$/, '');
  const [idsPart, ...rest] = clean.split(/\s--\s?|^--\s?/);
  const ids: string[] = [];
  const idSpans: Span[] = [];
  for (const match of idsPart.matchAll(/[^\s,]+/g)) {
    if (!/^[\w./*-]+$/.test(match[0])) continue;
    const start = bodyStart + (match.index ?? 0);
    ids.push(match[0]);
    idSpans.push({ start, end: start + match[0].length });
  }
  const reason = rest.join(' -- ').trim();
  return { ids, idSpans, reason: reason || undefined };
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
 * of the template (cfn-lint then matches ids by prefix) or on a resource; cfn_nag's, checkov's
 * and cfn-guard's on a resource only.
 */
function metadataSuppressions(template: Template): Suppression[] {
  const found: Suppression[] = [];
  const read = (metadata: DataNode | undefined, scope: SuppressionScope) => {
    if (!metadata) return;
    const ownList = get(get(metadata, 'cloud-lessons'), 'ignore');
    const own = stringItems(ownList);
    if (own.length > 0)
      found.push({
        ids: own.map((i) => i.id),
        idSpans: own.map((i) => i.span),
        span: ownList?.span,
        scope,
        source: 'cloud-lessons',
        written: 'metadata',
      });
    const cfnLint = stringList(get(get(get(metadata, 'cfn-lint'), 'config'), 'ignore_checks'));
    if (cfnLint.length > 0) found.push({ ids: cfnLint, scope, source: 'cfn-lint', prefix: 'file' in scope });
    if ('file' in scope) return;
    const nag = (asSeq(get(get(metadata, 'cfn_nag'), 'rules_to_suppress'))?.items ?? [])
      .map((item) => ({ id: scalarText(get(item, 'id')), reason: scalarText(get(item, 'reason')) }))
      .filter((entry): entry is { id: string; reason: string | undefined } => !!entry.id);
    for (const entry of nag) found.push({ ids: [entry.id], scope, source: 'cfn_nag', reason: entry.reason });
    const checkov = (asSeq(get(get(metadata, 'checkov'), 'skip'))?.items ?? [])
      .map((item) => ({ id: scalarText(get(item, 'id')), reason: scalarText(get(item, 'comment')) }))
      .filter((entry): entry is { id: string; reason: string | undefined } => !!entry.id);
    for (const entry of checkov)
      found.push({ ids: [entry.id], scope, source: 'checkov', reason: entry.reason });
    const guard = stringList(get(get(metadata, 'guard'), 'SuppressedRules'));
    if (guard.length > 0) found.push({ ids: guard, scope, source: 'cfn-guard' });
  };
  read(get(template.root, 'Metadata'), { file: true });
  for (const resource of template.resources) read(get(resource.node, 'Metadata'), { span: resource.span });
  return found;
}

function stringList(node: DataNode | undefined): string[] {
  return stringItems(node).map((item) => item.id);
}

function stringItems(node: DataNode | undefined): { id: string; span: Span }[] {
  const single = scalarText(node);
  if (node && single) return [{ id: single, span: node.span }];
  return (asSeq(node)?.items ?? []).flatMap((item) => {
    const id = scalarText(item);
    return id ? [{ id, span: item.span }] : [];
  });
}

/** cfn-lint's own ids: a severity letter and four digits (E3505, W2501, I3011). */
const cfnLintId = /^[EWI]\d{4}$/;

function covers(scope: SuppressionScope, span: Span, document: ParsedDocument): boolean {
  if ('file' in scope) return true;
  if ('line' in scope) return document.lines.lineOf(span.start) === scope.line;
  return scope.span.start <= span.start && span.end <= scope.span.end;
}

/** The ids of a suppression that name this rule (all of them for a peer's bare directive). */
export function matchingIds(suppression: Suppression, rule: RuleMeta): string[] {
  if (suppression.everyCheck) return hasCheckOf(suppression.source, rule) ? ['*'] : [];
  return suppression.ids.filter(
    (id) =>
      idMatches(id, rule, suppression.source) ||
      (!!suppression.prefix && rule.equivalents.some((e) => cfnLintId.test(e) && e.startsWith(id))),
  );
}

/** The suppression that silences a finding of this rule at `span`, if any (the first written). */
export function suppressionFor(
  rule: RuleMeta,
  span: Span,
  document: ParsedDocument,
  suppressions: Suppression[],
): Suppression | undefined {
  return suppressions.find((s) => matchingIds(s, rule).length > 0 && covers(s.scope, span, document));
}

export function isSuppressed(
  rule: RuleMeta,
  span: Span,
  document: ParsedDocument,
  suppressions: Suppression[],
): boolean {
  return suppressionFor(rule, span, document, suppressions) !== undefined;
}

/** An id of one of our suppressions that silences nothing, and the edit that removes it. */
export interface UnusedSuppression {
  /** The id as written (a rule id, a lesson id, or a peer's id in our directive). */
  id: string;
  /** Where the id is written. */
  span: Span;
  /** A comment directive or a Metadata `cloud-lessons: ignore` list. */
  where: 'comment' | 'metadata';
  /** Removes the id, or the whole directive (or Metadata entry) when it is its only one. */
  edits: TextEdit[];
}

/** What the CLI and the editor say of an unused suppression, and the title of its removal. */
export function unusedSuppressionText(unused: Pick<UnusedSuppression, 'id' | 'where'>): {
  message: string;
  fixTitle: string;
} {
  const where = unused.where === 'comment' ? 'comment' : 'Metadata entry';
  return {
    message: `"${unused.id}" in this suppression ${where} silences nothing here: remove it.`,
    fixTitle: `Remove the unused suppression of ${unused.id}`,
  };
}

/**
 * Our own suppressions (directives and `Metadata: cloud-lessons: ignore`) whose ids silence none
 * of the findings the rules made here. Peers' suppressions are left alone: the peer may still
 * need them, whatever this tool finds. `silenced` are the suppressed findings of the analysis.
 */
export function unusedSuppressions(
  document: ParsedDocument,
  suppressions: Suppression[],
  silenced: readonly { rule: RuleMeta; span: Span }[],
): UnusedSuppression[] {
  const unused: UnusedSuppression[] = [];
  for (const suppression of suppressions) {
    if (suppression.source !== 'cloud-lessons' || !suppression.idSpans || !suppression.span) continue;
    const used = new Set<string>();
    for (const finding of silenced) {
      // The finding counts for the first suppression that silences it, as the analysis decided.
      if (suppressionFor(finding.rule, finding.span, document, suppressions) !== suppression) continue;
      for (const id of matchingIds(suppression, finding.rule)) used.add(id);
    }
    const idle = suppression.ids
      .map((id, i) => ({ id, span: suppression.idSpans![i] }))
      .filter((e) => !used.has(e.id));
    if (idle.length === 0) continue;
    const where = suppression.written ?? 'comment';
    const all = idle.length === suppression.ids.length;
    for (const entry of idle) {
      const edits = all
        ? where === 'comment'
          ? [removeComment(document, suppression.span)]
          : removeMetadataList(document, suppression.span)
        : where === 'comment'
          ? [removeListedId(document, entry.span)]
          : removeMetadataId(document, suppression.span, entry.id);
      unused.push({ id: entry.id, span: entry.span, where, edits });
    }
  }
  return unused;
}

/** Remove a comment, with its line when nothing else is on it. */
function removeComment(document: ParsedDocument, span: Span): TextEdit {
  const { text, lines } = document;
  const line = lines.lineOf(span.start);
  const lineStart = lines.lineStart(line);
  const lineEnd = lines.lineEnd(line);
  const before = text.slice(lineStart, span.start);
  const after = text.slice(span.end, lineEnd);
  if (before.trim() === '' && after.trim() === '') {
    const end = line + 1 < lines.lineCount ? lines.lineStart(line + 1) : lineEnd;
    return { start: lineStart, end, text: '' };
  }
  const trimmedStart = lineStart + before.trimEnd().length;
  return { start: trimmedStart, end: span.end, text: '' };
}

/** Remove one id from a directive's list, with the comma or space that separates it. */
function removeListedId(document: ParsedDocument, span: Span): TextEdit {
  const { text } = document;
  let end = span.end;
  while (end < text.length && (text[end] === ',' || text[end] === ' ' || text[end] === '\t')) end++;
  const nextIsId = end < text.length && /[\w./*-]/.test(text[end]) && !text.startsWith('--', end);
  if (nextIsId) return { start: span.start, end, text: '' };
  let start = span.start;
  while (start > 0 && (text[start - 1] === ',' || text[start - 1] === ' ' || text[start - 1] === '\t'))
    start--;
  return { start, end: span.end, text: '' };
}

function metadataOwner(
  document: ParsedDocument,
  listSpan: Span,
): { owner: MapNode; metadata: MapNode } | undefined {
  const tree = document.tree;
  if (!tree) return undefined;
  const path = nodesAt(tree, listSpan.start);
  for (let i = path.length - 1; i >= 0; i--) {
    const metadata = asMap(path[i].node);
    if (path[i].pair?.key.value !== 'Metadata' || !metadata) continue;
    const owner = asMap(path[i - 1]?.node);
    if (owner) return { owner, metadata };
  }
  return undefined;
}

/** Remove `cloud-lessons: ignore` (and Metadata, when nothing else is in it). */
function removeMetadataList(document: ParsedDocument, listSpan: Span): TextEdit[] {
  const found = metadataOwner(document, listSpan);
  if (!found) return [];
  const target = targetOf(document);
  const ours = getPair(found.metadata, 'cloud-lessons');
  const ourMap = asMap(ours?.value);
  if (!ours || !ourMap) return [];
  if (ourMap.pairs.length > 1) {
    const ignore = getPair(ourMap, 'ignore');
    return ignore ? [removePair(target, ourMap, ignore)] : [];
  }
  if (found.metadata.pairs.length > 1) return [removePair(target, found.metadata, ours)];
  const metadataPair = getPair(found.owner, 'Metadata');
  return metadataPair ? [removePair(target, found.owner, metadataPair)] : [];
}

function removeMetadataId(document: ParsedDocument, listSpan: Span, id: string): TextEdit[] {
  const found = metadataOwner(document, listSpan);
  const list = found && getPath(found.metadata, 'cloud-lessons', 'ignore');
  if (!list) return [];
  const ids = stringList(list);
  return [
    replaceValue(
      targetOf(document),
      list,
      ids.filter((i) => i !== id),
    ),
  ];
}

function targetOf(document: ParsedDocument): EditTarget {
  return { text: document.text, lines: document.lines, format: document.format ?? 'yaml' };
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
