// Why a v1 credential was refused, in words that say what to do: shared by the request hook and the dashboard sign-in.
export const AUTH_DETAIL = {
  missing: 'Send a key: Authorization: Bearer <root key or project key>',
  malformed: 'The credential is not a Keymint key (wrong shape or checksum): check it was copied whole',
  unknown: 'The key is not known',
  expired: 'The key has expired',
  revoked: 'The key has been revoked',
  rotated: 'The key was rotated and its grace period is over: use its successor',
} as const;
