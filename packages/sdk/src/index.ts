// @keymint/sdk: the typed client; local verification and the framework middleware come from their own modules.
export { Keymint, type KeymintOptions, type VerifyOptions, type VerifyResult, type ApiKey, type CreatedApiKey, type RotatedApiKey, type Project, type Environment, type AuditEvent, type CreateKeyInput, type UpdateKeyInput, type ImportKeysInput } from './client.js';
export { KeymintError, type ProblemDetails } from './errors.js';
export { Http, Paged, type HttpOptions } from './http.js';
export type { LocalVerifier, LocalVerifierOptions, LocalVerifierStats } from './local/local-verifier.js';
export { authenticate, keyFrom, type KeyVerifier, type KeymintAuthOptions, type AuthOutcome } from './middleware/core.js';
export type { paths } from './generated/openapi.js';
