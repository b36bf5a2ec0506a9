// `new Keymint({ baseUrl, token })`: one method per v1 route, typed from the server's OpenAPI document.
import { Http, type HttpOptions, type BodyOf, type OkOf, type Op, type QueryOf } from './http.js';
import type { LocalVerifier, LocalVerifierOptions } from './local/local-verifier.js';

type Body<P extends Parameters<Http['request']>[0], M extends 'post' | 'patch'> = BodyOf<Op<P, M>>;
type Ok<P extends Parameters<Http['request']>[0], M extends 'get' | 'post' | 'patch' | 'delete'> = OkOf<Op<P, M>>;
type Query<P extends Parameters<Http['request']>[0]> = QueryOf<Op<P, 'get'>>;

export type Project = Ok<'/v1/projects/{id}', 'get'>;
export type Environment = Ok<'/v1/projects/{id}/environments', 'post'>;
export type ApiKey = Ok<'/v1/api-keys/{keyID}', 'get'>;
export type CreatedApiKey = Ok<'/v1/api-keys', 'post'>;
export type RotatedApiKey = Ok<'/v1/api-keys/{keyID}/rotate', 'post'>;
export type VerifyResult = Ok<'/v1/keys/verify', 'post'>;
export type AuditEvent = Ok<'/v1/audit-events', 'get'>[number];
export type CreateKeyInput = Body<'/v1/api-keys', 'post'>;
export type UpdateKeyInput = Body<'/v1/api-keys/{keyID}', 'patch'>;
export type ImportKeysInput = Body<'/v1/api-keys/import', 'post'>;

export interface VerifyOptions {
  requiredScopes?: string[];
  environmentId?: string;
  /** The address the key was sent from: a key with an IP allowlist answers IP_NOT_ALLOWED without it. */
  clientIp?: string;
}

export type KeymintOptions = HttpOptions;

export class Keymint {
  /** Every route, typed: `keymint.http.request('/v1/keys/self', 'get')`. */
  readonly http: Http;

  constructor(options: KeymintOptions) {
    this.http = new Http(options);
  }

  readonly projects = {
    create: (input: Body<'/v1/projects', 'post'>) => this.http.request('/v1/projects', 'post', { body: input }),
    list: () => this.http.request('/v1/projects', 'get'),
    get: (id: string) => this.http.request('/v1/projects/{id}', 'get', { params: { id } }),
    delete: (id: string) => this.http.request('/v1/projects/{id}', 'delete', { params: { id } }),
  };

  readonly environments = {
    create: (projectId: string, input: Body<'/v1/projects/{id}/environments', 'post'>) =>
      this.http.request('/v1/projects/{id}/environments', 'post', { params: { id: projectId }, body: input }),
    list: (projectId: string) => this.http.request('/v1/projects/{id}/environments', 'get', { params: { id: projectId } }),
    delete: (projectId: string, envId: string) => this.http.request('/v1/projects/{id}/environments/{envId}', 'delete', { params: { id: projectId, envId } }),
  };

  readonly keys = {
    create: (input: CreateKeyInput) => this.http.request('/v1/api-keys', 'post', { body: input }),
    get: (keyId: string) => this.http.request('/v1/api-keys/{keyID}', 'get', { params: { keyID: keyId } }),
    /** `await` for one page, `for await` for every key. */
    list: (query: Query<'/v1/api-keys'>) => this.http.paged('/v1/api-keys', { query }),
    update: (keyId: string, patch: UpdateKeyInput) => this.http.request('/v1/api-keys/{keyID}', 'patch', { params: { keyID: keyId }, body: patch }),
    rotate: (keyId: string, input: Body<'/v1/api-keys/{keyID}/rotate', 'post'> = {}) =>
      this.http.request('/v1/api-keys/{keyID}/rotate', 'post', { params: { keyID: keyId }, body: input }),
    revoke: (keyId: string) => this.http.request('/v1/api-keys/{keyID}', 'delete', { params: { keyID: keyId } }),
    verify: (key: string, options: VerifyOptions = {}) =>
      this.http.request('/v1/keys/verify', 'post', {
        body: {
          key,
          ...(options.requiredScopes ? { required_scopes: options.requiredScopes } : {}),
          ...(options.environmentId ? { environment_id: options.environmentId } : {}),
          ...(options.clientIp ? { client_ip: options.clientIp } : {}),
        },
      }),
    /** The calling key's own object (the client's token must be a project key). */
    self: () => this.http.request('/v1/keys/self', 'get'),
    usage: (keyId: string, query: Query<'/v1/api-keys/{keyID}/usage'> = {}) =>
      this.http.request('/v1/api-keys/{keyID}/usage', 'get', { params: { keyID: keyId }, query }),
    /** Import keys from another system by SHA-256 digest (idempotent). */
    import: (input: ImportKeysInput) => this.http.request('/v1/api-keys/import', 'post', { body: input }),
    /** Report verifications made in this process (a local verifier does this itself). */
    reportUsage: (input: Body<'/v1/keys/usage', 'post'>) => this.http.request('/v1/keys/usage', 'post', { body: input }),
  };

  readonly deliveries = {
    list: (keyId: string, query: Query<'/v1/api-keys/{keyID}/webhook-deliveries'> = {}) =>
      this.http.paged('/v1/api-keys/{keyID}/webhook-deliveries', { params: { keyID: keyId }, query }),
  };

  readonly audit = {
    list: (query: Query<'/v1/audit-events'> = {}) => this.http.paged('/v1/audit-events', { query }),
  };

  readonly awsCredentials = {
    create: (projectId: string, input: Body<'/v1/projects/{id}/aws-credentials', 'post'> = {}) =>
      this.http.request('/v1/projects/{id}/aws-credentials', 'post', { params: { id: projectId }, body: input }),
    list: (projectId: string, query: Query<'/v1/projects/{id}/aws-credentials'> = {}) =>
      this.http.request('/v1/projects/{id}/aws-credentials', 'get', { params: { id: projectId }, query }),
    revoke: (projectId: string, accessKeyId: string) =>
      this.http.request('/v1/projects/{id}/aws-credentials/{accessKeyId}', 'delete', { params: { id: projectId, accessKeyId } }),
  };

  /** Verify-only credentials (root token only): one may verify, stream its project's keys and report their usage. */
  readonly verifierKeys = {
    create: (input: Body<'/v1/verifier-keys', 'post'>) => this.http.request('/v1/verifier-keys', 'post', { body: input }),
    list: () => this.http.request('/v1/verifier-keys', 'get'),
    delete: (id: string) => this.http.request('/v1/verifier-keys/{id}', 'delete', { params: { id } }),
  };

  /**
   * A verifier that answers in this process from a replica of the project's keys, kept current by
   * GET /v1/keys/stream; resolves once the first snapshot is in. Node only (it digests with node:crypto).
   */
  async localVerifier(options: LocalVerifierOptions): Promise<LocalVerifier> {
    const { LocalVerifier } = await import('./local/local-verifier.js');
    const verifier = new LocalVerifier(this, options);
    await verifier.start();
    return verifier;
  }
}
