// What a key carries besides its identity (issue 13): meta, an IP allowlist and a credit pool. The rules that
// turn create/PATCH input into columns, and the credits a key object shows, in one place for the key service.
import { normalizeAllowlist } from '../keys/cidr.js';
import { creditsAt, type Refill, refillOf } from '../keys/credits.js';
import { newCreditPoolId } from '../keys/ids.js';
import { checkMeta } from '../keys/meta.js';
import type { KeyRow } from '../store/api-keys.js';
import type { Store } from '../store/db.js';
import type { Credits, PoolRow } from '../verify/credits.js';
import { invalid } from './errors.js';

/** Credits as the wire shows them: the count now (refills applied) and the refill policy. */
export interface CreditsView {
  remaining: number;
  refill: Refill | null;
}

/** What create and PATCH take: `remaining` now, and the refill (null: none). */
export interface CreditsInput {
  remaining: number;
  refill: Refill | null;
}

/** The three settings as create and PATCH take them (undefined: unchanged; null: removed). */
export interface KeyExtrasInput {
  meta?: Record<string, unknown> | null;
  credits?: CreditsInput | null;
  ip_allowlist?: string[] | null;
}

/** meta as stored, or a 400 naming body.meta. */
export function metaColumn(meta: Record<string, unknown> | null): string | null {
  if (meta === null) return null;
  const problem = checkMeta(meta);
  if (problem) throw invalid('body.meta', problem);
  return JSON.stringify(meta);
}

/** The allowlist as stored (normalized), or a 400 naming the bad entry. */
export function allowlistColumn(list: string[] | null): string | null {
  if (list === null) return null;
  const r = normalizeAllowlist(list);
  if ('error' in r) throw invalid(r.index >= 0 ? `body.ip_allowlist.${r.index}` : 'body.ip_allowlist', r.error);
  return JSON.stringify(r.list);
}

/** A pool's columns as set by hand at `now` (a refill counts from then). */
export function poolColumns(c: CreditsInput, now: number) {
  if (c.refill && c.refill.interval !== 'monthly' && c.refill.day_of_month !== undefined) {
    throw invalid('body.credits.refill.day_of_month', 'day_of_month belongs to a monthly refill: leave it out of a daily one');
  }
  return {
    remaining: c.remaining,
    refilled_at: now,
    refill_amount: c.refill?.amount ?? null,
    refill_interval: c.refill?.interval ?? null,
    refill_day: c.refill?.interval === 'monthly' ? (c.refill.day_of_month ?? null) : null,
  };
}

export type PoolInsert = ReturnType<typeof poolColumns> & { id: string; version: number; created_at: number };

/** A new pool for a key that had none. */
export const newPool = (c: CreditsInput, now: number): PoolInsert => ({ id: newCreditPoolId(), ...poolColumns(c, now), version: 1, created_at: now });

/** The credits of each row that has a pool (by pool id), as of `now`: refills applied, Redis' count when it has one. */
export async function creditViews(store: Store, credits: Credits | null, rows: KeyRow[], now: number): Promise<Map<string, CreditsView>> {
  const ids = [...new Set(rows.map((r) => r.credit_pool_id).filter((id): id is string => id !== null))];
  const out = new Map<string, CreditsView>();
  if (ids.length === 0) return out;
  const pools = await store.db.selectFrom('credit_pools').selectAll().where('id', 'in', ids).execute();
  const states = credits ? await credits.current(pools as PoolRow[]) : new Map(pools.map((p) => [p.id, p]));
  for (const p of pools) {
    const refill = refillOf(p.refill_amount, p.refill_interval, p.refill_day);
    out.set(p.id, { remaining: creditsAt(states.get(p.id) ?? p, refill, now).remaining, refill });
  }
  return out;
}
