// Credits: how many verifications a key has left, and when they are topped up. Pure: `now` is passed in.
// A refill happens at each UTC boundary of its interval (midnight; or 00:00 of `day_of_month`, the month's
// last day when shorter). It is computed from the last refill, so a key nobody verified is refilled too.

export const DAY_MS = 86_400_000;
export const MAX_CREDITS = 1_000_000_000_000;
export const MAX_COST = 1_000_000_000;

export type RefillInterval = 'daily' | 'monthly';

export interface Refill {
  amount: number;
  interval: RefillInterval;
  /** Monthly only: 1..31, default 1; past the month's last day, the last day. */
  day_of_month?: number;
}

/** What a pool holds: `remaining` as of `refilled_at` (the last refill boundary applied, or when it was set). */
export interface CreditState {
  remaining: number;
  refilled_at: number;
}

const daysIn = (year: number, month: number) => new Date(Date.UTC(year, month + 1, 0)).getUTCDate();

/** The latest refill boundary at or before `now`. */
export function lastBoundary(refill: Refill, now: number): number {
  if (refill.interval === 'daily') return now - (((now % DAY_MS) + DAY_MS) % DAY_MS);
  const d = new Date(now);
  const day = refill.day_of_month ?? 1;
  let y = d.getUTCFullYear();
  let m = d.getUTCMonth();
  const at = () => Date.UTC(y, m, Math.min(day, daysIn(y, m)));
  if (at() <= now) return at();
  m -= 1;
  if (m < 0) {
    m = 11;
    y -= 1;
  }
  return at();
}

/** The next refill boundary after `now` (for display). */
export function nextBoundary(refill: Refill, now: number): number {
  if (refill.interval === 'daily') return lastBoundary(refill, now) + DAY_MS;
  // A month from the last boundary: at most 31 days on; step forward a day at a time until the boundary moves.
  const last = lastBoundary(refill, now);
  let t = last + 27 * DAY_MS;
  while (lastBoundary(refill, t) === last) t += DAY_MS;
  return lastBoundary(refill, t);
}

/** The pool's state at `now`: refilled to `amount` when a boundary passed since `refilled_at`. */
export function creditsAt(state: CreditState, refill: Refill | null, now: number): CreditState {
  if (!refill) return state;
  const b = lastBoundary(refill, now);
  return b > state.refilled_at ? { remaining: refill.amount, refilled_at: b } : state;
}

/** A refill as stored in three columns. */
export function refillOf(amount: number | null, interval: string | null, day: number | null): Refill | null {
  if (amount === null || interval === null) return null;
  return interval === 'monthly' ? { amount, interval, ...(day !== null ? { day_of_month: day } : {}) } : { amount, interval: 'daily' };
}
