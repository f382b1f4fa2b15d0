/**
 * Paths and links as every output writes them. A file name is data, never markup or a URI of its
 * own: `javascript:alert(1).yaml` must stay a file, so every path segment is percent-encoded
 * (a colon too, which would otherwise start a scheme) and reports link only to relative paths
 * and to the editor's own `file:` and `command:` targets.
 */

/** Characters encodeURIComponent leaves as they are, though they mean something in Markdown or in a URI. */
const extra = /[!'()*]/g;

/** A relative path as a relative URI reference: each segment percent-encoded. */
export function pathUri(path: string): string {
  return path
    .split('/')
    .map((segment) =>
      encodeURIComponent(segment).replace(extra, (c) => `%${c.charCodeAt(0).toString(16).toUpperCase()}`),
    )
    .join('/');
}

const scheme = /^([a-z][a-z0-9+.-]*):/i;

/** C0 and C1 control characters, and the bidirectional overrides that reorder what is shown. */
export function isControl(code: number): boolean {
  return (
    code <= 0x1f ||
    (code >= 0x7f && code <= 0x9f) ||
    code === 0x2028 ||
    code === 0x2029 ||
    (code >= 0x202a && code <= 0x202e) ||
    (code >= 0x2066 && code <= 0x2069)
  );
}

/**
 * The link when a report may show it: a relative reference (no scheme, no `//host`), or a
 * `file:` or `command:` URI that an editor built. Anything else (javascript:, data:, http:…)
 * is shown as text without a link.
 */
export function safeHref(href: string): string | undefined {
  for (let i = 0; i < href.length; i++) {
    const code = href.charCodeAt(i);
    if (code === 0x20 || isControl(code)) return undefined;
  }
  if (href.startsWith('//') || href.startsWith('\\')) return undefined;
  const match = scheme.exec(href);
  if (!match) return href;
  return ['file', 'command'].includes(match[1].toLowerCase()) ? href : undefined;
}

/**
 * Text for a terminal or a log line: control characters (a newline in a file name, an escape
 * sequence that would recolour or rewrite the screen) shown as `\xNN` or `\uNNNN`.
 */
export function printable(text: string): string {
  let out = '';
  let from = 0;
  for (let i = 0; i < text.length; i++) {
    const code = text.charCodeAt(i);
    if (!isControl(code)) continue;
    out +=
      text.slice(from, i) +
      (code <= 0xff
        ? `\\x${code.toString(16).padStart(2, '0')}`
        : `\\u${code.toString(16).padStart(4, '0')}`);
    from = i + 1;
  }
  return from === 0 ? text : out + text.slice(from);
}
