// The rules of rotation that every path shares (manual, scheduled, abandoned): when the next one falls
// due, and what prefix a successor carries. Pure: time is passed in.

export const DAY = 86_400_000;

/** When a key with this policy next rotates, counted from `now`; null when it has no interval. */
export function nextRotationAt(now: number, intervalDays: number | null): number | null {
  return intervalDays === null ? null : now + intervalDays * DAY;
}

/** A successor keeps its predecessor's prefix: `km_live_AbCdEfGh` (the display prefix) gives `km_live`. */
export function successorPrefix(displayPrefix: string): string {
  return displayPrefix.slice(0, displayPrefix.lastIndexOf('_'));
}
