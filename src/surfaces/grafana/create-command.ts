// The body of POST /api/auth/keys, read as Grafana's web.Bind reads it: rows 1 to 3 of the create table.
import { isRole, type Role } from '../../keys/roles.js';
import { MAX_NAME_LENGTH } from '../../keys/text.js';
import { BAD_REQUEST_DATA, GrafanaError } from './errors.js';
import { jsonFields, optionalInt, optionalString } from './json-body.js';

export interface CreateCommand {
  name: string;
  role: Role;
  /** null when missing or null. */
  secondsToLive: number | null;
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
  const fields = jsonFields(contentType, raw);
  const name = optionalString(fields, 'name');
  const rawRole = fields.get('role');
  const role = rawRole === undefined ? undefined : typeof rawRole === 'string' ? titleCasedRole(rawRole) : null;
  if (role === null) throw bad();
  const secondsToLive = optionalInt(fields, 'secondstolive') ?? null;
  if (!name || role === undefined) throw bad();
  if (name.length > MAX_NAME_LENGTH) throw new GrafanaError(400, `name must be at most ${MAX_NAME_LENGTH} characters`);
  return { name, role, secondsToLive };
}
