import type { Role } from '../keys/roles.js';

/** Who is calling, whichever surface and credential they came through. */
export type Principal =
  | { kind: 'root'; id: string }
  | { kind: 'api_key'; id: string; numId: number; projectId: string; role: Role }
  /** An AWS access key pair: projectId null means every workspace. */
  | { kind: 'aws'; id: string; projectId: string | null }
  /** A verifier key: POST /v1/keys/verify, and the key stream and usage report a local verifier needs; for one project (or every project when null). */
  | { kind: 'verifier'; id: string; projectId: string | null };

/** Who did it and from where, for the audit log. */
export interface Actor {
  principal: Principal | { kind: 'system'; id: string };
  ip: string | null;
}

export const SYSTEM: Actor = { principal: { kind: 'system', id: 'keymint' }, ip: null };

/** The role a principal acts with inside a project it may touch. */
export function roleIn(principal: Principal, projectId: string): Role | null {
  if (principal.kind === 'root') return 'Admin';
  if (principal.kind === 'verifier') return null;
  if (principal.kind === 'aws') return principal.projectId === null || principal.projectId === projectId ? 'Admin' : null;
  return principal.projectId === projectId ? principal.role : null;
}
