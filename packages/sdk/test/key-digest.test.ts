// The SDK's copy of the key rules must give the server's answers: the same digest for the same key, and the
// same verdict on its shape (a local verifier that disagreed would call good keys MALFORMED, or look up junk).
import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import { digestKey, mintKey, parseKey } from '../../../src/keys/material.js';
import { isWellFormedKey, keyDigest } from '../src/local/key-digest.js';

describe('key digest and shape, SDK vs server', () => {
  it('gives the same digest and verdict for minted keys and their corruptions', () => {
    for (const prefix of ['km', 'km_live', 'km_test', 'acme_prod_2']) {
      for (let i = 0; i < 200; i++) {
        const key = mintKey(prefix).plaintext;
        expect(keyDigest(key)).toBe(digestKey(key));
        expect(isWellFormedKey(key)).toBe(true);
        const pos = i % key.length;
        const flipped = key.slice(0, pos) + (key[pos] === 'A' ? 'B' : 'A') + key.slice(pos + 1);
        expect(isWellFormedKey(flipped)).toBe(parseKey(flipped) !== null);
      }
    }
  });

  it('agrees on arbitrary strings', () => {
    fc.assert(
      fc.property(fc.oneof(fc.string({ maxLength: 260 }), fc.stringMatching(/^[a-z_]{1,40}_[A-Za-z0-9]{30,45}$/)), (s) => {
        expect(isWellFormedKey(s)).toBe(parseKey(s) !== null);
        expect(keyDigest(s)).toBe(digestKey(s));
      }),
      { numRuns: 2000 },
    );
  });
});
