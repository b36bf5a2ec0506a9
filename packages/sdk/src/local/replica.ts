// The project's keys by digest, as the key stream describes them: the state a local verification reads.
// Kept small (1,000,000 keys in well under 200 MB): shared strings for the values many keys have in common.

/** One key of the stream (GET /v1/keys/stream), as sent. */
export interface StreamedKey {
  digest: string;
  id: string;
  environment_id: string | null;
  name: string;
  role: string;
  scopes: string[];
  expires_at: string | null;
  revoked_at: string | null;
  replaced_by_key_id: string | null;
  grace_expires_at: string | null;
  http_only: boolean;
}

export class ReplicaKey {
  /** The VALID answer, built once (the identity fields never change for this entry). */
  valid: unknown = null;
  /** Verifications counted this minute, by outcome (see usage-batch.ts). */
  uses: Uint32Array | null = null;
  dirty = false;
  constructor(
    readonly id: string,
    readonly environmentId: string | null,
    readonly name: string,
    readonly role: string,
    readonly scopes: readonly string[],
    readonly expiresAt: number | null,
    readonly graceExpiresAt: number | null,
    readonly revoked: boolean,
    readonly replaced: boolean,
    readonly httpOnly: boolean,
  ) {}
}

const ms = (s: string | null) => (s === null ? null : Date.parse(s));

export class Replica {
  keys = new Map<string, ReplicaKey>();
  /** While a snapshot comes in: it replaces `keys` when complete. */
  private next: Map<string, ReplicaKey> | null = null;
  private readonly strings = new Map<string, string>();
  private readonly scopeLists = new Map<string, readonly string[]>();

  get size(): number {
    return this.keys.size;
  }

  beginSnapshot(): void {
    this.next = new Map();
  }

  /** The snapshot is complete (a `ready` event). */
  endSnapshot(): void {
    if (this.next !== null) this.keys = this.next;
    this.next = null;
  }

  put(k: StreamedKey): void {
    const entry = new ReplicaKey(
      k.id,
      k.environment_id === null ? null : this.shared(k.environment_id),
      k.name,
      this.shared(k.role),
      this.sharedScopes(k.scopes),
      ms(k.expires_at),
      ms(k.grace_expires_at),
      k.revoked_at !== null,
      k.replaced_by_key_id !== null,
      k.http_only,
    );
    (this.next ?? this.keys).set(k.digest, entry);
  }

  get(digest: string): ReplicaKey | undefined {
    return this.keys.get(digest);
  }

  private shared(s: string): string {
    const have = this.strings.get(s);
    if (have !== undefined) return have;
    if (this.strings.size >= 10_000) this.strings.clear();
    this.strings.set(s, s);
    return s;
  }

  private sharedScopes(list: string[]): readonly string[] {
    const id = JSON.stringify(list);
    let have = this.scopeLists.get(id);
    if (have === undefined) {
      if (this.scopeLists.size >= 10_000) this.scopeLists.clear();
      have = Object.freeze(list.map((s) => this.shared(s)));
      this.scopeLists.set(id, have);
    }
    return have;
  }
}
