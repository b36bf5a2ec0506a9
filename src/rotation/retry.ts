// When a failed webhook is tried again. Pure: attempt number and a random draw in, a delay out.

const SECOND = 1000;
const MINUTE = 60 * SECOND;
const HOUR = 60 * MINUTE;

/** Delay before retry n (after attempt n failed): 5 s, 5 min, 30 min, 2 h, 5 h, 10 h, 10 h. */
export const RETRY_DELAYS_MS = [5 * SECOND, 5 * MINUTE, 30 * MINUTE, 2 * HOUR, 5 * HOUR, 10 * HOUR, 10 * HOUR] as const;

/** The first attempt plus one per retry delay. */
export const MAX_ATTEMPTS = RETRY_DELAYS_MS.length + 1;

/** Each delay is stretched or shrunk by up to this share, so receivers that failed together are not hit together again. */
export const JITTER = 0.1;

/** Milliseconds to wait after failed attempt `attempt` (1-based), or null when it was the last. */
export function retryDelay(attempt: number, random: number = Math.random()): number | null {
  if (attempt < 1 || attempt >= MAX_ATTEMPTS) return null;
  const base = RETRY_DELAYS_MS[attempt - 1];
  return Math.round(base * (1 - JITTER + 2 * JITTER * random));
}
