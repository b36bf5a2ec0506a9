// Root keys: the operator's credential. Digests live in `root_keys` (or come from KEYMINT_ROOT_KEY) and in memory.
import type { Clock } from '../util/clock.js';
import { digestKey, mintKey, ROOT_PREFIX } from '../keys/material.js';
import type { Store } from '../store/db.js';
import { isUniqueViolation, writeAudit, writeChange } from '../store/journal.js';
import { SYSTEM } from './principal.js';

const BOOTSTRAP_ID = 'root_bootstrap';
const ENV_ID = 'root_env';

export class RootKeys {
  /** digest -> root key id */
  private digests = new Map<string, string>();

  constructor(
    private readonly store: Store,
    private readonly clock: Clock,
    private readonly envRootKey: string | null,
  ) {}

  async load(): Promise<void> {
    const rows = await this.store.db.selectFrom('root_keys').select(['id', 'digest']).execute();
    const next = new Map(rows.map((r) => [r.digest, r.id]));
    if (this.envRootKey) next.set(digestKey(this.envRootKey), ENV_ID);
    this.digests = next;
  }

  idOf(digest: string): string | null {
    return this.digests.get(digest) ?? null;
  }

  /**
   * With no KEYMINT_ROOT_KEY and no root key stored, mints one and returns its plaintext (to print once).
   * The fixed id makes this safe when several nodes start together: one insert wins.
   */
  async bootstrap(): Promise<string | null> {
    if (this.envRootKey) return null;
    const existing = await this.store.db.selectFrom('root_keys').select('id').executeTakeFirst();
    if (existing) return null;
    const minted = mintKey(ROOT_PREFIX);
    const now = this.clock.now();
    try {
      await this.store.db.transaction().execute(async (trx) => {
        await trx.insertInto('root_keys').values({ id: BOOTSTRAP_ID, digest: minted.digest, key_prefix: minted.displayPrefix, created_at: now }).execute();
        await writeChange(trx, now, 'root', [minted.digest]);
        await writeAudit(trx, SYSTEM, now, { action: 'root_key.created', target: { type: 'root_key', id: BOOTSTRAP_ID }, projectId: null });
      });
    } catch (e) {
      if (isUniqueViolation(e)) return null;
      throw e;
    }
    await this.load();
    return minted.plaintext;
  }
}
