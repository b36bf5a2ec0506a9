// The bounds of the grafana service model (2020-08-18) for the two API-key operations. The AWS SDKs
// check nothing on the client side, so every bound is enforced here and reported field by field.
import type { Role } from '../../keys/roles.js';
import { isStorableText, UNSTORABLE_TEXT } from '../../keys/text.js';
import type { FieldProblem } from './errors.js';

export const WORKSPACE_ID = /^g-[0-9a-f]{10}$/;
export const MAX_KEY_NAME = 100;
export const MAX_SECONDS_TO_LIVE = 2_592_000;

/** AWS key roles and the Grafana roles they are. */
export const ROLE_OF: Record<string, Role> = { ADMIN: 'Admin', EDITOR: 'Editor', VIEWER: 'Viewer' };

export interface CreateInput {
  keyName: string;
  keyRole: string;
  secondsToLive: number;
}

// Numbers as JSON.parse read them: 1e400 is Infinity, which JSON.stringify would show as null.
const show = (v: unknown) => (typeof v === 'number' ? String(v) : typeof v === 'string' && v.length > 40 ? `${JSON.stringify(v.slice(0, 40))}...` : JSON.stringify(v));

export function checkWorkspaceId(workspaceId: string, out: FieldProblem[]): void {
  if (!WORKSPACE_ID.test(workspaceId)) {
    out.push({ name: 'workspaceId', message: `workspaceId ${show(workspaceId)} must match ^g-[0-9a-f]{10}$: use the workspace_id of a Keymint project` });
  }
}

export function checkKeyName(keyName: unknown, out: FieldProblem[]): void {
  if (keyName === undefined || keyName === null) {
    out.push({ name: 'keyName', message: 'keyName is required' });
    return;
  }
  // Lengths count characters (code points), as the service model's length trait does.
  const length = typeof keyName === 'string' ? [...keyName].length : -1;
  if (length < 1 || length > MAX_KEY_NAME) {
    out.push({ name: 'keyName', message: `keyName must be a string of 1 to ${MAX_KEY_NAME} characters${length >= 0 ? ` (it has ${length})` : ''}` });
  } else if (!isStorableText(keyName as string)) {
    // Refused here, with every other bad field, rather than by the key service alone.
    out.push({ name: 'keyName', message: `keyName ${UNSTORABLE_TEXT}` });
  }
}

/** Problems with a CreateWorkspaceApiKey body; an empty list means `body` is a CreateInput. */
export function checkCreateBody(body: Record<string, unknown>, out: FieldProblem[]): body is Record<string, unknown> & CreateInput {
  const before = out.length;
  checkKeyName(body.keyName, out);
  const role = body.keyRole;
  if (role === undefined || role === null) out.push({ name: 'keyRole', message: 'keyRole is required' });
  else if (typeof role !== 'string' || !Object.hasOwn(ROLE_OF, role)) {
    out.push({ name: 'keyRole', message: `keyRole ${show(role)} must be one of ${Object.keys(ROLE_OF).join(', ')}` });
  }
  const ttl = body.secondsToLive;
  if (ttl === undefined || ttl === null) out.push({ name: 'secondsToLive', message: 'secondsToLive is required' });
  else if (typeof ttl !== 'number' || !Number.isInteger(ttl) || ttl < 1 || ttl > MAX_SECONDS_TO_LIVE) {
    out.push({ name: 'secondsToLive', message: `secondsToLive ${show(ttl)} must be a whole number from 1 to ${MAX_SECONDS_TO_LIVE} (30 days)` });
  }
  return out.length === before;
}
