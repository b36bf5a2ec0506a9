// What a local verifier's replica is made of: each key of a project as its digest and state, never its plaintext.
// The key stream route sends these; the SDK's replica answers verifications from them.
import { sql } from 'kysely';
import { iso } from '../util/instant.js';
import type { Store } from '../store/db.js';

/** How far before a resumed event the stream replays: a PostgreSQL transaction may commit a lower seq late. */
export const RESUME_OVERLAP_MS = 30_000;

/** One key as a replica holds it: everything a verification answers, and whether it must go over HTTP. */
export interface ReplicaKey {
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
  /**
   * Verified over HTTP only: the key has a rate limit or credits (each verification must be counted or spent by the
   * server), an IP allowlist (only the server sees the caller's address), meta (not streamed), or an identity
   * (owner): the stream does not carry an identity's state (disabled, meta, its shared rate limit), so only the
   * server can answer DISABLED and the `identity` of such a key.
   */
  http_only: boolean;
}

const COLUMNS = [
  'num_id', 'digest', 'id', 'environment_id', 'name', 'role', 'scopes', 'expires_at', 'revoked_at', 'replaced_by_key_id', 'grace_expires_at', 'ratelimit_limit', 'owner_id', 'credit_pool_id', 'ip_allowlist', 'meta',
] as const;

type Row = { [K in (typeof COLUMNS)[number]]: unknown } & { num_id: number; digest: string; scopes: string; ratelimit_limit: number | null; owner_id: string | null; credit_pool_id: string | null; ip_allowlist: string | null; meta: string | null };

function replicaKey(r: Row): ReplicaKey {
  return {
    digest: r.digest,
    id: r.id as string,
    environment_id: r.environment_id as string | null,
    name: r.name as string,
    role: r.role as string,
    scopes: JSON.parse(r.scopes) as string[],
    expires_at: iso(r.expires_at as number | null),
    revoked_at: iso(r.revoked_at as number | null),
    replaced_by_key_id: r.replaced_by_key_id as string | null,
    grace_expires_at: iso(r.grace_expires_at as number | null),
    http_only: r.ratelimit_limit !== null || r.owner_id !== null || r.credit_pool_id !== null || r.ip_allowlist !== null || r.meta !== null,
  };
}

/**
 * One key of a snapshot page, positional (a million keys are a lot of field names and ISO dates to write and
 * parse): `[digest, id, environment_id, name, role, scopes (the stored JSON text), expires_at ms, grace_expires_at
 * ms, flags]`, flags `1` revoked, `2` replaced by a rotation, `4` http_only (see ReplicaKey).
 */
export type SnapshotRow = [string, string, string | null, string, string, string, number | null, number | null, number];

export const SNAPSHOT_REVOKED = 1;
export const SNAPSHOT_REPLACED = 2;
export const SNAPSHOT_HTTP_ONLY = 4;

// Decided in SQL, so the page query reads no meta, allowlist or replacement id to the process.
const FLAGS = sql<number>`(case when revoked_at is not null then ${SNAPSHOT_REVOKED} else 0 end) + (case when replaced_by_key_id is not null then ${SNAPSHOT_REPLACED} else 0 end) + (case when ratelimit_limit is not null or owner_id is not null or credit_pool_id is not null or ip_allowlist is not null or meta is not null then ${SNAPSHOT_HTTP_ONLY} else 0 end)`;

/** Every key of the project (revoked ones too, so the replica can say REVOKED), `pageSize` at a time, by a num_id cursor. */
export async function* snapshotPages(store: Store, projectId: string, pageSize = 5000): AsyncGenerator<SnapshotRow[]> {
  let after = 0;
  for (;;) {
    const rows = await store.db
      .selectFrom('api_keys')
      .select(['num_id', 'digest', 'id', 'environment_id', 'name', 'role', 'scopes', 'expires_at', 'grace_expires_at', FLAGS.as('flags')])
      .where('project_id', '=', projectId)
      .where('pending', '=', 0)
      .where('num_id', '>', after)
      .orderBy('num_id')
      .limit(pageSize)
      .execute();
    if (rows.length > 0) {
      yield rows.map((r): SnapshotRow => [r.digest, r.id, r.environment_id, r.name, r.role, r.scopes, r.expires_at as number | null, r.grace_expires_at as number | null, Number(r.flags)]);
    }
    if (rows.length < pageSize) return;
    after = rows[rows.length - 1].num_id;
  }
}

/** The project's keys with these digests, by digest; a digest left out names no key of the project (or a pending one). */
export async function keysByDigest(store: Store, projectId: string, digests: string[]): Promise<Map<string, ReplicaKey>> {
  const out = new Map<string, ReplicaKey>();
  for (let i = 0; i < digests.length; i += 500) {
    const rows = (await store.db
      .selectFrom('api_keys')
      .select(COLUMNS)
      .where('project_id', '=', projectId)
      .where('pending', '=', 0)
      .where('digest', 'in', digests.slice(i, i + 500))
      .execute()) as Row[];
    for (const r of rows) out.set(r.digest, replicaKey(r));
  }
  return out;
}

/** The newest change's seq (0 when there is none): a snapshot read after it holds everything up to it. */
export async function latestSeq(store: Store): Promise<number> {
  const row = await store.db.selectFrom('changes').select((eb) => eb.fn.max('seq').as('seq')).executeTakeFirst();
  return Number(row?.seq ?? 0);
}

/**
 * The changes a stream resumed after `seq` must replay, oldest first, or null when `seq` is no longer kept (the
 * client then gets a fresh snapshot). Replaying a change twice is harmless: each event carries the key's whole state.
 */
export async function changesAfter(store: Store, seq: number): Promise<{ seq: number; kind: string; ref: string }[] | null> {
  const at = await store.db.selectFrom('changes').select('at').where('seq', '=', seq).executeTakeFirst();
  if (!at) return null;
  return store.db
    .selectFrom('changes')
    .select(['seq', 'kind', 'ref'])
    .where((eb) => eb.or([eb('seq', '>', seq), eb('at', '>=', Number(at.at) - RESUME_OVERLAP_MS)]))
    .orderBy('seq')
    .execute();
}
