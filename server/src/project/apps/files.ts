import type { Place } from '../../engine/applications';
import type { EditTarget } from '../../engine/edit';
import type { DocumentFormat } from '../../engine/parse/tree';
import { LineIndex, trimTrailing, type Span } from '../../engine/text';

/** A file of the workspace the application model read: its text, where its places are, how to edit it. */
export class ReadFile {
  readonly lines: LineIndex;

  constructor(
    readonly path: string,
    readonly text: string,
    readonly format: DocumentFormat,
  ) {
    this.lines = new LineIndex(text);
  }

  place(span: Span): Place {
    return { path: this.path, span, range: this.lines.rangeOf(span) };
  }

  get target(): EditTarget {
    return { text: this.text, lines: this.lines, format: this.format };
  }
}

/** Image references name a repository by its last path segment, without tag or digest: `org/shop-api:1.2` → `shop-api`. */
export function repositoryName(reference: string): string {
  return (
    reference
      .replace(/\$\{[^}]*\}/g, '')
      .replace(/@.*$/, '')
      .replace(/:[^/:]*$/, '')
      .split('/')
      .pop()
      ?.toLowerCase() ?? ''
  );
}

/** `path` without the separators it ends with (a root stays a root). */
export function withoutTrailingSeparators(path: string): string {
  return trimTrailing(path, '/\\') || path.slice(0, 1);
}
