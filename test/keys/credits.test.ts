// The refill rule: boundaries in UTC, months shorter than day_of_month, refills nobody was there to see.
import { describe, expect, it } from 'vitest';
import { creditsAt, lastBoundary, nextBoundary } from '../../src/keys/credits.js';

const t = (s: string) => Date.parse(s);

describe('refill boundaries', () => {
  it('daily: the last 00:00 UTC at or before now', () => {
    expect(lastBoundary({ amount: 1, interval: 'daily' }, t('2026-03-05T17:30:00Z'))).toBe(t('2026-03-05T00:00:00Z'));
    expect(lastBoundary({ amount: 1, interval: 'daily' }, t('2026-03-05T00:00:00Z'))).toBe(t('2026-03-05T00:00:00Z'));
    expect(nextBoundary({ amount: 1, interval: 'daily' }, t('2026-03-05T17:30:00Z'))).toBe(t('2026-03-06T00:00:00Z'));
  });

  it('monthly: day 1 by default, the given day otherwise, the month\'s last day when it is shorter', () => {
    expect(lastBoundary({ amount: 1, interval: 'monthly' }, t('2026-03-05T17:30:00Z'))).toBe(t('2026-03-01T00:00:00Z'));
    expect(lastBoundary({ amount: 1, interval: 'monthly', day_of_month: 15 }, t('2026-03-05T00:00:00Z'))).toBe(t('2026-02-15T00:00:00Z'));
    expect(lastBoundary({ amount: 1, interval: 'monthly', day_of_month: 31 }, t('2026-03-05T00:00:00Z'))).toBe(t('2026-02-28T00:00:00Z'));
    expect(lastBoundary({ amount: 1, interval: 'monthly', day_of_month: 31 }, t('2028-02-29T00:00:01Z'))).toBe(t('2028-02-29T00:00:00Z'));
    expect(lastBoundary({ amount: 1, interval: 'monthly', day_of_month: 31 }, t('2026-01-10T00:00:00Z'))).toBe(t('2025-12-31T00:00:00Z'));
    expect(nextBoundary({ amount: 1, interval: 'monthly', day_of_month: 31 }, t('2026-02-01T00:00:00Z'))).toBe(t('2026-02-28T00:00:00Z'));
    expect(nextBoundary({ amount: 1, interval: 'monthly', day_of_month: 31 }, t('2026-02-28T00:00:00Z'))).toBe(t('2026-03-31T00:00:00Z'));
  });

  it('a pool is refilled to the amount once per boundary passed, even when nobody looked in between', () => {
    const refill = { amount: 100, interval: 'daily' as const };
    const set = { remaining: 3, refilled_at: t('2026-03-05T10:00:00Z') };
    expect(creditsAt(set, refill, t('2026-03-05T23:59:59.999Z'))).toEqual(set);
    expect(creditsAt(set, refill, t('2026-03-06T00:00:00Z'))).toEqual({ remaining: 100, refilled_at: t('2026-03-06T00:00:00Z') });
    expect(creditsAt(set, refill, t('2026-04-20T08:00:00Z'))).toEqual({ remaining: 100, refilled_at: t('2026-04-20T00:00:00Z') });
    expect(creditsAt(set, null, t('2027-01-01T00:00:00Z'))).toEqual(set);
  });
});
