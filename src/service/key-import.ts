// Importing keys from another system by their SHA-256 digests: the keys its users hold keep verifying here.
// Idempotent (a digest already in the project is reported, not added twice), all-or-nothing per request.
import type { Actor, Principal } from '../auth/principal.js';
import type { Clock } from '../util/clock.js';
import { newKeyId } from '../keys/ids.js';
import type { Role } from '../keys/roles.js';
import type { Store } from '../store/db.js';
import { type ChangeSink, isUniqueViolation, writeAudit, writeChange } from '../store/journal.js';
import type { KeyService } from './api-keys.js';
import { conflict, invalid, requireName } from './errors.js';
import type { ProjectService } from './projects.js';

export const MAX_IMPORT_BATCH = 1000;
/** A SHA-256 digest as Keymint stores it: 64 lowercase hex characters. */
export const DIGEST_PATTERN = '^[0-9a-fA-F]{64}$';
/** Shown in listings where a minted key shows its first characters. */
export const IMPORTED_PREFIX = 'imported';

export interface ImportedKeyInput {
  digest: string;
  name: string;
  scopes?: string[];
  role?: Role;
  expires_at?: number | null;
  key_prefix?: string;
}

export interface ImportOutcome {
  digest: string;
  id: string;
  status: 'created' | 'existing';
}

export class KeyImport {
  /** Told when this node imported keys (the verifier then looks up keys that do not have Keymint's checksum). */
  onImported: (() => void) | null = null;

  constructor(
    private readonly store: Store,
    private readonly clock: Clock,
    private readonly feed: ChangeSink,
    private readonly keys: KeyService,
    private readonly projects: ProjectService,
  ) {}

  async import(principal: Principal, projectId: string, environmentId: string | null, input: ImportedKeyInput[], actor: Actor): Promise<ImportOutcome[]> {
    if (input.length > MAX_IMPORT_BATCH) throw invalid('body.keys', `send at most ${MAX_IMPORT_BATCH} keys per request (this one has ${input.length})`);
    for (const [i, k] of input.entries()) {
      this.keys.requireGrant(principal, projectId, k.role ?? 'None');
      requireName(`body.keys.${i}.name`, k.name);
    }
    await this.projects.get(projectId);
    if (environmentId !== null && !(await this.projects.findEnvironment(projectId, environmentId))) {
      throw invalid('body.environment_id', `environment ${environmentId} does not exist in project ${projectId}`);
    }
    const now = this.clock.now();
    const items = input.map((k) => ({ ...k, digest: k.digest.toLowerCase() }));
    const seen = new Set<string>();
    for (const [i, k] of items.entries()) {
      if (seen.has(k.digest)) throw invalid(`body.keys.${i}.digest`, `digest ${k.digest} appears twice in this request`);
      seen.add(k.digest);
      if (k.expires_at != null && k.expires_at <= now) throw invalid(`body.keys.${i}.expires_at`, 'expires_at must be in the future');
    }
    try {
      const outcomes = await this.store.db.transaction().execute(async (trx) => {
        const existing = new Map<string, { id: string; project_id: string }>();
        for (let i = 0; i < items.length; i += 500) {
          const rows = await trx.selectFrom('api_keys').select(['digest', 'id', 'project_id']).where('digest', 'in', items.slice(i, i + 500).map((k) => k.digest)).execute();
          for (const r of rows) existing.set(r.digest, r);
        }
        const out: ImportOutcome[] = [];
        const created: string[] = [];
        for (const [i, k] of items.entries()) {
          const have = existing.get(k.digest);
          if (have) {
            if (have.project_id !== projectId) throw conflict(`body.keys.${i}: a key with digest ${k.digest} already belongs to another project`);
            out.push({ digest: k.digest, id: have.id, status: 'existing' });
            continue;
          }
          const id = newKeyId();
          await trx
            .insertInto('api_keys')
            .values({
              id,
              project_id: projectId,
              environment_id: environmentId,
              name: k.name,
              key_prefix: k.key_prefix ?? IMPORTED_PREFIX,
              digest: k.digest,
              role: k.role ?? 'None',
              scopes: JSON.stringify(k.scopes ?? []),
              expires_at: k.expires_at ?? null,
              created_at: now,
              revoked_at: null,
              replaced_by_key_id: null,
              grace_expires_at: null,
              rotation_interval_days: null,
              next_rotation_at: null,
              rotation_webhook_url: null,
              rotation_grace_minutes: null,
              webhook_secret_enc: null,
              ratelimit_limit: null,
              ratelimit_duration_ms: null,
            })
            .execute();
          await writeAudit(trx, actor, now, { action: 'api_key.imported', target: { type: 'api_key', id }, projectId });
          created.push(k.digest);
          out.push({ digest: k.digest, id, status: 'created' });
        }
        await writeChange(trx, now, 'key', created);
        await writeChange(trx, now, 'import', created.length ? [projectId] : []);
        return out;
      });
      await this.feed.catchUp();
      if (outcomes.some((o) => o.status === 'created')) this.onImported?.();
      return outcomes;
    } catch (e) {
      if (isUniqueViolation(e)) throw conflict('a live key of the project already has one of these names (or another import raced this one): rename, or send the request again');
      throw e;
    }
  }
}
