// Sorting up to 100,000 keys on the server's one thread without holding it: one plain sort of that many held it for
// 50-100 ms, and merging sorted runs instead cost two to three times a plain sort's CPU.
import { setImmediate as yieldToRequests } from 'node:timers/promises';

/** Items sorted with the comparator between two yields. */
const STEP = 2_000;

/** A coarse order: `of(item)` is an integer below `ranks` that never decreases along the comparator's order. */
export interface Rank<T> {
  ranks: number;
  of(item: T): number;
}

/** `items` in `cmp`'s order: a counting sort on the rank, then each rank's few items sorted with `cmp`. */
export async function sortByRank<T>(items: readonly T[], rank: Rank<T>, cmp: (a: T, b: T) => number): Promise<T[]> {
  const of = items.map((item) => rank.of(item));
  const start = new Uint32Array(rank.ranks + 1);
  for (const r of of) start[r + 1]++;
  for (let r = 0; r < rank.ranks; r++) start[r + 1] += start[r];
  const out = items.slice();
  const next = start.slice(0, rank.ranks);
  items.forEach((item, i) => (out[next[of[i]]++] = item));
  let sinceYield = 0;
  for (let r = 0; r < rank.ranks; r++) {
    const from = start[r];
    const to = start[r + 1];
    if (to - from < 2) continue;
    if (to - from <= 32) insertionSort(out, from, to, cmp);
    else out.slice(from, to).sort(cmp).forEach((item, i) => (out[from + i] = item));
    if ((sinceYield += to - from) >= STEP) {
      sinceYield = 0;
      await yieldToRequests();
    }
  }
  return out;
}

/** A rank's few items, in place: no array for each of thousands of ranks. */
function insertionSort<T>(a: T[], from: number, to: number, cmp: (a: T, b: T) => number): void {
  for (let i = from + 1; i < to; i++) {
    const x = a[i];
    let j = i - 1;
    for (; j >= from && cmp(a[j], x) > 0; j--) a[j + 1] = a[j];
    a[j + 1] = x;
  }
}

/**
 * Ranks text ids (Keymint's are ASCII) by the two characters after the prefix they all share: 16,384 ranks, about
 * six random 20-character ids a rank for 100,000 keys.
 */
export function textRank<T>(items: readonly T[], idOf: (item: T) => string): Rank<T> {
  const first = items.length > 0 ? idOf(items[0]) : '';
  let p = first.length;
  for (const item of items) {
    const id = idOf(item);
    let n = 0;
    while (n < p && id.charCodeAt(n) === first.charCodeAt(n)) n++;
    p = n;
  }
  // A character past the end ranks first, as a shorter id sorts first (NaN & 127 is 0).
  return { ranks: 128 * 128, of: (item) => ((idOf(item).charCodeAt(p) & 127) << 7) | (idOf(item).charCodeAt(p + 1) & 127) };
}

/** Ranks items by an integer spread over [min, max], about four items a rank. */
export function numberRank<T>(items: readonly T[], valueOf: (item: T) => number): Rank<T> {
  let min = Infinity;
  let max = -Infinity;
  for (const item of items) {
    const v = valueOf(item);
    if (v < min) min = v;
    if (v > max) max = v;
  }
  const ranks = Math.max(1, Math.ceil(items.length / 4));
  const width = (max - min + 1) / ranks;
  return { ranks, of: (item) => Math.min(ranks - 1, Math.floor((valueOf(item) - min) / width)) };
}
