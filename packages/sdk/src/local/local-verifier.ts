// Verification inside the caller's process: answers from a replica of the project's keys (kept current by the key
// stream) in the shape of POST /v1/keys/verify, and goes over HTTP whenever the replica cannot answer for sure:
// while it is behind (no snapshot yet, or the stream is silent), for a key it does not know, and for keys whose
// every verification the server must count (rate limits). Verifications answered here are reported in batches.
import type { Keymint, VerifyOptions, VerifyResult } from '../client.js';
import type { KeymintError } from '../errors.js';
import { EventStream } from './event-stream.js';
import { isWellFormedKey, keyDigest } from './key-digest.js';
import { HTTP_ONLY, REPLACED, REVOKED, Replica, type Shape, type SnapshotRow, type StreamedKey } from './replica.js';
import { type Counted, OUTCOME_INDEX, UsageBatch } from './usage-batch.js';

export interface LocalVerifierOptions {
  projectId: string;
  /** The replica counts as behind (and verification goes over HTTP) after this long without an event (default 5 000 ms). */
  staleMs?: number;
  /** How often verifications answered here are reported (default 5 000 ms). */
  usageFlushMs?: number;
  /** localVerifier() rejects when the first snapshot is not in by then (default 60 000 ms). */
  readyTimeoutMs?: number;
  /** Milliseconds since the epoch, for expiry and grace (tests inject a clock; staleness uses the real one). */
  now?: () => number;
  /**
   * How many recently verified keys to remember by plaintext, so verifying one again skips SHA-256 (default
   * 10 000; 0: none, and no plaintext is held past the call).
   */
  hotKeys?: number;
}

export interface LocalVerifierStats {
  keys: number;
  connected: boolean;
  /** Answered from the replica / over HTTP since start. */
  local: number;
  remote: number;
}

type Code = VerifyResult['code'];

function unknown(code: 'MALFORMED' | 'NOT_FOUND'): VerifyResult {
  return Object.freeze({ valid: false, code, key_id: null, project_id: null, environment_id: null, name: null, role: null, scopes: null, expires_at: null, grace_expires_at: null, ratelimit: null, meta: null, credits: null, identity: null });
}
const MALFORMED = unknown('MALFORMED');
const NOT_FOUND = unknown('NOT_FOUND');
const iso = (t: number | null) => (t === null ? null : new Date(t).toISOString());

/** How many plaintext keys the hot cache remembers by default (two generations of half as many). */
const HOT_KEYS = 10_000;

/**
 * A key verified here lately, found by its plaintext: the next verification of it needs no SHA-256. It holds a copy
 * of the key's state, good while the replica's slot has the same version (any change of the key bumps it) and the
 * table is the same (a snapshot replaces it), and the key's usage counter (usage-batch.ts).
 */
class HotKey {
  /** The VALID answer, built once. */
  valid: VerifyResult | null = null;
  constructor(
    readonly counter: Counted,
    readonly slot: number,
    readonly version: number,
    readonly epoch: number,
    readonly id: string,
    readonly name: string,
    readonly shape: Shape,
    readonly flags: number,
    readonly expiresAt: number | null,
    readonly graceExpiresAt: number | null,
  ) {}
}

export class LocalVerifier {
  readonly projectId: string;
  private readonly replica = new Replica();
  private readonly stream: EventStream;
  private readonly usage: UsageBatch;
  private readonly staleMs: number;
  private readonly now: () => number;
  private ready = false;
  private connected = false;
  private lastEventAt = 0;
  /** ready, connected and heard from within staleMs: kept by events and a timer, so a verification reads one field. */
  private fresh = false;
  private freshness: ReturnType<typeof setInterval> | null = null;
  private fatal: KeymintError | null = null;
  private readyWaiters: { resolve: () => void; reject: (e: unknown) => void }[] = [];
  private local = 0;
  private remote = 0;
  /** Plaintext -> HotKey, in two generations: when `hot` is full it becomes `warm` (the oldest half is forgotten). */
  private hot = new Map<string, HotKey>();
  private warm = new Map<string, HotKey>();
  private readonly hotLimit: number;

  constructor(
    private readonly client: Keymint,
    options: LocalVerifierOptions,
  ) {
    if (!options?.projectId) throw new TypeError('localVerifier: projectId is required');
    this.projectId = options.projectId;
    this.staleMs = options.staleMs ?? 5_000;
    this.now = options.now ?? Date.now;
    this.readyTimeoutMs = options.readyTimeoutMs ?? 60_000;
    this.hotLimit = Math.max(0, options.hotKeys ?? HOT_KEYS);
    this.usage = new UsageBatch(client, this.projectId, options.usageFlushMs ?? 5_000);
    this.stream = new EventStream(client.http, client.http.url('/v1/keys/stream', undefined, { project_id: this.projectId }), {
      idleMs: this.staleMs,
      onEvent: (e) => this.onEvent(e.event, e.data),
      onState: (connected) => {
        this.connected = connected;
        if (!connected) this.ready = false;
        this.checkFreshness();
      },
      onFatal: (e) => {
        this.fatal = e;
        for (const w of this.readyWaiters.splice(0)) w.reject(e);
      },
    });
  }

  private readonly readyTimeoutMs: number;

  /** Opens the stream; resolves when the first snapshot is complete. */
  async start(): Promise<void> {
    this.stream.start();
    this.freshness = setInterval(() => this.checkFreshness(), Math.max(50, Math.floor(this.staleMs / 10)));
    this.freshness.unref?.();
    this.usage.start();
    let timer: ReturnType<typeof setTimeout> | undefined;
    try {
      await new Promise<void>((resolve, reject) => {
        this.readyWaiters.push({ resolve, reject });
        timer = setTimeout(() => reject(new Error(`localVerifier: no snapshot of project ${this.projectId} within ${this.readyTimeoutMs} ms`)), this.readyTimeoutMs);
      });
    } catch (e) {
      await this.close();
      throw e;
    } finally {
      clearTimeout(timer);
    }
  }

  private onEvent(event: string, data: string): void {
    this.lastEventAt = performance.now();
    if (!this.fresh && this.ready) this.checkFreshness();
    switch (event) {
      case 'reset':
        this.ready = false;
        this.replica.beginSnapshot();
        break;
      case 'keys':
        this.replica.putRows(JSON.parse(data) as SnapshotRow[]);
        break;
      case 'key':
        this.replica.put(JSON.parse(data) as StreamedKey);
        break;
      case 'ready':
        this.replica.endSnapshot();
        this.forgetHotKeys();
        this.ready = true;
        this.checkFreshness();
        for (const w of this.readyWaiters.splice(0)) w.resolve();
        break;
    }
  }

  private checkFreshness(): void {
    this.fresh = this.ready && this.connected && performance.now() - this.lastEventAt < this.staleMs;
  }

  /** Current: a complete snapshot and a stream heard from within `staleMs`. */
  get current(): boolean {
    this.checkFreshness();
    return this.fresh;
  }

  stats(): LocalVerifierStats {
    return { keys: this.replica.size, connected: this.connected, local: this.local, remote: this.remote };
  }

  /** The answer from the replica, or null when only the server can give it (behind, unknown key, rate-limited key). */
  verifyLocally(key: string, options?: VerifyOptions): VerifyResult | null {
    if (!this.fresh) return null;
    const entry = this.hotKey(key);
    if (entry === null) return isWellFormedKey(key) ? null : MALFORMED;
    if (entry.flags & HTTP_ONLY) return null;
    if (options?.environmentId !== undefined && entry.shape.environmentId !== options.environmentId) return NOT_FOUND;
    const now = this.now();
    let code = this.codeAt(entry, now);
    if (code === 'VALID' && options?.requiredScopes) {
      for (const s of options.requiredScopes) if (!entry.shape.scopes.includes(s)) code = 'INSUFFICIENT_SCOPES';
    }
    this.local++;
    this.usage.count(entry.counter, OUTCOME_INDEX[code], now);
    return code === 'VALID' ? (entry.valid ?? (entry.valid = this.result(entry, code))) : this.result(entry, code);
  }

  /** The key's state: from the hot cache when it is still current, else from the replica by digest (null: not there). */
  private hotKey(key: string): HotKey | null {
    let entry = this.hot.get(key);
    if (entry === undefined) {
      entry = this.warm.get(key);
      if (entry !== undefined) this.remember(key, entry);
    }
    const replica = this.replica;
    if (entry !== undefined && entry.epoch === replica.epoch && replica.version(entry.slot) === entry.version) return entry;
    const slot = replica.findHex(keyDigest(key));
    if (slot < 0) {
      if (entry !== undefined) this.forget(key);
      return null;
    }
    const id = replica.id(slot);
    entry = new HotKey(this.usage.counter(id), slot, replica.version(slot), replica.epoch, id, replica.name(slot), replica.shape(slot), replica.flags(slot), replica.expiresAt(slot), replica.graceExpiresAt(slot));
    this.remember(key, entry);
    return entry;
  }

  private remember(key: string, entry: HotKey): void {
    if (this.hotLimit === 0) return;
    if (this.hot.size >= this.hotLimit / 2) {
      this.warm = this.hot;
      this.hot = new Map();
    }
    this.hot.set(key, entry);
  }

  private forget(key: string): void {
    this.hot.delete(key);
    this.warm.delete(key);
  }

  private forgetHotKeys(): void {
    this.hot = new Map();
    this.warm = new Map();
  }

  /** The same answer as POST /v1/keys/verify: from the replica when it can, else over HTTP. */
  async verify(key: string, options?: VerifyOptions): Promise<VerifyResult> {
    if (this.fatal) throw this.fatal;
    const answer = this.verifyLocally(key, options);
    if (answer !== null) return answer;
    this.remote++;
    const r = await this.client.keys.verify(key, options);
    // A root token sees every project's keys; this verifier answers for its own project only.
    return r.project_id !== null && r.project_id !== this.projectId ? NOT_FOUND : r;
  }

  private codeAt(k: HotKey, now: number): 'VALID' | 'REVOKED' | 'ROTATED' | 'EXPIRED' | 'INSUFFICIENT_SCOPES' {
    if (k.flags & REVOKED) return 'REVOKED';
    if (k.flags & REPLACED && (k.graceExpiresAt === null || now >= k.graceExpiresAt)) return 'ROTATED';
    if (k.expiresAt !== null && k.expiresAt <= now) return 'EXPIRED';
    return 'VALID';
  }

  private result(k: HotKey, code: Code): VerifyResult {
    return Object.freeze({
      valid: code === 'VALID',
      code,
      key_id: k.id,
      project_id: this.projectId,
      environment_id: k.shape.environmentId,
      name: k.name,
      role: k.shape.role as VerifyResult['role'],
      scopes: k.shape.scopes as string[],
      expires_at: iso(k.expiresAt),
      grace_expires_at: iso(k.graceExpiresAt),
      ratelimit: null,
      // Keys with meta, credits or an identity are http_only (the stream does not carry them): a replica's key has none.
      meta: null,
      credits: null,
      // Keys of an identity are http_only (the stream does not carry its state): a replica's key has none.
      identity: null,
    });
  }

  /** Reports what is counted now (close() does it too). */
  flushUsage(): Promise<void> {
    return this.usage.flush();
  }

  /** Closes the stream and reports the last counts. */
  async close(): Promise<void> {
    if (this.freshness) clearInterval(this.freshness);
    this.fresh = false;
    this.forgetHotKeys();
    this.stream.stop();
    await this.usage.stop();
  }
}
