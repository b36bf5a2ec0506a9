// Key material: format, checksum, digest, and the randomness behind it. Pure: no storage.
import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import { BASE62, encodeBase62, randomBase62 } from '../../src/keys/base62.js';
import { crc32Ascii } from '../../src/keys/crc32.js';
import { CHECKSUM_LENGTH, checksum, DEFAULT_PREFIX, digestKey, isValidPrefix, mintKey, parseKey, RANDOM_LENGTH } from '../../src/keys/material.js';
import { crc32 } from 'node:zlib';

const prefix = fc.stringMatching(/^[A-Za-z][A-Za-z0-9]{0,7}(_[A-Za-z0-9]{1,6}){0,2}$/);

describe('key material', () => {
  it('mints <prefix>_<32 base62><6 base62 checksum> with ≥ 190 random bits', () => {
    const k = mintKey();
    expect(k.plaintext).toMatch(new RegExp(`^${DEFAULT_PREFIX}_[0-9A-Za-z]{${RANDOM_LENGTH + CHECKSUM_LENGTH}}$`));
    expect(RANDOM_LENGTH * Math.log2(62)).toBeGreaterThanOrEqual(190);
    // 62^6 > 2^32: every CRC-32 value has its own checksum.
    expect(62 ** CHECKSUM_LENGTH).toBeGreaterThan(2 ** 32);
    expect(k.displayPrefix).toBe(k.plaintext.slice(0, DEFAULT_PREFIX.length + 1 + 8));
    expect(k.digest).toMatch(/^[0-9a-f]{64}$/);
    expect(k.digest).toBe(digestKey(k.plaintext));
  });

  it('parses what it mints, for any valid prefix (round trip)', () => {
    fc.assert(
      fc.property(prefix, (p) => {
        expect(isValidPrefix(p)).toBe(true);
        const k = mintKey(p);
        const parsed = parseKey(k.plaintext);
        expect(parsed).not.toBeNull();
        expect(parsed!.prefix).toBe(p);
        expect(`${parsed!.prefix}_${parsed!.random}${checksum(`${p}_${parsed!.random}`)}`).toBe(k.plaintext);
        expect(k.displayPrefix.startsWith(`${p}_`)).toBe(true);
      }),
      { numRuns: 300 },
    );
  });

  it('rejects any single-character change (the checksum catches it)', () => {
    const alphabet = `${BASE62}_-. `;
    fc.assert(
      fc.property(prefix, fc.nat(), fc.constantFrom(...alphabet), (p, at, ch) => {
        const key = mintKey(p).plaintext;
        const i = at % key.length;
        fc.pre(key[i] !== ch);
        const changed = key.slice(0, i) + ch + key.slice(i + 1);
        // A changed prefix may itself be a valid key shape only if the checksum matches, which CRC-32 rules out for one character.
        expect(parseKey(changed)).toBeNull();
      }),
      { numRuns: 2000 },
    );
  });

  it('rejects what is not a key at all', () => {
    fc.assert(
      fc.property(fc.string({ maxLength: 300 }), (s) => {
        const parsed = parseKey(s);
        if (parsed) expect(checksum(`${parsed.prefix}_${parsed.random}`)).toBe(s.slice(-CHECKSUM_LENGTH));
      }),
    );
    for (const bad of ['', 'km', 'km_', '_abc', 'km_short', `km_${'a'.repeat(300)}`, `1km_${'a'.repeat(38)}`]) expect(parseKey(bad)).toBeNull();
  });

  it('checks the checksum as the format defines it (zlib CRC-32 of the head, as 6 base62 digits)', () => {
    // The definition, written plainly: what parseKey must agree with on any input.
    const byDefinition = (key: string) => {
      const cut = key.lastIndexOf('_');
      const p = key.slice(0, cut);
      const body = key.slice(cut + 1);
      const ok = key.length <= 200 && cut > 0 && body.length >= RANDOM_LENGTH + CHECKSUM_LENGTH && /^[0-9A-Za-z]+$/.test(body) && isValidPrefix(p);
      return ok && encodeBase62(crc32(key.slice(0, -CHECKSUM_LENGTH)), CHECKSUM_LENGTH) === key.slice(-CHECKSUM_LENGTH);
    };
    const minted = fc.tuple(prefix, fc.integer({ min: 0, max: 8 })).map(([p, extra]) => mintKey(p).plaintext + BASE62.slice(0, extra));
    const nearMiss = fc.tuple(minted, fc.nat(), fc.string({ unit: 'binary', minLength: 1, maxLength: 2 })).map(([k, at, s]) => k.slice(0, at % k.length) + s + k.slice((at % k.length) + 1));
    fc.assert(
      fc.property(fc.oneof(minted, nearMiss, fc.string({ maxLength: 220 }), fc.string({ unit: 'binary', maxLength: 60 })), (key) => {
        expect(parseKey(key) !== null).toBe(byDefinition(key));
      }),
      { numRuns: 3000 },
    );
    // Longer bodies with a valid checksum are keys too (the checksum covers everything before it).
    const head = `km_${'z'.repeat(40)}`;
    expect(parseKey(head + checksum(head))).toEqual({ prefix: 'km', random: 'z'.repeat(40) });
  });

  it('computes CRC-32 from character codes as zlib does from the bytes, for ASCII', () => {
    fc.assert(
      fc.property(fc.string({ unit: fc.integer({ min: 0, max: 127 }).map((c) => String.fromCharCode(c)), maxLength: 300 }), fc.nat(), (s, cut) => {
        const end = s.length ? cut % (s.length + 1) : 0;
        expect(crc32Ascii(s, end)).toBe(crc32(s.slice(0, end)));
      }),
      { numRuns: 2000 },
    );
  });

  it('encodes checksums as exactly 6 base62 digits', () => {
    fc.assert(
      fc.property(fc.integer({ min: 0, max: 2 ** 32 - 1 }), (n) => {
        const s = encodeBase62(n, CHECKSUM_LENGTH);
        expect(s).toHaveLength(CHECKSUM_LENGTH);
        expect([...s].reduce((acc, c) => acc * 62 + BASE62.indexOf(c), 0)).toBe(n);
      }),
    );
  });

  it('draws every base62 character about equally often (no modulo bias)', () => {
    // 62 * 4 = 248: with bytes 248..255 dropped each character has exactly 4 of 248 byte values.
    // With `byte % 62` and no rejection, '0'..'7' would come up 5/256 vs 4/256: 25% more often.
    const n = 620_000;
    const counts = new Map<string, number>();
    for (const c of randomBase62(n)) counts.set(c, (counts.get(c) ?? 0) + 1);
    expect(counts.size).toBe(62);
    const expected = n / 62;
    let chi2 = 0;
    for (const c of BASE62) chi2 += ((counts.get(c) ?? 0) - expected) ** 2 / expected;
    // 61 degrees of freedom: p = 1e-6 at about 130. A modulo bias would give a chi-square in the thousands.
    expect(chi2).toBeLessThan(130);
    const low = [...'01234567'].reduce((a, c) => a + counts.get(c)!, 0) / 8;
    const high = [...'89ABCDEFGH'].reduce((a, c) => a + counts.get(c)!, 0) / 10;
    expect(Math.abs(low / high - 1)).toBeLessThan(0.05);
  });

  it('never repeats a key', () => {
    const seen = new Set(Array.from({ length: 10_000 }, () => mintKey().plaintext));
    expect(seen.size).toBe(10_000);
  });
});
