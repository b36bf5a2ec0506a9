import { describe, expect, it } from 'vitest';
import { newKeyId } from '../../src/keys/ids.js';
import { numberRank, sortByRank, textRank } from '../../src/util/sort-by-rank.js';

const byText = (a: string, b: string) => (a < b ? -1 : a > b ? 1 : 0);
const same = (s: string) => s;

describe('sortByRank', () => {
  it('sorts text ids as one sort would: Keymint ids, shared prefixes, shorter ids, duplicates, none', async () => {
    const cases = [
      Array.from({ length: 25_000 }, newKeyId),
      Array.from({ length: 3_000 }, () => `key_${Math.random().toString(36).slice(2, 2 + Math.floor(Math.random() * 4))}`),
      ['b', 'a', 'ab', '', 'a', 'abc', 'b'],
      Array.from({ length: 500 }, () => 'key_same'),
      ['only'],
      [],
    ];
    for (const ids of cases) expect(await sortByRank(ids, textRank(ids, same), byText)).toEqual([...ids].sort(byText));
  });

  it('sorts numbers as one sort would, however they are spread', async () => {
    const cases = [
      Array.from({ length: 20_000 }, () => Math.floor(Math.random() * 1_000_000)),
      Array.from({ length: 1_000 }, (_, i) => (i % 2 ? 1 : 1_000_000_000)),
      [7, 7, 7],
      [],
    ];
    for (const ns of cases) expect(await sortByRank(ns, numberRank(ns, Number), (a, b) => a - b)).toEqual([...ns].sort((a, b) => a - b));
  });

  it('leaves the input as it was', async () => {
    const ids = ['c', 'a', 'b'];
    await sortByRank(ids, textRank(ids, same), byText);
    expect(ids).toEqual(['c', 'a', 'b']);
  });

  it('lets other work run while it sorts 100,000 keys', async () => {
    const ids = Array.from({ length: 100_000 }, newKeyId);
    let ticks = 0;
    const timer = setInterval(() => ticks++, 0);
    await sortByRank(ids, textRank(ids, same), byText);
    clearInterval(timer);
    // It yields after every couple of thousand keys sorted: timers fire while it works, not only at the end.
    expect(ticks).toBeGreaterThan(10);
  });
});
