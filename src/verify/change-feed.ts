// Follows the `changes` table so every node drops what it cached for a changed key within a second.
// SQLite: every process polls the shared file. PostgreSQL: LISTEN wakes the node at commit; polling is the fallback.
import pg from 'pg';
import type { Clock } from '../util/clock.js';
import { Coalesced } from '../util/coalesce.js';
import type { Store } from '../store/db.js';
import { CHANGES_CHANNEL } from '../store/journal.js';
import type { KeyCache } from './key-cache.js';

/** A transaction open longer than this when its seq was skipped is missed (the cache TTL still bounds it). */
const GAP_WATCH_MS = 30_000;

export interface ChangeRow {
  seq: number;
  kind: string;
  ref: string;
}

export interface ChangeFeedOptions {
  pollMs: number;
  /** Rows older than this are pruned; a node that was away longer clears its whole cache. */
  keepMs: number;
}

export class ChangeFeed {
  private lastSeq = 0;
  private timer: NodeJS.Timeout | null = null;
  private listener: pg.Client | null = null;
  private readonly passes = new Coalesced(() => this.pass());
  private lastPrune = 0;
  private readonly gaps = new Map<number, number>();
  /** Called for `root` changes (a root key was added). */
  onRoot: (() => Promise<void>) | null = null;
  /** Called for `import` changes (keys without Keymint's checksum were imported). */
  onImport: (() => void) | null = null;
  /** Called for `verifier` changes (a verifier key was created or deleted). */
  onVerifier: (() => Promise<void>) | null = null;
  private readonly listeners = new Set<(rows: ChangeRow[]) => void>();

  constructor(
    private readonly store: Store,
    private readonly cache: KeyCache,
    private readonly clock: Clock,
    private readonly options: ChangeFeedOptions = { pollMs: 250, keepMs: 3_600_000 },
  ) {}

  /** A pass that failed in the background (it is retried at the next poll): for the log and metrics. */
  onError: (e: unknown, during: 'listen' | 'notification' | 'poll') => void = () => {};

  async start(): Promise<void> {
    const row = await this.store.db.selectFrom('changes').select((eb) => eb.fn.max('seq').as('seq')).executeTakeFirst();
    this.lastSeq = Number(row?.seq ?? 0);
    if (this.store.engine === 'postgres') {
      this.listener = new pg.Client({ connectionString: this.store.url });
      this.listener.on('error', (e) => this.onError(e, 'listen'));
      this.listener.on('notification', () => void this.catchUp().catch((e) => this.onError(e, 'notification')));
      await this.listener.connect();
      await this.listener.query(`LISTEN ${CHANGES_CHANNEL}`);
    }
    this.timer = setInterval(() => void this.catchUp().catch((e) => this.onError(e, 'poll')), this.options.pollMs);
    this.timer.unref();
  }

  /** Told every batch of changes this node applies, in the order applied (the key stream's live part). */
  subscribe(listener: (rows: ChangeRow[]) => void): () => void {
    this.listeners.add(listener);
    return () => this.listeners.delete(listener);
  }

  /** Applies every change written since the last call; concurrent callers share one pass. */
  catchUp(): Promise<void> {
    return this.passes.run();
  }

  private async pass(): Promise<void> {
    for (;;) {
      // PostgreSQL may commit seq 7 before seq 6: a skipped number is watched for a while in case it lands late.
      const gaps = [...this.gaps.keys()];
      const rows = await this.store.db
        .selectFrom('changes')
        .select(['seq', 'kind', 'ref'])
        .where((eb) => (gaps.length ? eb.or([eb('seq', '>', this.lastSeq), eb('seq', 'in', gaps)]) : eb('seq', '>', this.lastSeq)))
        .orderBy('seq')
        .limit(1000)
        .execute();
      for (const r of rows) {
        if (r.kind === 'key') this.cache.dropDigest(r.ref);
        else if (r.kind === 'project') this.cache.dropProject(r.ref);
        else if (r.kind === 'owner') this.cache.dropOwner(r.ref);
        else if (r.kind === 'root') await this.onRoot?.();
        else if (r.kind === 'import') this.onImport?.();
        else if (r.kind === 'verifier') await this.onVerifier?.();
        if (this.gaps.delete(r.seq)) continue;
        for (let s = this.lastSeq + 1; s < r.seq && this.gaps.size < 1000; s++) this.gaps.set(s, Date.now());
        this.lastSeq = Math.max(this.lastSeq, r.seq);
      }
      if (rows.length > 0) for (const listener of this.listeners) listener(rows);
      for (const [seq, seen] of this.gaps) if (Date.now() - seen > GAP_WATCH_MS) this.gaps.delete(seq);
      if (rows.length < 1000) break;
    }
    const now = this.clock.now();
    if (now - this.lastPrune > 60_000) {
      this.lastPrune = now;
      await this.store.db.deleteFrom('changes').where('at', '<', now - this.options.keepMs).execute();
    }
  }

  async stop(): Promise<void> {
    if (this.timer) clearInterval(this.timer);
    this.timer = null;
    await this.passes.current?.catch(() => {});
    await this.listener?.end().catch(() => {});
    this.listener = null;
  }
}
