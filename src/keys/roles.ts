// Grafana's organization roles, lowest first.
export const ROLES = ['None', 'Viewer', 'Editor', 'Admin'] as const;
export type Role = (typeof ROLES)[number];

export function isRole(s: unknown): s is Role {
  return typeof s === 'string' && (ROLES as readonly string[]).includes(s);
}

export function roleRank(role: Role): number {
  return ROLES.indexOf(role);
}

/** May a caller holding `caller` hand out `requested`? Never above its own. */
export function canGrant(caller: Role, requested: Role): boolean {
  return roleRank(requested) <= roleRank(caller);
}
