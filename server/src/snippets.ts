import type { FileKind } from './engine/classify';
import cloudformationJson from '../../snippets/cloudformation-json.json';
import cloudformationYaml from '../../snippets/cloudformation-yaml.json';
import compose from '../../snippets/compose.json';
import dockerfile from '../../snippets/dockerfile.json';
import javascript from '../../snippets/javascript.json';
import python from '../../snippets/python.json';

/** A snippet as VS Code's snippet files write it. */
export interface Snippet {
  prefix: string;
  description: string;
  body: string;
}

type SnippetFile = Record<string, { prefix: string; description: string; body: string[] | string }>;

function load(file: SnippetFile): Snippet[] {
  return Object.values(file).map((s) => ({
    prefix: s.prefix,
    description: s.description,
    body: Array.isArray(s.body) ? s.body.join('\n') : s.body,
  }));
}

/** The snippet files, by the language they are registered for in package.json. */
export const snippetFiles = {
  cloudformationYaml: load(cloudformationYaml),
  cloudformationJson: load(cloudformationJson),
  compose: load(compose),
  dockerfile: load(dockerfile),
  javascript: load(javascript),
  python: load(python),
};

/**
 * The snippets an editor without the VS Code extension gets as completions. An empty YAML or
 * JSON file is not yet recognisable as a template, so it is offered the template snippets.
 */
export function snippetsFor(kind: FileKind, languageId: string | undefined): Snippet[] {
  switch (kind) {
    case 'cloudformation':
      return languageId === 'json' || languageId === 'jsonc'
        ? snippetFiles.cloudformationJson
        : snippetFiles.cloudformationYaml;
    case 'compose':
      return snippetFiles.compose;
    case 'dockerfile':
      return snippetFiles.dockerfile;
    case 'javascript':
    case 'typescript':
      return snippetFiles.javascript;
    case 'python':
      return snippetFiles.python;
    default:
      if (languageId === 'yaml') return [...snippetFiles.cloudformationYaml, ...snippetFiles.compose];
      if (languageId === 'json') return snippetFiles.cloudformationJson;
      return [];
  }
}

/** The text a snippet inserts when every placeholder keeps its default (for tests and previews). */
export function expandSnippet(body: string): string {
  let text = body;
  // Innermost first: ${1:default}, ${1|a,b|} and bare $1 / ${1}, then escaped dollars.
  for (let previous = ''; previous !== text;) {
    previous = text;
    text = text.replace(/\$\{\d+:([^${}]*)\}/g, '$1').replace(/\$\{\d+\|([^,|]*)[^|]*\|\}/g, '$1');
  }
  return text.replace(/\$\{\d+\}|\$\d+/g, '').replace(/\\\$/g, '$');
}
