/**
 * A map from text keys to values, bounded by entry count and by the characters of its keys
 * (which is what a text-keyed cache mostly holds); the least recently used go first.
 */
export class BoundedCache<V> {
  private readonly entries = new Map<string, V>();
  private characters = 0;

  constructor(
    private readonly maxEntries: number,
    private readonly maxCharacters: number,
  ) {}

  get(key: string): V | undefined {
    const value = this.entries.get(key);
    if (value !== undefined) {
      // Moved to the end: the most recently used.
      this.entries.delete(key);
      this.entries.set(key, value);
    }
    return value;
  }

  set(key: string, value: V): void {
    if (this.entries.delete(key)) this.characters -= key.length;
    this.entries.set(key, value);
    this.characters += key.length;
    for (const [old] of this.entries) {
      if (this.entries.size <= this.maxEntries && this.characters <= this.maxCharacters) break;
      this.entries.delete(old);
      this.characters -= old.length;
    }
  }

  clear(): void {
    this.entries.clear();
    this.characters = 0;
  }
}
