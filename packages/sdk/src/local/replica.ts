// The project's keys by digest, as the key stream describes them: the state a local verification reads.
// A table in typed arrays, not a Map of objects: 1,000,000 keys hold in about 150 MB (32-byte digests in one
// Uint8Array, an open-addressing index in a Uint32Array, a few numbers a key), the garbage collector has almost
// nothing to walk, and the values many keys share (environment, role, scopes) are one object a combination.

/** One key as a `key` event sends it (GET /v1/keys/stream). */
export interface StreamedKey {
  digest: string;
  id: string;
  environment_id: string | null;
  name: string;
  role: string;
  scopes: string[];
  expires_at: string | null;
  revoked_at: string | null;
  replaced_by_key_id: string | null;
  grace_expires_at: string | null;
  http_only: boolean;
}

/**
 * One key of a snapshot page (a `keys` event): `[digest, id, environment_id, name, role, scopes (a JSON array, as
 * text), expires_at (ms or null), grace_expires_at (ms or null), flags]`, flags `1` revoked, `2` replaced by a
 * rotation, `4` verified over HTTP only.
 */
export type SnapshotRow = [string, string, string | null, string, string, string, number | null, number | null, number];

export const REVOKED = 1;
export const REPLACED = 2;
export const HTTP_ONLY = 4;

/** What many keys have in common, held once. */
export interface Shape {
  readonly environmentId: string | null;
  readonly role: string;
  readonly scopes: readonly string[];
}

const HEX = new Int8Array(128).fill(-1);
for (let i = 0; i < 16; i++) {
  HEX['0123456789abcdef'.charCodeAt(i)] = i;
  HEX['0123456789ABCDEF'.charCodeAt(i)] = i;
}

/** 64 hex characters as 32 bytes at `at` of `out`; false (and `out` partly written) when it is not that. */
function hexInto(hex: string, out: Uint8Array, at: number): boolean {
  if (hex.length !== 64) return false;
  for (let i = 0; i < 32; i++) {
    const hi = HEX[hex.charCodeAt(2 * i) & 127];
    const lo = HEX[hex.charCodeAt(2 * i + 1) & 127];
    if (hi < 0 || lo < 0) return false;
    out[at + i] = (hi << 4) | lo;
  }
  return true;
}

const ms = (s: string | null) => (s === null ? null : Date.parse(s));

/** A table of keys; a snapshot fills a new one while the current one still answers. */
class Table {
  size = 0;
  capacity: number;
  digests: Uint8Array;
  /** slot + 1 of the key whose digest hashes here (0: empty); twice the capacity, a power of two. */
  index: Uint32Array;
  mask: number;
  expires: Float64Array;
  grace: Float64Array;
  flags: Uint8Array;
  shapes: Uint32Array;
  /** Bumped each time a slot's key changes: a cached answer (local-verifier.ts) is good while it matches. */
  versions: Uint32Array;
  ids: string[] = [];
  names: string[] = [];
  /** The shapes its keys use (a table's own, so a snapshot's new table drops the ones no key uses any more). */
  shapeList: Shape[] = [];
  shapeIds = new Map<string, number>();

  constructor(capacity: number) {
    this.capacity = capacity;
    this.digests = new Uint8Array(capacity * 32);
    this.index = new Uint32Array(capacity * 2);
    this.mask = capacity * 2 - 1;
    this.expires = new Float64Array(capacity);
    this.grace = new Float64Array(capacity);
    this.flags = new Uint8Array(capacity);
    this.shapes = new Uint32Array(capacity);
    this.versions = new Uint32Array(capacity);
  }

  /** The slot of this digest (32 bytes at `at` of `bytes`), or -1. SHA-256 output is uniform: its first bytes are the hash. */
  find(bytes: Uint8Array, at: number): number {
    const digests = this.digests;
    let i = ((bytes[at] | (bytes[at + 1] << 8) | (bytes[at + 2] << 16) | (bytes[at + 3] << 24)) >>> 0) & this.mask;
    for (;;) {
      const s = this.index[i];
      if (s === 0) return -1;
      const base = (s - 1) * 32;
      let j = 0;
      while (j < 32 && digests[base + j] === bytes[at + j]) j++;
      if (j === 32) return s - 1;
      i = (i + 1) & this.mask;
    }
  }

  makeRoom(): void {
    if (this.size === this.capacity) this.grow();
  }

  /** Indexes the next slot, whose digest is already written in `digests` (after makeRoom). */
  insertNext(): number {
    const slot = this.size++;
    const d = this.digests;
    const base = slot * 32;
    let i = ((d[base] | (d[base + 1] << 8) | (d[base + 2] << 16) | (d[base + 3] << 24)) >>> 0) & this.mask;
    while (this.index[i] !== 0) i = (i + 1) & this.mask;
    this.index[i] = slot + 1;
    return slot;
  }

  private grow(): void {
    const old = this;
    const next = new Table(this.capacity * 2);
    next.digests.set(old.digests);
    next.expires.set(old.expires);
    next.grace.set(old.grace);
    next.flags.set(old.flags);
    next.shapes.set(old.shapes);
    next.versions.set(old.versions);
    Object.assign(this, { capacity: next.capacity, digests: next.digests, index: next.index, mask: next.mask, expires: next.expires, grace: next.grace, flags: next.flags, shapes: next.shapes, versions: next.versions });
    const size = this.size;
    this.size = 0;
    for (let s = 0; s < size; s++) this.insertNext();
  }
}

/** The number of this combination in the table's shapes, added when new. */
function shapeOf(t: Table, environmentId: string | null, role: string, scopes: readonly string[]): number {
  const key = `${environmentId ?? ''}\u0000${role}\u0000${scopes.join('\u0000')}`;
  let n = t.shapeIds.get(key);
  if (n === undefined) {
    n = t.shapeList.length;
    t.shapeList.push(Object.freeze({ environmentId, role, scopes: Object.freeze([...scopes]) }));
    t.shapeIds.set(key, n);
  }
  return n;
}

export class Replica {
  private table = new Table(1024);
  /** While a snapshot comes in: it replaces `table` when complete. */
  private next: Table | null = null;
  /** Scopes as sent (JSON text) -> the parsed list, shared. */
  private readonly scopeLists = new Map<string, readonly string[]>();
  /** Bumped when a snapshot replaces the table: slots of the old one mean nothing any more. */
  epoch = 0;
  /** Room for one digest being looked up. */
  private readonly probe = new Uint8Array(32);

  get size(): number {
    return this.table.size;
  }

  beginSnapshot(): void {
    this.next = new Table(1024);
  }

  /** The snapshot is complete (a `ready` event). */
  endSnapshot(): void {
    if (this.next !== null) {
      this.table = this.next;
      this.epoch++;
    }
    this.next = null;
  }

  /** A page of a snapshot (a `keys` event). */
  putRows(rows: SnapshotRow[]): void {
    for (const r of rows) this.write(r[0], r[1], r[2], r[3], r[4], this.parsedScopes(r[5]), r[6], r[7], r[8]);
  }

  /** One key's new state (a `key` event). */
  put(k: StreamedKey): void {
    const flags = (k.revoked_at !== null ? REVOKED : 0) | (k.replaced_by_key_id !== null ? REPLACED : 0) | (k.http_only ? HTTP_ONLY : 0);
    this.write(k.digest, k.id, k.environment_id, k.name, k.role, k.scopes, ms(k.expires_at), ms(k.grace_expires_at), flags);
  }

  private write(digest: string, id: string, environmentId: string | null, name: string, role: string, scopes: readonly string[], expires: number | null, grace: number | null, flags: number): void {
    const t = this.next ?? this.table;
    // Parse the hex digest straight into the next free slot: a new key stays there, a known one was only a probe.
    t.makeRoom();
    const base = t.size * 32;
    if (!hexInto(digest, t.digests, base)) return;
    let slot = t.find(t.digests, base);
    if (slot < 0) slot = t.insertNext();
    t.ids[slot] = id;
    t.names[slot] = name;
    t.expires[slot] = expires ?? NaN;
    t.grace[slot] = grace ?? NaN;
    t.flags[slot] = flags;
    t.shapes[slot] = shapeOf(t, environmentId, role, scopes);
    t.versions[slot]++;
  }

  /** The slot of the key with this lowercase hex digest, or -1. (Node's hex digest is 5x cheaper than its Buffer one.) */
  findHex(digest: string): number {
    return hexInto(digest, this.probe, 0) ? this.table.find(this.probe, 0) : -1;
  }

  /** Read the key in a slot `find` gave (valid until the next event). */
  id(slot: number): string {
    return this.table.ids[slot];
  }
  name(slot: number): string {
    return this.table.names[slot];
  }
  shape(slot: number): Shape {
    return this.table.shapeList[this.table.shapes[slot]];
  }
  flags(slot: number): number {
    return this.table.flags[slot];
  }
  /** Milliseconds, or null. */
  expiresAt(slot: number): number | null {
    const v = this.table.expires[slot];
    return v === v ? v : null;
  }
  graceExpiresAt(slot: number): number | null {
    const v = this.table.grace[slot];
    return v === v ? v : null;
  }
  version(slot: number): number {
    return this.table.versions[slot];
  }

  private parsedScopes(text: string): readonly string[] {
    let have = this.scopeLists.get(text);
    if (have === undefined) {
      const list = JSON.parse(text) as unknown;
      have = Object.freeze(Array.isArray(list) ? list.map(String) : []);
      if (this.scopeLists.size >= 10_000) this.scopeLists.clear();
      this.scopeLists.set(text, have);
    }
    return have;
  }
}
