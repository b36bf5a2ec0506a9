// The life of a key at an instant. Pure: `now` is passed in, never read.

export type KeyStatus = 'active' | 'grace' | 'rotated' | 'expired' | 'revoked';

export interface KeyLifeFields {
  revoked_at: number | null;
  expires_at: number | null;
  replaced_by_key_id: string | null;
  grace_expires_at: number | null;
}

export function keyStatus(key: KeyLifeFields, now: number): KeyStatus {
  if (key.revoked_at !== null) return 'revoked';
  if (key.replaced_by_key_id !== null && (key.grace_expires_at === null || now >= key.grace_expires_at)) return 'rotated';
  if (key.expires_at !== null && key.expires_at <= now) return 'expired';
  if (key.replaced_by_key_id !== null) return 'grace';
  return 'active';
}

export function verifies(status: KeyStatus): boolean {
  return status === 'active' || status === 'grace';
}

/** Required scopes the key lacks. */
export function missingScopes(held: readonly string[], required: readonly string[]): string[] {
  return required.filter((s) => !held.includes(s));
}
