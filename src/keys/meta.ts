// The `meta` rule shared by keys and identities: a JSON object of at most 16 KiB, as the customer sent it.
// Pure: every place that stores meta uses it, so the limit and its wording are the same everywhere.

/** The largest meta, in bytes of its compact JSON (UTF-8). */
export const MAX_META_BYTES = 16 * 1024;

/** null when `value` is a JSON object of at most MAX_META_BYTES; otherwise what to change. */
export function checkMeta(value: unknown): string | null {
  if (typeof value !== 'object' || value === null || Array.isArray(value)) {
    return 'meta must be a JSON object, for example {"plan": "pro"} (null clears it)';
  }
  let json: string;
  try {
    json = JSON.stringify(value);
  } catch {
    return 'meta must be plain JSON';
  }
  const bytes = Buffer.byteLength(json, 'utf8');
  if (bytes > MAX_META_BYTES) return `meta is ${bytes} bytes as JSON; it may be at most ${MAX_META_BYTES} bytes (16 KiB)`;
  return null;
}
