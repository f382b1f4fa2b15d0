import { basename, extname } from 'node:path';

/** What a file is, as the JSON output names it. */
export type FileKind =
  'cloudformation' | 'dockerfile' | 'compose' | 'javascript' | 'typescript' | 'python' | 'other';

/** The kinds a rule declares (RULES.md's short names); `any` is every text file. */
export type RuleKind = 'cfn' | 'docker' | 'compose' | 'js' | 'py' | 'any';

export const ruleKindOf: Record<FileKind, RuleKind | undefined> = {
  cloudformation: 'cfn',
  dockerfile: 'docker',
  compose: 'compose',
  javascript: 'js',
  typescript: 'js',
  python: 'py',
  other: undefined,
};

const codeExtensions: Record<string, FileKind> = {
  '.js': 'javascript',
  '.mjs': 'javascript',
  '.cjs': 'javascript',
  '.jsx': 'javascript',
  '.ts': 'typescript',
  '.mts': 'typescript',
  '.cts': 'typescript',
  '.tsx': 'typescript',
  '.py': 'python',
};

const languageKinds: Record<string, FileKind> = {
  dockerfile: 'dockerfile',
  dockercompose: 'compose',
  javascript: 'javascript',
  javascriptreact: 'javascript',
  typescript: 'typescript',
  typescriptreact: 'typescript',
  python: 'python',
};

const dataExtensions = new Set(['.yaml', '.yml', '.json', '.template', '.cfn', '.txt']);

export function isDockerfileName(name: string): boolean {
  const b = name.toLowerCase();
  return (
    b === 'dockerfile' ||
    b === 'containerfile' ||
    b.startsWith('dockerfile.') ||
    b.startsWith('containerfile.') ||
    b.endsWith('.dockerfile') ||
    b.endsWith('.containerfile')
  );
}

export function isComposeName(name: string): boolean {
  return /^(docker-)?compose([.-][\w.-]+)?\.ya?ml$/i.test(name);
}

/** Which kind a file is, from its name, the editor's language id and, for YAML/JSON, its content. */
export function classify(path: string, text: string, languageId?: string): FileKind {
  const name = basename(path);
  if (isDockerfileName(name)) return 'dockerfile';
  const ext = extname(name).toLowerCase();
  const byExtension = codeExtensions[ext];
  if (byExtension) return byExtension;
  const byLanguage = languageId ? languageKinds[languageId] : undefined;
  if (byLanguage) return byLanguage;
  if (isComposeName(name)) return 'compose';
  if (dataExtensions.has(ext) || languageId === 'yaml' || languageId === 'json' || languageId === 'jsonc') {
    const trimmed = text.trimStart();
    const json = trimmed.startsWith('{');
    if (looksLikeTemplate(text, json)) return 'cloudformation';
    if (!json && ext !== '.json' && looksLikeCompose(text)) return 'compose';
  }
  return 'other';
}

const templateMarkers = {
  yaml: {
    version: /^["']?AWSTemplateFormatVersion["']?\s*:/m,
    resources: /^["']?Resources["']?\s*:/m,
    // `Type:` on its own line, or inside a flow map (`Bucket: {Type: AWS::S3::Bucket}`).
    type: /(?:^[ \t]+|[{,][ \t]*)["']?Type["']?\s*:\s*["']?(AWS|Custom|Alexa)::/m,
  },
  json: {
    version: /"AWSTemplateFormatVersion"\s*:/,
    resources: /"Resources"\s*:\s*\{/,
    type: /"Type"\s*:\s*"(AWS|Custom|Alexa)::/,
  },
};

/** The markers of a YAML template whose top level is indented by `indent` (valid YAML, and seen in real repositories). */
const indentedMarkers = new Map<string, { version: RegExp; resources: RegExp }>();

function yamlMarkersAt(indent: string): { version: RegExp; resources: RegExp } {
  if (indent === '') return templateMarkers.yaml;
  let markers = indentedMarkers.get(indent);
  if (!markers) {
    const at = `^${indent}`;
    markers = {
      version: new RegExp(`${at}["']?AWSTemplateFormatVersion["']?\\s*:`, 'm'),
      resources: new RegExp(`${at}["']?Resources["']?\\s*:`, 'm'),
    };
    if (indentedMarkers.size < 16) indentedMarkers.set(indent, markers);
  }
  return markers;
}

/**
 * The indentation of a YAML document's top level: that of its first line that is not blank, a
 * comment, a directive or a document marker (YAML indents with spaces only).
 */
export function topLevelIndent(text: string): string {
  const indent = /^(?![ \t]*(?:#|%|---|\.\.\.|$))( *)\S/m.exec(text)?.[1] ?? '';
  // Deeper than this is a fragment of something else, not a top level of its own.
  return indent.length <= 8 ? indent : '';
}

/** A template declares its format version, or has top-level Resources with AWS types. */
export function looksLikeTemplate(text: string, json: boolean): boolean {
  if (json) {
    const m = templateMarkers.json;
    return m.version.test(text) || (m.resources.test(text) && m.type.test(text));
  }
  const m = yamlMarkersAt(topLevelIndent(text));
  return m.version.test(text) || (m.resources.test(text) && templateMarkers.yaml.type.test(text));
}

function looksLikeCompose(text: string): boolean {
  return /^services\s*:/m.test(text) && /^[ \t]+(image|build)\s*:/m.test(text);
}

/** Text with NUL characters near its start is not text: images, archives, compiled files. */
export function isBinary(text: string): boolean {
  return text.slice(0, 8000).includes('\u0000');
}

/**
 * Test code: fixtures and assertions there are not what runs in production, so rules about
 * deployment (credentials, endpoints, TLS) leave it alone. Only the file's name and the two
 * folders above it count, so that an app kept inside a repository's test folder is still an app.
 */
export function isTestFile(path: string): boolean {
  const parts = path.replace(/\\/g, '/').split('/');
  const name = parts[parts.length - 1] ?? '';
  const folders = parts.slice(-3, -1);
  return (
    folders.some((f) => /^(__tests__|__mocks__|tests?|spec|e2e)$/.test(f)) ||
    /\.(test|spec|e2e-spec)\.[cm]?[jt]sx?$/.test(name) ||
    /^(test_.*|.*_test|conftest)\.py$/.test(name)
  );
}
