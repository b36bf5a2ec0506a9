// Instants are integer milliseconds inside Keymint; on the wire they are RFC 3339 in UTC.

/** `2030-01-31T00:00:00.000Z`; null stays null (a key that never expires). */
export function iso(ms: number): string;
export function iso(ms: number | null): string | null;
export function iso(ms: number | null): string | null {
  return ms === null ? null : new Date(ms).toISOString();
}
