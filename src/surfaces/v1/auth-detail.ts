// Why a v1 credential was refused, in words that say what to do, and its error code: shared by the admission
// hook and the dashboard sign-in.
import type { CredentialFailure } from '../../auth/admission.js';

export const AUTH_DETAIL: Record<CredentialFailure, string> = {
  missing: 'Send a key: Authorization: Bearer <root key or project key>',
  malformed: 'The credential is not a Keymint key (wrong shape or checksum): check it was copied whole',
  unknown: 'The key is not known',
  expired: 'The key has expired',
  revoked: 'The key has been revoked',
  rotated: 'The key was rotated and its grace period is over: use its successor',
  invalid: 'The credential is not valid',
  ip_not_allowed: "This key has an ip_allowlist, and this request's address is not in it: call from an allowed address, or change the key's ip_allowlist",
  disabled: "The key's identity is disabled: enable the identity (PATCH /v1/identities/{id} {\"is_disabled\": false}) to use its keys again",
};

export const AUTH_CODE: Record<CredentialFailure, string> = {
  missing: 'missing_credential',
  malformed: 'malformed_credential',
  unknown: 'unknown_credential',
  expired: 'expired_credential',
  revoked: 'revoked_credential',
  rotated: 'rotated_credential',
  invalid: 'invalid_credential',
  ip_not_allowed: 'ip_not_allowed',
  disabled: 'identity_disabled',
};
