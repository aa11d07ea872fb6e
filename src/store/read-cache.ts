/**
 * Rows read from the store, kept in memory, that writers drop when they change them. The store's
 * reads are asynchronous (on PostgreSQL, on another connection than the write), so a read that began
 * before a write committed can answer after the writer dropped the entry: caching that answer would
 * keep the old row until the next change (a function seen `Pending` for ever). So every drop moves a
 * generation, and a read's answer is kept only if no drop happened while it ran; a read that
 * overlapped one still returns what it read, it is just not kept.
 */
export class ReadCache<V> {
  private readonly entries = new Map<string, V>();
  private generation = 0;

  /** At `maxEntries`, the cache starts again empty (a bound, not an eviction policy). */
  constructor(private readonly maxEntries = Infinity) {}

  /** The cached value of `key`, or `load()`'s, kept if `keep` allows it and nothing was dropped meanwhile. */
  async read(key: string, load: () => Promise<V>, keep: (value: V) => boolean = () => true): Promise<V> {
    if (this.entries.has(key)) return this.entries.get(key) as V;
    const generation = this.generation;
    const value = await load();
    if (generation === this.generation && keep(value)) {
      if (this.entries.size >= this.maxEntries) this.entries.clear();
      this.entries.set(key, value);
    }
    return value;
  }

  /** Drops `key`. */
  delete(key: string): void {
    this.generation++;
    this.entries.delete(key);
  }

  /** Drops every key `matches` accepts. */
  deleteWhere(matches: (key: string) => boolean): void {
    this.generation++;
    for (const key of this.entries.keys()) if (matches(key)) this.entries.delete(key);
  }

  /** Drops everything. */
  clear(): void {
    this.generation++;
    this.entries.clear();
  }
}
