import { parseTree, printParseErrorCode, type Node as JsonNode, type ParseError } from 'jsonc-parser';
import type { DataNode, Pair, ScalarNode } from './tree';
import { problemFromException, type ParseProblem } from './problems';

export interface JsonParseResult {
  root: DataNode | undefined;
  problems: ParseProblem[];
}

const messages: Record<string, string> = {
  InvalidSymbol: 'unexpected character',
  InvalidNumberFormat: 'invalid number',
  PropertyNameExpected: 'a property name in double quotes was expected',
  ValueExpected: 'a value was expected',
  ColonExpected: 'a colon was expected',
  CommaExpected: 'a comma was expected',
  CloseBraceExpected: 'a closing } was expected',
  CloseBracketExpected: 'a closing ] was expected',
  EndOfFileExpected: 'the document should end here',
  InvalidCommentToken: 'invalid comment',
  UnexpectedEndOfComment: 'a comment is not closed',
  UnexpectedEndOfString: 'a string is not closed',
  UnexpectedEndOfNumber: 'a number is not complete',
  InvalidUnicode: 'invalid unicode escape',
  InvalidEscapeCharacter: 'invalid escape character',
  InvalidCharacter: 'invalid character in a string',
};

/** Parse JSON into the shared tree; duplicate keys are reported (JSON parsers keep the last). */
export function parseJson(text: string): JsonParseResult {
  const errors: ParseError[] = [];
  let tree: JsonNode | undefined;
  try {
    // A byte-order mark is not part of the JSON text: read it as a space, so offsets stay the same.
    const source = text.charCodeAt(0) === 0xfeff ? ` ${text.slice(1)}` : text;
    tree = parseTree(source, errors, { allowTrailingComma: false, disallowComments: false });
  } catch (error) {
    return { root: undefined, problems: [problemFromException(error, text.length)] };
  }
  const problems: ParseProblem[] = errors.map((e) => {
    const code = printParseErrorCode(e.error);
    return {
      message: `JSON syntax error: ${messages[code] ?? code}.`,
      span: { start: e.offset, end: e.offset + Math.max(1, e.length) },
      severity: 'error' as const,
      fatal: true,
    };
  });
  if (problems.length > 0 || !tree) {
    if (!tree && problems.length === 0) {
      problems.push({
        message: 'The document is empty.',
        span: { start: 0, end: 0 },
        severity: 'error',
        fatal: true,
      });
    }
    return { root: undefined, problems };
  }
  try {
    return { root: convert(tree, problems, 0), problems };
  } catch (error) {
    return { root: undefined, problems: [problemFromException(error, text.length)] };
  }
}

function convert(node: JsonNode, problems: ParseProblem[], depth: number): DataNode {
  if (depth > 500) throw new RangeError('Maximum call stack size exceeded');
  const span = { start: node.offset, end: node.offset + node.length };
  switch (node.type) {
    case 'object': {
      const pairs: Pair[] = [];
      const seen = new Set<string>();
      for (const property of node.children ?? []) {
        const [keyNode, valueNode] = property.children ?? [];
        if (!keyNode) continue;
        const key = scalar(keyNode);
        if (seen.has(String(key.value))) {
          problems.push({
            message: `Duplicate key "${key.value}": only the last one takes effect.`,
            span: key.span,
            severity: 'warning',
            fatal: false,
          });
        }
        seen.add(String(key.value));
        const value: DataNode = valueNode
          ? convert(valueNode, problems, depth + 1)
          : { type: 'scalar', value: null, style: 'json', span: { start: key.span.end, end: key.span.end } };
        pairs.push({ key, value, span: { start: key.span.start, end: value.span.end } });
      }
      return { type: 'map', pairs, flow: true, span };
    }
    case 'array':
      return {
        type: 'seq',
        items: (node.children ?? []).map((child) => convert(child, problems, depth + 1)),
        flow: true,
        span,
      };
    default:
      return scalar(node);
  }
}

function scalar(node: JsonNode): ScalarNode {
  const value = node.value as ScalarNode['value'];
  return {
    type: 'scalar',
    value: value === undefined ? null : value,
    style: 'json',
    span: { start: node.offset, end: node.offset + node.length },
  };
}
