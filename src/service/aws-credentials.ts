// AWS access key pairs for the SigV4 surface: the operator's root pair (from the environment) and
// per-project pairs, whose secrets are sealed at rest and shown once, when issued.
import { randomBytes } from 'node:crypto';
import type { Selectable } from 'kysely';
import type { Actor } from '../auth/principal.js';
import type { Clock } from '../util/clock.js';
import type { Keymint } from '../keymint.js';
import type { Sealer } from '../crypto/seal.js';
import { randomBase62 } from '../keys/base62.js';
import type { Store } from '../store/db.js';
import { writeAudit } from '../store/journal.js';
import { lockLiveProject } from '../store/parents.js';
import type { AwsCredentialsTable } from '../store/schema.js';
import { notFound, requireStorableText } from './errors.js';
import type { ProjectService } from './projects.js';

export type AwsCredentialRow = Selectable<AwsCredentialsTable>;

/** What signs a request: the secret, and the one project it may touch (null: every project). */
export interface AwsSecret {
  secretAccessKey: string;
  projectId: string | null;
}

export interface AwsKeyPair {
  accessKeyId: string;
  secretAccessKey: string;
}

// Shaped like AWS's (20 upper-case characters, 40-character secret) so tools that check the shape accept them.
const newAccessKeyId = () => `KMAK${randomBytes(8).toString('hex').toUpperCase()}`;
/** 40 base62 characters carry 238 bits. */
const newSecret = () => randomBase62(40);

export class AwsCredentialService {
  constructor(
    private readonly store: Store,
    private readonly clock: Clock,
    private readonly sealer: Sealer,
    private readonly projects: ProjectService,
    private readonly rootPair: AwsKeyPair | null,
  ) {}

  private get db() {
    return this.store.db;
  }

  /** A new pair for the project; the secret is in the return value only. */
  async issue(projectId: string, description: string | null, actor: Actor): Promise<{ row: AwsCredentialRow; secretAccessKey: string }> {
    if (description !== null) requireStorableText('body.description', description);
    await this.projects.get(projectId);
    const secretAccessKey = newSecret();
    const now = this.clock.now();
    const row = await this.db.transaction().execute(async (trx) => {
      // A pair is never issued into a project deleted meanwhile (see store/parents.ts).
      if (!(await lockLiveProject(trx, projectId))) throw notFound(`project ${projectId}`);
      const row = await trx
        .insertInto('aws_credentials')
        .values({ access_key_id: newAccessKeyId(), project_id: projectId, description, secret_enc: this.sealer.seal(secretAccessKey), created_at: now, revoked_at: null })
        .returningAll()
        .executeTakeFirstOrThrow();
      await writeAudit(trx, actor, now, { action: 'aws_credential.created', target: { type: 'aws_credential', id: row.access_key_id }, projectId });
      return row;
    });
    return { row, secretAccessKey };
  }

  /** Oldest first; revoked pairs only when asked. */
  async list(projectId: string, includeRevoked: boolean): Promise<AwsCredentialRow[]> {
    await this.projects.get(projectId);
    let q = this.db.selectFrom('aws_credentials').selectAll().where('project_id', '=', projectId);
    if (!includeRevoked) q = q.where('revoked_at', 'is', null);
    return q.orderBy('created_at').orderBy('access_key_id').execute();
  }

  /** Stops the pair at once on every node (each request looks the pair up); revoking again still succeeds. */
  async revoke(projectId: string, accessKeyId: string, actor: Actor): Promise<AwsCredentialRow> {
    await this.projects.get(projectId);
    const now = this.clock.now();
    return this.db.transaction().execute(async (trx) => {
      const current = await trx.selectFrom('aws_credentials').selectAll().where('access_key_id', '=', accessKeyId).where('project_id', '=', projectId).executeTakeFirst();
      if (!current) throw notFound(`AWS access key ${accessKeyId} in project ${projectId}`);
      if (current.revoked_at !== null) return current;
      const row = await trx.updateTable('aws_credentials').set({ revoked_at: now }).where('access_key_id', '=', accessKeyId).returningAll().executeTakeFirstOrThrow();
      await writeAudit(trx, actor, now, { action: 'aws_credential.revoked', target: { type: 'aws_credential', id: accessKeyId }, projectId });
      return row;
    });
  }

  /** The secret of a live pair, for verifying a signature; null when the access key id is not known. */
  async lookup(accessKeyId: string): Promise<AwsSecret | null> {
    if (this.rootPair && accessKeyId === this.rootPair.accessKeyId) return { secretAccessKey: this.rootPair.secretAccessKey, projectId: null };
    // A deleted project's pairs stop with it, as its keys do.
    const row = await this.db
      .selectFrom('aws_credentials')
      .innerJoin('projects', 'projects.id', 'aws_credentials.project_id')
      .select(['aws_credentials.project_id', 'aws_credentials.secret_enc'])
      .where('aws_credentials.access_key_id', '=', accessKeyId)
      .where('aws_credentials.revoked_at', 'is', null)
      .where('projects.deleted_at', 'is', null)
      .executeTakeFirst();
    return row ? { secretAccessKey: this.sealer.open(row.secret_enc), projectId: row.project_id } : null;
  }
}

/** The service for a node, with the root pair from its config. */
export function awsCredentialsOf(km: Keymint): AwsCredentialService {
  const { awsAccessKeyId, awsSecretAccessKey } = km.config;
  return new AwsCredentialService(km.store, km.clock, km.sealer, km.projects, awsAccessKeyId && awsSecretAccessKey ? { accessKeyId: awsAccessKeyId, secretAccessKey: awsSecretAccessKey } : null);
}
