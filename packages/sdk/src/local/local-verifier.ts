// Verification inside the caller's process: answers from a replica of the project's keys (kept current by the key
// stream) in the shape of POST /v1/keys/verify, and goes over HTTP whenever the replica cannot answer for sure:
// while it is behind (no snapshot yet, or the stream is silent), for a key it does not know, and for keys whose
// every verification the server must count (rate limits). Verifications answered here are reported in batches.
import type { Keymint, VerifyOptions, VerifyResult } from '../client.js';
import type { KeymintError } from '../errors.js';
import { EventStream } from './event-stream.js';
import { isWellFormedKey, keyDigest } from './key-digest.js';
import { Replica, type ReplicaKey, type StreamedKey } from './replica.js';
import { OUTCOME_INDEX, UsageBatch } from './usage-batch.js';

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

  constructor(
    private readonly client: Keymint,
    options: LocalVerifierOptions,
  ) {
    if (!options?.projectId) throw new TypeError('localVerifier: projectId is required');
    this.projectId = options.projectId;
    this.staleMs = options.staleMs ?? 5_000;
    this.now = options.now ?? Date.now;
    this.readyTimeoutMs = options.readyTimeoutMs ?? 60_000;
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
        for (const k of JSON.parse(data) as StreamedKey[]) this.replica.put(k);
        break;
      case 'key':
        this.replica.put(JSON.parse(data) as StreamedKey);
        break;
      case 'ready':
        this.replica.endSnapshot();
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
    const entry = this.replica.get(keyDigest(key));
    if (entry === undefined) return isWellFormedKey(key) ? null : MALFORMED;
    if (entry.httpOnly) return null;
    if (options?.environmentId !== undefined && entry.environmentId !== options.environmentId) return NOT_FOUND;
    const now = this.now();
    let code = this.codeAt(entry, now);
    if (code === 'VALID' && options?.requiredScopes) {
      for (const s of options.requiredScopes) if (!entry.scopes.includes(s)) code = 'INSUFFICIENT_SCOPES';
    }
    this.local++;
    this.usage.count(entry, OUTCOME_INDEX[code], now);
    return code === 'VALID' ? ((entry.valid as VerifyResult | null) ?? (entry.valid = this.result(entry, code))) as VerifyResult : this.result(entry, code);
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

  private codeAt(k: ReplicaKey, now: number): 'VALID' | 'REVOKED' | 'ROTATED' | 'EXPIRED' | 'INSUFFICIENT_SCOPES' {
    if (k.revoked) return 'REVOKED';
    if (k.replaced && (k.graceExpiresAt === null || now >= k.graceExpiresAt)) return 'ROTATED';
    if (k.expiresAt !== null && k.expiresAt <= now) return 'EXPIRED';
    return 'VALID';
  }

  private result(k: ReplicaKey, code: Code): VerifyResult {
    return Object.freeze({
      valid: code === 'VALID',
      code,
      key_id: k.id,
      project_id: this.projectId,
      environment_id: k.environmentId,
      name: k.name,
      role: k.role as VerifyResult['role'],
      scopes: k.scopes as string[],
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
    this.stream.stop();
    await this.usage.stop();
  }
}
