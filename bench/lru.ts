// The key cache's data structure alone: the hand-written CLOCK cache Keymint had (src/verify/lru.ts until
// issue 16) against lru-cache, on hits only and under churn (more keys in use than the cache holds).
//   node --import tsx bench/lru.ts
import { LRUCache } from 'lru-cache';

/** The former src/verify/lru.ts, verbatim in behaviour: a hit sets a flag, eviction gives flagged entries a second chance. */
class ClockLru<K, V> {
  private readonly map = new Map<K, { value: V; used: boolean }>();
  constructor(readonly max: number) {}
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
        e.used = false;
        this.map.set(oldest, e);
      }
    }
  }
}

interface Cache {
  get(k: string): object | undefined;
  set(k: string, v: object): void;
}

const CAPACITY = 100_000;
const value = { id: 'key_x' };

function run(name: string, make: () => Cache, universe: number, ops: number): string {
  const keys = Array.from({ length: universe }, (_, i) => `digest-${i.toString(16).padStart(60, '0')}`);
  const order = Int32Array.from({ length: ops }, () => Math.floor(Math.random() * universe));
  const c = make();
  for (let i = 0; i < Math.min(universe, CAPACITY); i++) c.set(keys[i], value);
  let worst = 0;
  const t0 = performance.now();
  for (let i = 0; i < ops; i++) {
    const k = keys[order[i]];
    if (c.get(k) === undefined) {
      const s = performance.now();
      c.set(k, value);
      worst = Math.max(worst, performance.now() - s);
    }
  }
  const perOp = ((performance.now() - t0) * 1000) / ops;
  return `${name.padEnd(10)} ${universe.toLocaleString('en').padStart(9)} keys in use: ${perOp.toFixed(2)} µs per lookup (+ insert on a miss), slowest insert ${(worst * 1000).toFixed(0)} µs`;
}

const clock = () => new ClockLru<string, object>(CAPACITY);
const lru = () => new LRUCache<string, object>({ max: CAPACITY });
for (const [universe, ops] of [
  [10_000, 2_000_000],
  [1_000_000, 1_000_000],
] as const) {
  for (const [name, make] of [['clock', clock], ['lru-cache', lru]] as const) process.stdout.write(run(name, make, universe, ops) + '\n');
}
