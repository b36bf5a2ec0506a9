// Verification counts per minute, hour or day, read from the per-minute rows the UsageRecorder writes.
import { sql } from 'kysely';
import { invalid } from '../service/errors.js';
import type { Store } from '../store/db.js';
import { MINUTE, OUTCOMES } from './usage.js';

export const GRANULARITIES = { minute: MINUTE, hour: 60 * MINUTE, day: 1_440 * MINUTE } as const;
export type Granularity = keyof typeof GRANULARITIES;
/** A day of minutes, 60 days of hours, about 4 years of days. */
export const MAX_BUCKETS = 1_440;
/** Without `from`: the last hour of minutes, day of hours, or 30 days. */
const DEFAULT_BUCKETS: Record<Granularity, number> = { minute: 60, hour: 24, day: 30 };

export interface UsageBucket {
  start: number;
  total: number;
  counts: Record<(typeof OUTCOMES)[number], number>;
}

export interface UsageRange {
  granularity: Granularity;
  /** Aligned down to the granularity (UTC). */
  from: number;
  /** Exclusive. */
  to: number;
}

/** The range a query asks for, aligned and checked; `now` is the default end. */
export function usageRange(granularity: Granularity, from: number | undefined, to: number | undefined, now: number): UsageRange {
  const size = GRANULARITIES[granularity];
  const end = to ?? now;
  const start = from ?? end - DEFAULT_BUCKETS[granularity] * size;
  if (start >= end) throw invalid(from !== undefined ? 'querystring.from' : 'querystring.to', 'from must be before to');
  const aligned = start - (start % size);
  const buckets = Math.ceil((end - aligned) / size);
  if (buckets > MAX_BUCKETS) {
    throw invalid('querystring.from', `the range holds ${buckets} ${granularity} buckets; ask for at most ${MAX_BUCKETS} (a shorter range or a coarser granularity)`);
  }
  return { granularity, from: aligned, to: end };
}

/** Every bucket of the range in order, with zeros where nothing was verified. */
export async function usageBuckets(store: Store, keyId: string, range: UsageRange): Promise<UsageBucket[]> {
  const size = GRANULARITIES[range.granularity];
  // A literal (one of three constants), so PostgreSQL sees the same expression in select and group by.
  const start = sql<number>`bucket - (bucket % ${sql.lit(size)})`;
  const rows = await store.db
    .selectFrom('usage_counts')
    .select([start.as('start'), 'outcome', sql<number>`cast(sum(count) as bigint)`.as('n')])
    .where('key_id', '=', keyId)
    .where('bucket', '>=', range.from)
    .where('bucket', '<', range.to)
    .groupBy([start, 'outcome'])
    .execute();
  const out: UsageBucket[] = [];
  const byStart = new Map<number, UsageBucket>();
  for (let t = range.from; t < range.to; t += size) {
    const b = { start: t, total: 0, counts: Object.fromEntries(OUTCOMES.map((o) => [o, 0])) as UsageBucket['counts'] };
    out.push(b);
    byStart.set(t, b);
  }
  for (const r of rows) {
    const b = byStart.get(Number(r.start));
    if (!b || !(r.outcome in b.counts)) continue;
    b.counts[r.outcome as keyof UsageBucket['counts']] += Number(r.n);
    b.total += Number(r.n);
  }
  return out;
}
