/** Identifiers repeat across files (property names, variables): split each one once. */
const wordsOfName = new Map<string, readonly string[]>();

/**
 * The lower-cased words of an identifier, whatever its case style:
 * `MasterUserPassword` → master, user, password; `DB_PASS` → db, pass; `APIKey` → api, key.
 */
export function nameWords(name: string): readonly string[] {
  let words = wordsOfName.get(name);
  if (!words) {
    words = name
      .replace(/([a-z0-9])([A-Z])/g, '$1 $2')
      .replace(/([A-Z]+)([A-Z][a-z])/g, '$1 $2')
      .split(/[^A-Za-z0-9]+/)
      .filter(Boolean)
      .map((w) => w.toLowerCase());
    if (wordsOfName.size > 20_000) wordsOfName.clear();
    wordsOfName.set(name, words);
  }
  return words;
}
