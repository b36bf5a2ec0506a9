/**
 * A bounded map that forgets a least recently used entry first. A hit only sets a flag (no reordering on the
 * hot path); eviction gives flagged entries a second chance (CLOCK), which approximates LRU closely.
 */
export class Lru<K, V> {
  private readonly map = new Map<K, { value: V; used: boolean }>();
  constructor(readonly max: number) {}

  get size(): number {
    return this.map.size;
  }

  get(k: K): V | undefined {
    const e = this.map.get(k);
    if (e === undefined) return undefined;
    e.used = true;
    return e.value;
  }

  set(k: K, value: V): void {
    this.map.delete(k);
    this.map.set(k, { value, used: false });
    while (this.map.size > this.max) {
      const [oldest, e] = this.map.entries().next().value as [K, { value: V; used: boolean }];
      this.map.delete(oldest);
      if (e.used) {
        // Used since it was last looked at: keep it, at the young end.
        e.used = false;
        this.map.set(oldest, e);
      }
    }
  }

  delete(k: K): void {
    this.map.delete(k);
  }

  deleteWhere(pred: (v: V) => boolean): void {
    for (const [k, e] of this.map) if (pred(e.value)) this.map.delete(k);
  }

  clear(): void {
    this.map.clear();
  }
}
