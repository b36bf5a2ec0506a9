// The `meta` rule shared by keys and identities: a JSON object of at most 16 KiB, as the customer sent it.

export const MAX_META_BYTES = 16 * 1024;

/** null when `value` is a fine meta object, else what to change. */
export function checkMeta(value: unknown): string | null {
  if (value === null || typeof value !== 'object' || Array.isArray(value)) return 'meta must be a JSON object, for example {"plan":"pro"}';
  const bytes = Buffer.byteLength(JSON.stringify(value), 'utf8');
  if (bytes > MAX_META_BYTES) return `meta must be at most ${MAX_META_BYTES} bytes of JSON (it has ${bytes})`;
  return null;
}
