// The body of POST /api/auth/keys, read as Grafana's web.Bind reads it: rows 1 to 3 of the create table.
import { isRole, type Role } from '../../keys/roles.js';
import { MAX_NAME_LENGTH } from '../../keys/text.js';
import { BAD_REQUEST_DATA, GrafanaError } from './errors.js';

export interface CreateCommand {
  name: string;
  role: Role;
  /** null when missing or null. */
  secondsToLive: number | null;
}

/** `application/json`, any case, with well-formed parameters (`; charset=utf-8`), as Go's mime.ParseMediaType allows. */
function isJsonMediaType(contentType: string | undefined): boolean {
  if (!contentType) return false;
  const [type, ...params] = contentType.split(';');
  if (type.trim().toLowerCase() !== 'application/json') return false;
  return params.every((p, i) => (i === params.length - 1 && p.trim() === '') || /^\s*[!#$%&'*+.^`|~\w-]+=("[^"]*"|[!#$%&'*+.^`|~\w-]+)\s*$/.test(p));
}

/** Grafana's RoleType: the first letter upper-cased (`admin` is Admin, `ADMIN` is not a role); `""` means Viewer. */
export function titleCasedRole(value: string): Role | null {
  if (value === '') return 'Viewer';
  const titled = value.charAt(0).toUpperCase() + value.slice(1);
  return isRole(titled) ? titled : null;
}

const bad = () => new GrafanaError(400, BAD_REQUEST_DATA);

/**
 * Parses by hand, so the order of checks is Grafana's and types are never coerced: `"10"` or `1.5`
 * for `secondsToLive` is refused. Field names match in any case, later duplicates winning, as Go's
 * encoding/json does. Every refusal here is 400 `bad request data`.
 */
export function parseCreateCommand(contentType: string | undefined, raw: unknown): CreateCommand {
  if (!isJsonMediaType(contentType)) throw bad();
  let body: unknown;
  try {
    body = typeof raw === 'string' && raw.trim() !== '' ? JSON.parse(raw) : {};
  } catch {
    throw bad();
  }
  if (body === null) body = {};
  if (typeof body !== 'object' || Array.isArray(body)) throw bad();

  let name: string | undefined;
  let role: Role | undefined;
  let secondsToLive: number | null = null;
  for (const [key, value] of Object.entries(body as Record<string, unknown>)) {
    if (value === null) continue; // Go leaves the field as it was
    switch (key.toLowerCase()) {
      case 'name':
        if (typeof value !== 'string') throw bad();
        name = value;
        break;
      case 'role': {
        const r = typeof value === 'string' ? titleCasedRole(value) : null;
        if (r === null) throw bad();
        role = r;
        break;
      }
      case 'secondstolive':
        if (typeof value !== 'number' || !Number.isSafeInteger(value)) throw bad();
        secondsToLive = value;
        break;
    }
  }
  if (!name || role === undefined) throw bad();
  if (name.length > MAX_NAME_LENGTH) throw new GrafanaError(400, `name must be at most ${MAX_NAME_LENGTH} characters`);
  return { name, role, secondsToLive };
}
