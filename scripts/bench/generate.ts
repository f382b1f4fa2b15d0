// The files the latency figures are taken on, and where in each the bench types.
//
// Each figure wants a file of a given kind and size. A file of the corpus is used when the
// classifier gives it that kind and its size is within [size, 1.5 × size]; otherwise one is built
// deterministically from real files of the corpus of that kind (sorted by path): templates merged
// section by section with their logical ids suffixed (and every reference to them renamed),
// Dockerfiles and code files concatenated. Every file is checked with the classifier, and the
// place the bench types at (a new comment line near the middle) is checked with the reference
// parsers to leave the document's meaning alone.
import { copyFileSync, existsSync, mkdirSync, readFileSync, writeFileSync } from 'node:fs';
import { basename, dirname, join, relative } from 'node:path';
import { DockerfileParser } from 'dockerfile-ast';
import {
  Document,
  isAlias,
  isMap,
  isPair,
  isScalar,
  isSeq,
  Pair,
  parseDocument,
  Scalar,
  visit,
  YAMLMap,
  type Node as YamlNode,
} from 'yaml';
import { classify, type FileKind } from '../../server/src/engine/classify';
import { grammarFor } from '../../server/src/engine/parse/code';
import { discoverFiles } from '../../server/src/project/files';
import { referenceParser } from './reference';

export interface EditPoint {
  /** 0-based line the comment line is inserted before. */
  line: number;
  indent: string;
  prefix: string;
  /** The characters typed after the prefix, one edit each. */
  typed: string;
}

export interface LatencyFile {
  id: string;
  path: string;
  lines: number;
  kind: FileKind;
  languageId: string;
  /** `corpus: <path>` or how the file was generated. */
  origin: string;
  edit: EditPoint;
}

interface CorpusFile {
  path: string;
  rel: string;
  text: string;
  lines: number;
  kind: FileKind;
}

const typed = ' the quick brown fox jumps over the lazy dog and types on'.padEnd(59, '.');
const lineCount = (text: string) => text.split('\n').length - (text.endsWith('\n') ? 1 : 0);

export function languageIdOf(path: string, kind: FileKind): string {
  if (kind === 'cloudformation') return path.endsWith('.json') ? 'json' : 'yaml';
  if (kind === 'compose') return 'dockercompose';
  if (kind === 'typescript') return path.endsWith('.tsx') ? 'typescriptreact' : 'typescript';
  if (kind === 'other') return path.endsWith('.json') ? 'json' : 'plaintext';
  return kind;
}

function corpusFiles(corpus: string): CorpusFile[] {
  const files: CorpusFile[] = [];
  for (const path of discoverFiles(corpus, { root: corpus })) {
    const text = readFileSync(path, 'utf8');
    files.push({
      path,
      rel: relative(corpus, path),
      text,
      lines: lineCount(text),
      kind: classify(path, text),
    });
  }
  return files.sort((a, b) => (a.rel < b.rel ? -1 : a.rel > b.rel ? 1 : 0));
}

/** A corpus file of the kind with at least `lines` lines (at most 1.5 × as many), the smallest. */
function realFile(files: CorpusFile[], accept: (f: CorpusFile) => boolean, lines: number) {
  return files
    .filter((f) => accept(f) && f.lines >= lines && f.lines <= lines * 1.5)
    .sort((a, b) => a.lines - b.lines)[0];
}

// ---- templates -------------------------------------------------------------------------------

const sections = ['Parameters', 'Mappings', 'Conditions', 'Resources', 'Outputs'] as const;
const sam = 'AWS::Serverless-2016-10-31';

/** Renames the references of a template (Ref, GetAtt, Sub, DependsOn, conditions, mappings). */
function renameReferences(root: YamlNode, rename: (name: string) => string | undefined): void {
  const scalar = (node: unknown, how: 'name' | 'getatt' | 'sub') => {
    if (!isScalar(node) || typeof node.value !== 'string') return;
    const value = node.value;
    if (how === 'name') node.value = rename(value) ?? value;
    else if (how === 'getatt') {
      const dot = value.indexOf('.');
      const head = dot < 0 ? value : value.slice(0, dot);
      const renamed = rename(head);
      if (renamed) node.value = renamed + (dot < 0 ? '' : value.slice(dot));
    } else {
      node.value = value.replace(/\$\{([^!}][^}]*)\}/g, (whole, inner: string) => {
        const dot = inner.indexOf('.');
        const head = dot < 0 ? inner : inner.slice(0, dot);
        const renamed = rename(head);
        return renamed ? `\${${renamed}${dot < 0 ? '' : inner.slice(dot)}}` : whole;
      });
    }
  };
  const first = (node: unknown, how: 'name' | 'getatt' | 'sub') => {
    if (isSeq(node)) scalar(node.items[0], how);
    else scalar(node, how);
  };
  const byTag: Record<string, 'name' | 'getatt' | 'sub'> = {
    '!Ref': 'name',
    '!Condition': 'name',
    '!GetAtt': 'getatt',
    '!Sub': 'sub',
    '!If': 'name',
    '!FindInMap': 'name',
  };
  const byKey: Record<string, 'name' | 'getatt' | 'sub'> = {
    Ref: 'name',
    Condition: 'name',
    'Fn::GetAtt': 'getatt',
    'Fn::Sub': 'sub',
    'Fn::If': 'name',
    'Fn::FindInMap': 'name',
  };
  visit(root, {
    Scalar(_key, node) {
      const how = node.tag ? byTag[node.tag] : undefined;
      if (how) scalar(node, how);
    },
    Seq(_key, node) {
      const how = node.tag ? byTag[node.tag] : undefined;
      if (how) first(node, how);
    },
    Pair(_key, pair) {
      const key = isScalar(pair.key) ? String(pair.key.value) : undefined;
      if (key === undefined) return;
      if (key === 'DependsOn') {
        if (isSeq(pair.value)) for (const item of pair.value.items) scalar(item, 'name');
        else scalar(pair.value, 'name');
      } else if (byKey[key]) first(pair.value, byKey[key]);
    },
  });
}

/** Real templates merged until the result has at least `target` lines. */
function mergedTemplate(files: CorpusFile[], target: number): { text: string; used: string[] } {
  const merged = new Map<string, YAMLMap>(sections.map((s) => [s, new YAMLMap()]));
  const used: string[] = [];
  let serverless = false;
  let estimate = 0;
  let text = '';
  const candidates = files.filter((f) => f.kind === 'cloudformation' && !f.text.trimStart().startsWith('{'));
  for (const file of candidates) {
    if (estimate >= target) {
      text = render(merged, serverless, used.length);
      if (lineCount(text) >= target) break;
      // Rendering can be shorter than the sources: go on from what it really is.
      estimate = lineCount(text);
    }
    if (estimate + file.lines > target * 1.1) continue;
    const doc = parseDocument(file.text, { uniqueKeys: false });
    if (doc.errors.length > 0 || !isMap(doc.contents)) continue;
    let aliases = false;
    visit(doc, {
      Node(_key, node) {
        if (isAlias(node) || (node as { anchor?: string }).anchor) {
          aliases = true;
          return visit.BREAK;
        }
      },
    });
    if (aliases) continue;
    const top = doc.contents;
    const transform = top.get('Transform') as unknown;
    if (transform !== undefined && transform !== sam) continue;
    if (!isMap(top.get('Resources'))) continue;
    const suffix = `C${used.length + 1}`;
    const ids = new Set<string>();
    for (const section of sections.slice(0, 4)) {
      const map = top.get(section);
      if (isMap(map)) for (const pair of map.items) if (isScalar(pair.key)) ids.add(String(pair.key.value));
    }
    const sorted = [...ids].sort((a, b) => b.length - a.length);
    const rename = (name: string) => {
      if (ids.has(name)) return name + suffix;
      // SAM's generated resources: `MyFunctionRole` of `MyFunction`.
      const prefix = sorted.find((id) => name.startsWith(id) && /^[A-Z]/.test(name.slice(id.length)));
      return prefix ? prefix + suffix + name.slice(prefix.length) : undefined;
    };
    for (const section of sections) {
      const map = top.get(section);
      if (!isMap(map)) continue;
      for (const pair of map.items) {
        if (!isPair(pair) || !isScalar(pair.key)) continue;
        renameReferences(pair.value as YamlNode, rename);
        const key = new Scalar(String(pair.key.value) + suffix);
        merged.get(section)!.items.push(new Pair(key, pair.value));
      }
    }
    serverless ||= transform === sam;
    used.push(file.rel);
    estimate += file.lines;
  }
  if (lineCount(text) < target || text === '') text = render(merged, serverless, used.length);
  return { text, used };
}

function render(merged: Map<string, YAMLMap>, serverless: boolean, count: number): string {
  const doc = new Document({});
  const root = doc.contents as YAMLMap;
  const version = new Scalar('2010-09-09');
  version.type = 'QUOTE_SINGLE';
  root.set('AWSTemplateFormatVersion', version);
  root.set('Description', `Generated for the latency bench from ${count} templates of the corpus`);
  if (serverless) root.set('Transform', sam);
  for (const [section, map] of merged) if (map.items.length > 0) root.set(section, map);
  return doc.toString({ lineWidth: 0, flowCollectionPadding: false });
}

// ---- Dockerfiles and code -------------------------------------------------------------------

function concatenatedDockerfile(files: CorpusFile[], target: number): { text: string; used: string[] } {
  const parts: string[] = [];
  const used: string[] = [];
  let lines = 0;
  let stages = 0;
  for (const file of files.filter((f) => f.kind === 'dockerfile')) {
    if (lines >= target) break;
    if (/^#\s*escape\s*=/im.test(file.text)) continue;
    const n = used.length + 1;
    const names = new Set<string>();
    let own = 0;
    let text = file.text.replace(
      /^(\s*FROM\s+(?:--\S+\s+)*)(\S+)(\s+AS\s+)(\S+)/gim,
      (_w, from, image, as, name) => {
        names.add(name.toLowerCase());
        return `${from}${image}${as}${name}_${n}`;
      },
    );
    own = (text.match(/^\s*FROM\s/gim) ?? []).length;
    // Stages named or numbered in COPY --from and FROM point into this file's own stages.
    text = text.replace(/--from=(\S+)/g, (whole, ref: string) =>
      names.has(ref.toLowerCase())
        ? `--from=${ref}_${n}`
        : /^\d+$/.test(ref)
          ? `--from=${Number(ref) + stages}`
          : whole,
    );
    text = text.replace(/^(\s*FROM\s+(?:--\S+\s+)*)(\S+)/gim, (whole, from, image: string) =>
      names.has(image.toLowerCase()) ? `${from}${image}_${n}` : whole,
    );
    stages += own;
    parts.push(`# --- from ${file.rel}\n${text.endsWith('\n') ? text : text + '\n'}`);
    used.push(file.rel);
    lines += lineCount(text) + 1;
  }
  return { text: parts.join('\n'), used };
}

async function concatenatedCode(
  files: CorpusFile[],
  kind: 'javascript' | 'python',
  target: number,
): Promise<{ text: string; used: string[]; cycles: number }> {
  const comment = kind === 'python' ? '#' : '//';
  const parser = await referenceParser(kind === 'python' ? 'python' : 'javascript');
  const sources: CorpusFile[] = [];
  // Application code first, CDK apps after; generated protobuf stubs left out.
  const ofKind = files.filter(
    (f) => f.kind === kind && /\.(js|cjs|mjs|py)$/.test(f.path) && !/_pb2(_grpc)?\.py$/.test(f.path),
  );
  for (const file of [
    ...ofKind.filter((f) => !f.rel.startsWith('cdk/')),
    ...ofKind.filter((f) => f.rel.startsWith('cdk/')),
  ]) {
    const tree = parser.parse(file.text);
    if (tree && !tree.rootNode.hasError) sources.push(file);
    tree?.delete();
  }
  const parts: string[] = [];
  const used = new Set<string>();
  let lines = 0;
  let cycles = 0;
  while (lines < target && sources.length > 0) {
    cycles++;
    for (const file of sources) {
      if (lines >= target) break;
      // A shebang is only valid on the first line.
      const text = file.text.replace(/^#!.*$/m, (line) => `${comment} ${line}`);
      parts.push(
        `${comment} --- from ${file.rel}${cycles > 1 ? ' (again)' : ''}\n${text.endsWith('\n') ? text : text + '\n'}`,
      );
      used.add(file.rel);
      lines += lineCount(text) + 1;
    }
  }
  return { text: parts.join(''), used: [...used], cycles };
}

// ---- where to type ----------------------------------------------------------------------------

const sameData = (a: string, b: string) => {
  const x = parseDocument(a, { uniqueKeys: false });
  const y = parseDocument(b, { uniqueKeys: false });
  return y.errors.length === 0 && JSON.stringify(x.toJS()) === JSON.stringify(y.toJS());
};

function withComment(text: string, edit: EditPoint, chars: number): string {
  const lines = text.split('\n');
  lines.splice(edit.line, 0, edit.indent + edit.prefix + edit.typed.slice(0, chars));
  return lines.join('\n');
}

/** A new comment line near the middle, checked to be a comment in the first and the last state. */
async function editPoint(path: string, text: string, kind: FileKind): Promise<EditPoint> {
  const lines = text.split('\n');
  const middle = Math.floor(lines.length / 2);
  const order = [...lines.keys()].slice(middle).concat([...lines.keys()].slice(0, middle));
  if (kind === 'dockerfile') {
    const instructions = DockerfileParser.parse(text).getInstructions();
    const comments = DockerfileParser.parse(text).getComments().length;
    for (const at of order) {
      const starts = instructions.some((i) => i.getRange().start.line === at);
      if (!starts || (at > 0 && /\\\s*$/.test(lines[at - 1]))) continue;
      const edit = { line: at, indent: '', prefix: '#', typed };
      const after = DockerfileParser.parse(withComment(text, edit, typed.length));
      if (
        after.getInstructions().length === instructions.length &&
        after.getComments().length === comments + 1
      )
        return edit;
    }
    throw new Error(`no place to type in ${path}`);
  }
  const prefix = kind === 'javascript' || kind === 'typescript' ? '//' : '#';
  const code = kind === 'javascript' || kind === 'typescript' || kind === 'python';
  const parser = code ? await referenceParser(grammarFor(path, undefined, kind === 'python')) : undefined;
  let tries = 0;
  for (const at of order) {
    const line = lines[at];
    if (line.trim() === '') continue;
    if (++tries > 200) break;
    const indent = /^[ \t]*/.exec(line)![0];
    const edit = { line: at, indent, prefix, typed };
    const states = [withComment(text, edit, 0), withComment(text, edit, typed.length)];
    if (parser) {
      const offset = lines.slice(0, at).join('\n').length + (at > 0 ? 1 : 0) + indent.length;
      const ok = states.every((state) => {
        const tree = parser.parse(state);
        const fine =
          !!tree && !tree.rootNode.hasError && tree.rootNode.descendantForIndex(offset)?.type === 'comment';
        tree?.delete();
        return fine;
      });
      if (ok) return edit;
    } else if (states.every((state) => sameData(text, state))) {
      return edit;
    }
  }
  throw new Error(`no place to type in ${path}`);
}

// ---- the set --------------------------------------------------------------------------------

export async function generate(corpus: string, out: string): Promise<LatencyFile[]> {
  const files = corpusFiles(corpus);
  const result: LatencyFile[] = [];
  const add = async (id: string, path: string, text: string, origin: string) => {
    const kind = classify(path, text);
    result.push({
      id,
      path,
      lines: lineCount(text),
      kind,
      languageId: languageIdOf(path, kind),
      origin,
      edit: await editPoint(path, text, kind),
    });
  };
  const write = (folder: string, name: string, text: string) => {
    const dir = join(out, folder);
    mkdirSync(dir, { recursive: true });
    writeFileSync(join(dir, name), text);
    return join(dir, name);
  };
  const yamlTemplate = (f: CorpusFile) => f.kind === 'cloudformation' && !f.text.trimStart().startsWith('{');

  for (const [id, lines] of [
    ['template-3k', 3000],
    ['template-20k', 20000],
  ] as const) {
    const real = realFile(files, yamlTemplate, lines);
    if (real) await add(id, real.path, real.text, `corpus: ${real.rel}`);
    else {
      const { text, used } = mergedTemplate(files, lines);
      const path = write(id, 'template.yaml', text);
      await add(
        id,
        path,
        text,
        `generated: ${used.length} YAML templates of the corpus merged (ids suffixed)`,
      );
    }
  }
  const largest = files.filter(yamlTemplate).sort((a, b) => b.lines - a.lines || (a.rel < b.rel ? -1 : 1))[0];
  if (largest) await add('template-largest-real', largest.path, largest.text, `corpus: ${largest.rel}`);

  const docker = realFile(files, (f) => f.kind === 'dockerfile', 2000);
  if (docker) await add('dockerfile-2k', docker.path, docker.text, `corpus: ${docker.rel}`);
  else {
    const { text, used } = concatenatedDockerfile(files, 2000);
    const path = write('dockerfile-2k', 'Dockerfile', text);
    await add(
      'dockerfile-2k',
      path,
      text,
      `generated: ${used.length} Dockerfiles of the corpus concatenated`,
    );
  }

  for (const [id, kind, name, manifest] of [
    ['javascript-5k', 'javascript', 'server.js', 'package.json'],
    ['python-5k', 'python', 'app.py', 'requirements.txt'],
  ] as const) {
    const real = realFile(files, (f) => f.kind === kind, 5000);
    if (real) {
      await add(id, real.path, real.text, `corpus: ${real.rel}`);
      continue;
    }
    const { text, used, cycles } = await concatenatedCode(files, kind, 5000);
    const path = write(id, name, text);
    // Beside the manifest of a real app of the corpus, as an app's file would be.
    const app = files.find((f) => f.kind === kind && existsSync(join(dirname(f.path), manifest)));
    if (app) copyFileSync(join(dirname(app.path), manifest), join(out, id, manifest));
    await add(
      id,
      path,
      text,
      `generated: ${used.length} ${kind === 'python' ? 'Python' : 'JavaScript'} files of the corpus concatenated` +
        (cycles > 1 ? ` (${cycles} rounds: the corpus holds fewer lines)` : '') +
        (app ? `, beside ${basename(manifest)} of ${relative(corpus, dirname(app.path))}` : ''),
    );
  }
  const js = files.filter((f) => f.kind === 'javascript').sort((a, b) => b.lines - a.lines)[0];
  if (js) await add('javascript-largest-real', js.path, js.text, `corpus: ${js.rel}`);
  return result;
}
