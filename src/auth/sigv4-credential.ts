// An AWS SigV4 signature as a credential kind of the admission sequence (the AWS surface). A pair that verified
// recently is remembered with its secret sealed, as the store keeps it, so a locked address can still sign with
// it: its signature is checked in memory first, and only a good one goes on to the store (a pair revoked meanwhile
// fails there); any other signature from a locked address is refused before the store is asked.
import type { Clock } from '../util/clock.js';
import type { Sealer } from '../crypto/seal.js';
import type { AwsSecret } from '../service/aws-credentials.js';
import type { AdmissionRequest, CredentialKind, CredentialOutcome } from './admission.js';
import { verifySigV4, type SigV4Result, type WireRequest } from './sigv4.js';

type Lookup = (accessKeyId: string) => Promise<AwsSecret | null>;

const MAX_REMEMBERED = 10_000;
const REMEMBER_MS = 3_600_000;

function wireOf(request: AdmissionRequest): WireRequest {
  const url = request.raw.url ?? '/';
  const q = url.indexOf('?');
  return {
    method: request.method,
    path: q < 0 ? url : url.slice(0, q),
    query: q < 0 ? '' : url.slice(q + 1),
    headers: request.headers,
    body: Buffer.isBuffer(request.body) ? request.body : undefined,
  };
}

export class SigV4Credential implements CredentialKind<WireRequest> {
  /** access key id -> its secret sealed, its project, remembered until. */
  private readonly recent = new Map<string, { sealed: string; projectId: string | null; until: number }>();

  constructor(
    private readonly signingName: string,
    private readonly lookup: Lookup,
    private readonly sealer: Sealer,
    private readonly clock: Clock,
    /** The operator's pair from the environment: always in memory. */
    private readonly fixed: { accessKeyId: string; secretAccessKey: string } | null = null,
  ) {}

  /** Always a request to check: an unsigned one is refused as `missing` with SigV4's own words. */
  read(request: AdmissionRequest): WireRequest {
    return wireOf(request);
  }

  async check(wire: WireRequest): Promise<CredentialOutcome> {
    let found: AwsSecret | null = null;
    const result = await verifySigV4(wire, this.signingName, this.clock.now(), async (id) => (found = await this.lookup(id)));
    if (result.ok && found) this.remember(result.accessKeyId, found);
    return this.outcome(result);
  }

  async recall(wire: WireRequest): Promise<CredentialOutcome | null> {
    const inMemory = await verifySigV4(wire, this.signingName, this.clock.now(), async (id) => this.remembered(id));
    if (!inMemory.ok) return null;
    return this.check(wire);
  }

  private outcome(result: SigV4Result): CredentialOutcome {
    if (result.ok) return { ok: true, principal: { kind: 'aws', id: result.accessKeyId, projectId: result.projectId } };
    return { ok: false, failure: result.failure, message: result.message };
  }

  private remember(accessKeyId: string, secret: AwsSecret): void {
    const had = this.recent.get(accessKeyId);
    const now = this.clock.now();
    if (had && had.until - now > REMEMBER_MS / 2) return;
    this.recent.delete(accessKeyId);
    this.recent.set(accessKeyId, { sealed: this.sealer.seal(secret.secretAccessKey), projectId: secret.projectId, until: now + REMEMBER_MS });
    if (this.recent.size > MAX_REMEMBERED) this.recent.delete(this.recent.keys().next().value!);
  }

  private remembered(accessKeyId: string): AwsSecret | null {
    if (this.fixed && accessKeyId === this.fixed.accessKeyId) return { secretAccessKey: this.fixed.secretAccessKey, projectId: null };
    const r = this.recent.get(accessKeyId);
    if (!r || r.until <= this.clock.now()) return null;
    return { secretAccessKey: this.sealer.open(r.sealed), projectId: r.projectId };
  }
}
