// IP allowlists: CIDR ranges of IPv4 and IPv6, parsed, normalized and matched. Pure: no I/O.
import { isIPv4, isIPv6 } from 'node:net';

export const MAX_ALLOWLIST_ENTRIES = 100;

/** One range: the network address as a number (IPv4) or bigint (IPv6), and its prefix length. */
export type Cidr = { v: 4; net: number; bits: number } | { v: 6; net: bigint; bits: number };

/** An address parsed for matching; IPv4-mapped IPv6 (`::ffff:10.1.2.3`) is read as the IPv4 address. */
type Address = { v: 4; n: number } | { v: 6; n: bigint };

function ipv4Number(s: string): number {
  const p = s.split('.');
  return ((+p[0] << 24) | (+p[1] << 16) | (+p[2] << 8) | +p[3]) >>> 0;
}

function ipv6BigInt(s: string): bigint {
  let head = s;
  let tail4: number | null = null;
  const lastColon = s.lastIndexOf(':');
  if (s.indexOf('.', lastColon) > 0) {
    tail4 = ipv4Number(s.slice(lastColon + 1));
    head = s.slice(0, lastColon + 1) + '0:0';
  }
  const [left, right] = head.split('::') as [string, string | undefined];
  const l = left ? left.split(':') : [];
  const r = right !== undefined && right !== '' ? right.split(':') : [];
  const groups = right === undefined ? l : [...l, ...Array(8 - l.length - r.length).fill('0'), ...r];
  let n = 0n;
  for (const g of groups) n = (n << 16n) | BigInt(parseInt(g, 16));
  if (tail4 !== null) n = (n & ~0xffffffffn) | BigInt(tail4);
  return n;
}

const MAPPED_PREFIX = 0xffffn << 32n;

function parseAddress(s: string): Address | null {
  if (isIPv4(s)) return { v: 4, n: ipv4Number(s) };
  if (!isIPv6(s) || s.includes('%')) return null;
  const n = ipv6BigInt(s);
  if (n >> 32n === 0xffffn) return { v: 4, n: Number(n & 0xffffffffn) };
  return { v: 6, n };
}

/** An address Keymint can match (`client_ip`): IPv4 dotted decimal or IPv6, no zone. */
export function isIpAddress(s: string): boolean {
  return isIPv4(s) || (isIPv6(s) && !s.includes('%'));
}

function formatIpv6(n: bigint): string {
  const groups: string[] = [];
  for (let i = 7; i >= 0; i--) groups.push(((n >> BigInt(i * 16)) & 0xffffn).toString(16));
  // The WHATWG URL host serializer writes RFC 5952's form (the longest run of zeros as ::, lower case).
  return new URL(`http://[${groups.join(':')}]/`).hostname.slice(1, -1);
}

function formatIpv4(n: number): string {
  return [n >>> 24, (n >>> 16) & 255, (n >>> 8) & 255, n & 255].join('.');
}

/** `10.1.2.3/16` -> the range; a bare address is a single-address range (/32 or /128). null when not a CIDR. */
export function parseCidr(text: string): Cidr | null {
  const slash = text.indexOf('/');
  const addr = slash < 0 ? text : text.slice(0, slash);
  const lenText = slash < 0 ? null : text.slice(slash + 1);
  if (lenText !== null && !/^(0|[1-9]\d{0,2})$/.test(lenText)) return null;
  if (isIPv4(addr)) {
    const bits = lenText === null ? 32 : Number(lenText);
    if (bits > 32) return null;
    const mask = bits === 0 ? 0 : (0xffffffff << (32 - bits)) >>> 0;
    return { v: 4, net: (ipv4Number(addr) & mask) >>> 0, bits };
  }
  if (isIPv6(addr) && !addr.includes('%')) {
    const bits = lenText === null ? 128 : Number(lenText);
    if (bits > 128) return null;
    const mask = bits === 0 ? 0n : ((1n << BigInt(bits)) - 1n) << BigInt(128 - bits);
    return { v: 6, net: ipv6BigInt(addr) & mask, bits };
  }
  return null;
}

/** The canonical text of a range: host bits cleared, IPv6 in RFC 5952 form, always with its prefix length. */
export function formatCidr(c: Cidr): string {
  return `${c.v === 4 ? formatIpv4(c.net) : formatIpv6(c.net)}/${c.bits}`;
}

/**
 * The allowlist as stored: each entry normalized, duplicates dropped, order kept. Throws nothing: answers
 * `{ error }` naming the first bad entry, so each surface words it in its own shape.
 */
export function normalizeAllowlist(entries: readonly string[]): { list: string[] } | { error: string; index: number } {
  if (entries.length === 0) return { error: 'ip_allowlist must hold at least one CIDR range; send null to allow every address', index: -1 };
  if (entries.length > MAX_ALLOWLIST_ENTRIES) return { error: `ip_allowlist may hold at most ${MAX_ALLOWLIST_ENTRIES} CIDR ranges (it has ${entries.length})`, index: -1 };
  const out: string[] = [];
  for (let i = 0; i < entries.length; i++) {
    const c = typeof entries[i] === 'string' ? parseCidr(entries[i].trim()) : null;
    if (!c) {
      return {
        error: `ip_allowlist[${i}] ${JSON.stringify(entries[i])} is not a CIDR range: use an IPv4 or IPv6 address with an optional prefix length, for example 203.0.113.0/24 or 2001:db8::/32`,
        index: i,
      };
    }
    const text = formatCidr(c);
    if (!out.includes(text)) out.push(text);
  }
  return { list: out };
}

/** A stored allowlist compiled for matching: `allows(ip)` per verification. */
export interface Allowlist {
  readonly entries: readonly string[];
  allows(ip: string | undefined | null): boolean;
}

export function compileAllowlist(entries: readonly string[]): Allowlist {
  const v4: [number, number][] = [];
  const v6: [bigint, bigint][] = [];
  for (const e of entries) {
    const c = parseCidr(e);
    if (!c) continue;
    if (c.v === 4) v4.push([c.net, c.bits === 0 ? 0 : (0xffffffff << (32 - c.bits)) >>> 0]);
    else v6.push([c.net, c.bits === 0 ? 0n : ((1n << BigInt(c.bits)) - 1n) << BigInt(128 - c.bits)]);
  }
  return {
    entries,
    allows(ip) {
      if (!ip) return false;
      const a = parseAddress(ip);
      if (!a) return false;
      if (a.v === 4) {
        for (const [net, mask] of v4) if (((a.n & mask) >>> 0) === net) return true;
        return false;
      }
      for (const [net, mask] of v6) if ((a.n & mask) === net) return true;
      return false;
    },
  };
}
