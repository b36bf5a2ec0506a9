// The replica's digest table: every key put is found by its digest (through growth and probe collisions), a
// changed key is changed in place with a new version, and a snapshot replaces the whole table at its end.
import { createHash, randomBytes } from 'node:crypto';
import { describe, expect, it } from 'vitest';
import { HTTP_ONLY, REVOKED, Replica, type SnapshotRow } from '../src/local/replica.js';

const digest = (s: string) => createHash('sha256').update(s).digest('hex');
const row = (i: number, flags = 0): SnapshotRow => [digest(`key-${i}`), `key_${i}`, i % 2 ? 'env_a' : null, `name-${i}`, 'Viewer', i % 3 ? '["read"]' : '["read","write"]', i % 5 ? null : 1_000 + i, null, flags];

describe('replica table', () => {
  it('finds each of 50,000 keys by digest, and no other digest', () => {
    const r = new Replica();
    r.beginSnapshot();
    for (let i = 0; i < 50_000; i += 5_000) r.putRows(Array.from({ length: 5_000 }, (_, j) => row(i + j)));
    r.endSnapshot();
    expect(r.size).toBe(50_000);
    for (let i = 0; i < 50_000; i += 7) {
      const slot = r.findHex(digest(`key-${i}`));
      expect(slot).toBeGreaterThanOrEqual(0);
      expect(r.id(slot)).toBe(`key_${i}`);
      expect(r.name(slot)).toBe(`name-${i}`);
      expect(r.shape(slot)).toEqual({ environmentId: i % 2 ? 'env_a' : null, role: 'Viewer', scopes: i % 3 ? ['read'] : ['read', 'write'] });
      expect(r.expiresAt(slot)).toBe(i % 5 ? null : 1_000 + i);
    }
    for (let i = 0; i < 1_000; i++) expect(r.findHex(randomBytes(32).toString('hex'))).toBe(-1);
    expect(r.findHex('not hex')).toBe(-1);
    // Keys that share a shape share one object.
    expect(r.shape(r.findHex(digest('key-1')))).toBe(r.shape(r.findHex(digest('key-7'))));
  });

  it('changes a known key in place, with a new version; a snapshot takes effect at its end only', () => {
    const r = new Replica();
    r.putRows([row(1), row(2)]);
    const slot = r.findHex(digest('key-1'));
    const version = r.version(slot);
    r.put({ digest: digest('key-1'), id: 'key_1', environment_id: null, name: 'renamed', role: 'Admin', scopes: [], expires_at: null, revoked_at: '2026-01-01T00:00:00Z', replaced_by_key_id: null, grace_expires_at: null, http_only: true });
    expect(r.size).toBe(2);
    expect(r.findHex(digest('key-1'))).toBe(slot);
    expect(r.version(slot)).toBe(version + 1);
    expect(r.flags(slot)).toBe(REVOKED | HTTP_ONLY);
    expect(r.name(slot)).toBe('renamed');

    const epoch = r.epoch;
    r.beginSnapshot();
    r.putRows([row(3)]);
    // Until `ready`, the old table answers.
    expect(r.findHex(digest('key-2'))).toBeGreaterThanOrEqual(0);
    expect(r.findHex(digest('key-3'))).toBe(-1);
    r.endSnapshot();
    expect(r.epoch).toBe(epoch + 1);
    expect(r.findHex(digest('key-2'))).toBe(-1);
    expect(r.size).toBe(1);
  });
});
