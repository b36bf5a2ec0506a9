// CIDR ranges: parsed, normalized on write, matched for IPv4, IPv6 and IPv4-mapped IPv6 addresses.
import { describe, expect, it } from 'vitest';
import { compileAllowlist, isIpAddress, normalizeAllowlist } from '../../src/keys/cidr.js';
import { checkMeta } from '../../src/keys/meta.js';

describe('ip allowlists', () => {
  it('normalizes: host bits cleared, IPv6 in RFC 5952 form, a bare address as /32 or /128, duplicates dropped', () => {
    expect(normalizeAllowlist(['10.1.2.3/16', '203.0.113.7', '2001:DB8:0:0:0::1/32', '::1', '10.1.0.0/16', ' 0.0.0.0/0 '])).toEqual({
      list: ['10.1.0.0/16', '203.0.113.7/32', '2001:db8::/32', '::1/128', '0.0.0.0/0'],
    });
    expect(normalizeAllowlist(['::ffff:10.0.0.0/104'])).toEqual({ list: ['::ffff:a00:0/104'] });
  });

  it('names the first bad entry, and refuses empty and oversized lists', () => {
    for (const bad of ['10.1.2.3/33', '10.1.2/24', '2001:db8::/129', 'example.com', '10.1.2.3/08', '010.1.2.3', 'fe80::1%eth0/64', '']) {
      const r = normalizeAllowlist(['10.0.0.0/8', bad]);
      expect(r, bad).toMatchObject({ index: 1, error: expect.stringContaining(`ip_allowlist[1] ${JSON.stringify(bad)}`) });
    }
    expect(normalizeAllowlist([])).toMatchObject({ index: -1, error: expect.stringContaining('null') });
    expect(normalizeAllowlist(Array.from({ length: 101 }, (_, i) => `10.0.${i}.0/24`))).toMatchObject({ error: expect.stringContaining('at most 100') });
  });

  it('matches addresses inside the ranges only; IPv4-mapped IPv6 counts as IPv4; a missing address never matches', () => {
    const list = compileAllowlist(['10.1.0.0/16', '2001:db8::/32', '192.0.2.1/32']);
    expect(list.allows('10.1.2.3')).toBe(true);
    expect(list.allows('10.1.255.255')).toBe(true);
    expect(list.allows('10.2.0.1')).toBe(false);
    expect(list.allows('::ffff:10.1.2.3')).toBe(true);
    expect(list.allows('192.0.2.1')).toBe(true);
    expect(list.allows('192.0.2.2')).toBe(false);
    expect(list.allows('2001:db8:ffff::1')).toBe(true);
    expect(list.allows('2001:db9::1')).toBe(false);
    expect(list.allows(undefined)).toBe(false);
    expect(list.allows('not an address')).toBe(false);
    expect(compileAllowlist(['0.0.0.0/0']).allows('8.8.8.8')).toBe(true);
    expect(compileAllowlist(['0.0.0.0/0']).allows('2001:db8::1')).toBe(false);
    expect(compileAllowlist(['::/0']).allows('2001:db8::1')).toBe(true);
    expect(isIpAddress('10.1.2.3') && isIpAddress('::1') && !isIpAddress('10.1.2') && !isIpAddress('fe80::1%eth0')).toBe(true);
  });
});

describe('meta', () => {
  it('takes a JSON object up to 16 KiB and says what to change otherwise', () => {
    expect(checkMeta({ plan: 'pro', nested: { flags: [1, 2] } })).toBeNull();
    expect(checkMeta({ big: 'x'.repeat(16 * 1024 - 10) })).toBeNull();
    expect(checkMeta({ big: 'x'.repeat(16 * 1024) })).toMatch(/at most 16384 bytes/);
    expect(checkMeta({ big: 'é'.repeat(8 * 1024) })).toMatch(/at most 16384 bytes/);
    for (const bad of [null, [], 'x', 1, true]) expect(checkMeta(bad)).toMatch(/JSON object/);
  });
});
