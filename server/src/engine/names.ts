/**
 * Identifiers, the one place they are split into words: property names, variables, logical ids
 * and environment variable names all go through here.
 */

/** Identifiers repeat across files (property names, variables): split each one once. */
const wordsOfName = new Map<string, readonly string[]>();

/**
 * A copy of a string that holds no other. V8 makes a slice of 13 characters or more share its
 * parent's text, so a name sliced from a file keeps the whole file alive wherever it is kept: in
 * a cache, in a report held until the run prints.
 */
export function ownString(value: string): string {
  return value.length < 13 ? value : (JSON.parse(JSON.stringify(value)) as string);
}

const isUpper = (c: number) => c >= 65 && c <= 90;
const isLower = (c: number) => c >= 97 && c <= 122;
const isDigit = (c: number) => c >= 48 && c <= 57;

/**
 * The lower-cased words of an identifier, whatever its case style:
 * `MasterUserPassword` → master, user, password; `DB_PASS` → db, pass; `APIKey` → api, key;
 * `S3Bucket` → s3, bucket. A word ends before an upper-case letter that follows a lower-case
 * letter or a digit, and before the last capital of a run that a lower-case letter follows;
 * anything but ASCII letters and digits separates words. One pass over the name.
 */
export function nameWords(name: string): readonly string[] {
  let words = wordsOfName.get(name);
  if (words) return words;
  const found: string[] = [];
  let start = -1;
  for (let i = 0; i < name.length; i++) {
    const c = name.charCodeAt(i);
    const alphanumeric = isUpper(c) || isLower(c) || isDigit(c);
    if (!alphanumeric) {
      if (start >= 0) found.push(name.slice(start, i).toLowerCase());
      start = -1;
      continue;
    }
    if (start >= 0 && isUpper(c)) {
      const previous = name.charCodeAt(i - 1);
      const next = i + 1 < name.length ? name.charCodeAt(i + 1) : 0;
      if (isLower(previous) || isDigit(previous) || (isUpper(previous) && isLower(next))) {
        found.push(name.slice(start, i).toLowerCase());
        start = i;
      }
    } else if (start < 0) start = i;
  }
  if (start >= 0) found.push(name.slice(start).toLowerCase());
  // Names are often slices of a file's text, which a slice keeps alive: the cache holds copies.
  words = found.map(ownString);
  if (wordsOfName.size > 20_000) wordsOfName.clear();
  wordsOfName.set(ownString(name), words);
  return words;
}

/** `camelCase`, `kebab-case`, `snake_case`, `dotted.name` or `APIKey` → `UPPER_SNAKE_CASE` (`API_KEY`). */
export function upperSnake(name: string): string {
  return nameWords(name).join('_').toUpperCase();
}

/**
 * `base`, or `base2`, `base3`, … : the first that `taken` does not hold. For new logical ids,
 * parameters and variables that a fix adds beside the user's own names.
 */
export function uniqueName(base: string, taken: (name: string) => boolean): string {
  if (!taken(base)) return base;
  for (let n = 2; ; n++) if (!taken(`${base}${n}`)) return `${base}${n}`;
}

/** Whether `name` occurs in `text` as a whole identifier (not inside a longer one). */
export function usesIdentifier(text: string, name: string): boolean {
  for (let at = text.indexOf(name); at !== -1; at = text.indexOf(name, at + 1)) {
    const before = at > 0 ? text.charCodeAt(at - 1) : 0;
    const after = at + name.length < text.length ? text.charCodeAt(at + name.length) : 0;
    if (!isIdentifierChar(before) && !isIdentifierChar(after)) return true;
  }
  return false;
}

function isIdentifierChar(c: number): boolean {
  return isUpper(c) || isLower(c) || isDigit(c) || c === 95 || c === 36;
}
