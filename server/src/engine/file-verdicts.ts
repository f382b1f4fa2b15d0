/**
 * What a rule concluded from another file of the workspace (a manifest, a compose file, a
 * Dockerfile), remembered with the text it was read from: the next keystroke elsewhere reads
 * the file again but decides again only when its text changed. Bounded, oldest first, so that
 * a long session's files do not pile up.
 */
export class FileVerdicts<V> {
  private readonly known = new Map<string, { text: string; verdict: V }>();

  constructor(private readonly limit: number) {}

  /** The verdict on `text` under `key`, computed by `decide` unless this text was seen last. */
  get(key: string, text: string, decide: () => V): V {
    const known = this.known.get(key);
    if (known?.text === text) return known.verdict;
    const verdict = decide();
    this.known.delete(key);
    if (this.known.size >= this.limit) this.known.delete(this.known.keys().next().value!);
    this.known.set(key, { text, verdict });
    return verdict;
  }
}
