// The outcomes of a verification, in one place of their own: the verifier answers them, usage counts them and
// metrics label them (usage.ts must not import the verifier, which imports it).
export const VERIFY_CODES = [
  'VALID', 'MALFORMED', 'NOT_FOUND', 'EXPIRED', 'REVOKED', 'ROTATED', 'DISABLED', 'RATE_LIMITED', 'INSUFFICIENT_SCOPES', 'USAGE_EXCEEDED',
  'IP_NOT_ALLOWED',
] as const;
export type VerifyCode = (typeof VERIFY_CODES)[number];
