// The life of a key at an instant, at its boundaries.
import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import { canGrant, ROLES } from '../../src/keys/roles.js';
import { keyStatus, missingScopes, verifies } from '../../src/keys/state.js';

const base = { revoked_at: null, expires_at: null, replaced_by_key_id: null, grace_expires_at: null };

describe('key state', () => {
  it('is expired exactly at expires_at, active one millisecond before', () => {
    fc.assert(
      fc.property(fc.integer({ min: 1, max: 2 ** 45 }), (t) => {
        expect(keyStatus({ ...base, expires_at: t }, t - 1)).toBe('active');
        expect(keyStatus({ ...base, expires_at: t }, t)).toBe('expired');
      }),
    );
  });

  it('is in grace until grace_expires_at, rotated out at it', () => {
    fc.assert(
      fc.property(fc.integer({ min: 1, max: 2 ** 45 }), (t) => {
        const k = { ...base, replaced_by_key_id: 'key_next', grace_expires_at: t };
        expect(keyStatus(k, t - 1)).toBe('grace');
        expect(verifies(keyStatus(k, t - 1))).toBe(true);
        expect(keyStatus(k, t)).toBe('rotated');
        expect(verifies(keyStatus(k, t))).toBe(false);
      }),
    );
  });

  it('puts revocation above everything, and expiry above grace', () => {
    expect(keyStatus({ ...base, revoked_at: 5, expires_at: 1, replaced_by_key_id: 'k', grace_expires_at: 100 }, 10)).toBe('revoked');
    expect(keyStatus({ ...base, expires_at: 5, replaced_by_key_id: 'k', grace_expires_at: 100 }, 10)).toBe('expired');
  });

  it('lists the scopes a key lacks', () => {
    expect(missingScopes(['a', 'b'], ['a'])).toEqual([]);
    expect(missingScopes(['a'], ['a', 'c', 'd'])).toEqual(['c', 'd']);
  });

  it('never grants a role above the granter', () => {
    for (const a of ROLES) for (const b of ROLES) expect(canGrant(a, b)).toBe(ROLES.indexOf(b) <= ROLES.indexOf(a));
  });
});
