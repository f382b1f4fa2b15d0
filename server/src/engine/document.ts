import { classify, isBinary, type FileKind } from './classify';
import { buildTemplate, type Template } from './parse/cloudformation';
import { buildCompose, type ComposeFile } from './parse/compose';
import { grammarFor, parseCode, previousParse, type CodeModel, type PreviousParse } from './parse/code';
import { parseDockerfile, type DockerfileModel } from './parse/dockerfile';
import { parseJson } from './parse/json';
import { problemFromException, type ParseProblem } from './parse/problems';
import { asMap, type DataNode, type DocumentFormat } from './parse/tree';
import { parseYaml } from './parse/yaml';
import { LineIndex } from './text';

/** Larger files get one clear diagnostic instead of a parse that could stall an editor. */
export const maxAnalysedLength = 2_000_000;

export interface DocumentInput {
  /** Absolute path (or the path part of an untitled URI). */
  path: string;
  text: string;
  /** The editor's language id, when there is one. */
  languageId?: string;
  /**
   * The parse of the document's version before this one, while it is still alive: a code file
   * is parsed again from its tree (the result equals a fresh parse).
   */
  previous?: ParsedDocument;
}

/** What a check sees of the document besides its model. */
export interface SourceDocument {
  path: string;
  text: string;
  lines: LineIndex;
  kind: FileKind;
  languageId?: string;
}

export type Model =
  | { kind: 'cloudformation'; template: Template }
  | { kind: 'compose'; compose: ComposeFile }
  | { kind: 'dockerfile'; dockerfile: DockerfileModel }
  | { kind: 'javascript' | 'typescript' | 'python'; code: CodeModel };

/** One version of one document, parsed once and shared by every rule, hover and fix. */
export interface ParsedDocument extends SourceDocument {
  /** The tree of a YAML/JSON document, for hovers and suppressions. */
  tree?: DataNode;
  /** How that tree is written: edits follow it. */
  format?: DocumentFormat;
  model?: Model;
  problems: ParseProblem[];
  /** Whether the text could be analysed at all (not binary, not too large). */
  analysable: boolean;
  dispose(): void;
}

export async function parseSource(input: DocumentInput): Promise<ParsedDocument> {
  const { path, text, languageId } = input;
  // Taken before the first turn: the previous parse may be freed while this one waits.
  const previous: (PreviousParse & { taken?: boolean }) | undefined =
    input.previous?.model && 'code' in input.previous.model && input.previous.path === path
      ? previousParse(input.previous.text, input.previous.model.code)
      : undefined;
  try {
    return await parseDocument(path, text, languageId, previous);
  } finally {
    // Handed to the parser, which deletes it; left here when the parser was never asked.
    if (previous && !previous.taken) previous.tree.delete();
  }
}

async function parseDocument(
  path: string,
  text: string,
  languageId: string | undefined,
  previous: (PreviousParse & { taken?: boolean }) | undefined,
): Promise<ParsedDocument> {
  const lines = new LineIndex(text);
  const kind: FileKind = classify(path, text, languageId);
  const document: ParsedDocument = {
    path,
    text,
    lines,
    kind,
    languageId,
    problems: [],
    analysable: true,
    dispose() {},
  };
  if (isBinary(text)) {
    document.analysable = false;
    document.problems.push(fatal('This is a binary file, not text: it was not analysed.'));
    return document;
  }
  if (text.length > maxAnalysedLength) {
    document.analysable = false;
    const size = (text.length / 1_000_000).toFixed(1);
    document.problems.push(
      fatal(
        `This file is too large to analyse (${size} million characters; the limit is ${maxAnalysedLength / 1_000_000}).`,
      ),
    );
    return document;
  }
  try {
    await parseModel(document, previous);
  } catch (error) {
    document.problems.push(problemFromException(error, text.length));
  }
  return document;
}

/**
 * One note per tag CloudFormation does not know (`!Rain::Embed`, `!ValueOf` outside Rules):
 * another tool expands it before deployment, and the values behind it are not judged.
 */
function unknownTagNotes(root: DataNode, text: string): ParseProblem[] {
  const notes: ParseProblem[] = [];
  const seen = new Set<string>();
  const visit = (node: DataNode) => {
    if (node.tag && !seen.has(node.tag)) {
      seen.add(node.tag);
      const at = text.lastIndexOf(node.tag, node.span.start);
      notes.push({
        message: `${node.tag} is not a CloudFormation tag: a tool such as Rain must expand it before deployment, and the values behind it are not checked.`,
        span: at >= 0 ? { start: at, end: at + node.tag.length } : node.span,
        severity: 'info',
        fatal: false,
      });
    }
    if (node.type === 'map') for (const pair of node.pairs) visit(pair.value);
    else if (node.type === 'seq') for (const item of node.items) visit(item);
  };
  visit(root);
  return notes;
}

function fatal(message: string): ParseProblem {
  return { message, span: { start: 0, end: 0 }, severity: 'error', fatal: true };
}

async function parseModel(
  document: ParsedDocument,
  previous: (PreviousParse & { taken?: boolean }) | undefined,
): Promise<void> {
  const { kind, text } = document;
  switch (kind) {
    case 'cloudformation':
    case 'compose': {
      const json = kind === 'cloudformation' && text.trimStart().startsWith('{');
      const { root, problems } = json ? parseJson(text) : parseYaml(text);
      document.problems.push(...problems);
      document.tree = root;
      document.format = json ? 'json' : 'yaml';
      if (!root || problems.some((p) => p.fatal)) return;
      const map = asMap(root);
      if (kind === 'cloudformation') {
        const template = map && buildTemplate(map, json ? 'json' : 'yaml');
        if (template) document.model = { kind, template };
        document.problems.push(...unknownTagNotes(root, text));
      } else if (map) {
        document.model = { kind, compose: buildCompose(map) };
      }
      return;
    }
    case 'dockerfile':
      document.model = { kind, dockerfile: parseDockerfile(text, document.lines) };
      return;
    case 'javascript':
    case 'typescript':
    case 'python': {
      if (previous) previous.taken = true;
      const code = await parseCode(text, grammarFor(document.path, document.languageId, kind === 'python'), {
        previous,
      });
      document.model = { kind, code };
      document.dispose = () => code.dispose();
      return;
    }
    default:
      return;
  }
}
