// A Grafana request body read as Go's encoding/json reads it into a struct: field names in any case (the last
// duplicate wins), null leaves a field unset, and a value of the wrong JSON type is refused, never coerced.
import { BAD_REQUEST_DATA, GrafanaError } from './errors.js';

/** `application/json`, any case, with well-formed parameters (`; charset=utf-8`), as Go's mime.ParseMediaType allows. */
export function isJsonMediaType(contentType: string | undefined): boolean {
  if (!contentType) return false;
  const [type, ...params] = contentType.split(';');
  if (type.trim().toLowerCase() !== 'application/json') return false;
  return params.every((p, i) => (i === params.length - 1 && p.trim() === '') || /^\s*[!#$%&'*+.^`|~\w-]+=("[^"]*"|[!#$%&'*+.^`|~\w-]+)\s*$/.test(p));
}

const bad = () => new GrafanaError(400, BAD_REQUEST_DATA);

/** The body's fields by lower-cased name (nulls left out); `{}` for an empty body. Refuses what Grafana's bind refuses. */
export function jsonFields(contentType: string | undefined, raw: unknown): Map<string, unknown> {
  if (!isJsonMediaType(contentType)) throw bad();
  let body: unknown;
  try {
    body = typeof raw === 'string' && raw.trim() !== '' ? JSON.parse(raw) : {};
  } catch {
    throw bad();
  }
  if (body === null) body = {};
  if (typeof body !== 'object' || Array.isArray(body)) throw bad();
  const out = new Map<string, unknown>();
  for (const [k, v] of Object.entries(body as Record<string, unknown>)) if (v !== null) out.set(k.toLowerCase(), v);
  return out;
}

export function optionalString(fields: Map<string, unknown>, name: string): string | undefined {
  const v = fields.get(name);
  if (v === undefined) return undefined;
  if (typeof v !== 'string') throw bad();
  return v;
}

export function optionalBool(fields: Map<string, unknown>, name: string): boolean | undefined {
  const v = fields.get(name);
  if (v === undefined) return undefined;
  if (typeof v !== 'boolean') throw bad();
  return v;
}

/** A Go int64: a whole JSON number (`"10"` and `1.5` are refused). */
export function optionalInt(fields: Map<string, unknown>, name: string): number | undefined {
  const v = fields.get(name);
  if (v === undefined) return undefined;
  if (typeof v !== 'number' || !Number.isSafeInteger(v)) throw bad();
  return v;
}

/** A path id as Go's strconv.ParseInt(s, 10, 64) reads it: null when it is not one, 0 when no row can have it. */
export function parseInt64(raw: string): number | null {
  if (!/^[+-]?\d{1,19}$/.test(raw)) return null;
  const n = BigInt(raw);
  if (n < -(2n ** 63n) || n >= 2n ** 63n) return null;
  return n > BigInt(Number.MAX_SAFE_INTEGER) || n < 1n ? 0 : Number(n);
}
