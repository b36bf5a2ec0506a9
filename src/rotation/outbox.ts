// The rotation outbox in the database: which webhooks are owed, who is delivering each (a lease),
// every attempt, and the transactions that commit or abandon a scheduled rotation.
import type { Selectable, Transaction } from 'kysely';
import { SYSTEM } from '../auth/principal.js';
import type { Sealer } from '../crypto/seal.js';
import { randomBase62 } from '../keys/base62.js';
import { newKeyId } from '../keys/ids.js';
import { mintKey } from '../keys/material.js';
import { successorPrefix } from '../keys/rotation.js';
import * as keyRows from '../store/api-keys.js';
import type { KeyRow } from '../store/api-keys.js';
import type { Store } from '../store/db.js';
import { type ChangeSink, writeAudit, writeChange } from '../store/journal.js';
import { lockLiveProject } from '../store/parents.js';
import type { Database, RotationOutboxTable, WebhookDeliveriesTable } from '../store/schema.js';

export type OutboxRow = Selectable<RotationOutboxTable>;
export type DeliveryRow = Selectable<WebhookDeliveriesTable>;

/** Standard Webhooks message ids start with `msg_`. */
export const newWebhookId = () => `msg_${randomBase62(24)}`;

/** What one attempt came to, as recorded in `webhook_deliveries`. */
export interface AttemptRecord {
  at: number;
  statusCode: number | null;
  error: string | null;
  durationMs: number;
}

export type DeliveryOutcome = 'delivered' | 'retrying' | 'abandoned' | 'cancelled';

/** The rotation a delivery would commit was taken by another node or is no longer pending: nothing was written. */
export class LeaseLost extends Error {}

export class RotationOutbox {
  /** Told of every recorded attempt (the metrics counter). */
  onOutcome: ((outcome: DeliveryOutcome) => void) | null = null;

  constructor(
    private readonly store: Store,
    private readonly sealer: Sealer,
    private readonly feed: ChangeSink,
  ) {}

  private get db() {
    return this.store.db;
  }

  /** Keys whose scheduled rotation is due and not already under way. */
  dueKeys(now: number, limit: number): Promise<{ id: string; next_rotation_at: number }[]> {
    return keyRows.listDue(this.db, now, limit);
  }

  /**
   * Claims one due key and mints its pending successor in one transaction. The claim clears
   * `next_rotation_at` only if it still holds the value we read, so of several nodes one wins.
   */
  async mintPending(keyId: string, dueAt: number, now: number): Promise<OutboxRow | null> {
    return this.db.transaction().execute(async (trx) => {
      // The project's lock first (as every key write takes it, so none waits on another in the reverse order):
      // a successor is never minted into a project deleted meanwhile.
      const key = await keyRows.findById(trx, keyId);
      if (!key || !(await lockLiveProject(trx, key.project_id))) return null;
      const old = await keyRows.claimDue(trx, keyId, dueAt);
      if (!old) return null;
      const minted = mintKey(successorPrefix(old.key_prefix));
      const next = await keyRows.insertSuccessor(trx, old, { id: newKeyId(), ...minted }, now, 1);
      return trx
        .insertInto('rotation_outbox')
        .values({
          id: newWebhookId(),
          kind: 'scheduled',
          project_id: old.project_id,
          old_key_id: old.id,
          new_key_id: next.id,
          successor_enc: this.sealer.seal(minted.plaintext),
          status: 'pending',
          next_attempt_at: now,
          lease_owner: null,
          lease_until: null,
          rotated_at: null,
          grace_expires_at: null,
          created_at: now,
          finished_at: null,
        })
        .returningAll()
        .executeTakeFirstOrThrow();
    });
  }

  /**
   * The key was revoked or rotated by hand: its pending scheduled rotation is due now, so the next pass
   * cancels it (destroying the successor and erasing its plaintext) instead of at its next retry, hours away.
   */
  async expedite(trx: Transaction<Database>, oldKeyId: string, now: number): Promise<void> {
    await trx
      .updateTable('rotation_outbox')
      .set({ next_attempt_at: now })
      .where('old_key_id', '=', oldKeyId)
      .where('kind', '=', 'scheduled')
      .where('status', '=', 'pending')
      .where('next_attempt_at', '>', now)
      .execute();
  }

  /** The project was deleted: each of its pending deliveries is due now, so the next pass cancels it and erases its plaintext. */
  async expediteProject(trx: Transaction<Database>, projectId: string, now: number): Promise<void> {
    await trx.updateTable('rotation_outbox').set({ next_attempt_at: now }).where('project_id', '=', projectId).where('status', '=', 'pending').where('next_attempt_at', '>', now).execute();
  }

  /** A manual rotation already committed: owe its webhook, in the rotation's own transaction. */
  async enqueueManual(trx: Transaction<Database>, old: KeyRow, next: KeyRow, plaintext: string, now: number): Promise<void> {
    if (old.rotation_webhook_url === null || old.webhook_secret_enc === null) return;
    await trx
      .insertInto('rotation_outbox')
      .values({
        id: newWebhookId(),
        kind: 'manual',
        project_id: old.project_id,
        old_key_id: old.id,
        new_key_id: next.id,
        successor_enc: this.sealer.seal(plaintext),
        status: 'pending',
        next_attempt_at: now,
        lease_owner: null,
        lease_until: null,
        rotated_at: now,
        grace_expires_at: old.grace_expires_at,
        created_at: now,
        finished_at: null,
      })
      .execute();
  }

  /** Leases up to `limit` deliveries that are due and not held by a live lease elsewhere. */
  async claimDeliveries(now: number, owner: string, leaseMs: number, limit: number): Promise<OutboxRow[]> {
    const due = await this.db
      .selectFrom('rotation_outbox')
      .select('id')
      .where('status', '=', 'pending')
      .where('next_attempt_at', '<=', now)
      .where((eb) => eb.or([eb('lease_until', 'is', null), eb('lease_until', '<', now)]))
      .orderBy('next_attempt_at')
      .limit(limit)
      .execute();
    const claimed: OutboxRow[] = [];
    for (const { id } of due) {
      // The condition is checked again under the row lock: a node that lost the race updates nothing.
      const row = await this.db
        .updateTable('rotation_outbox')
        .set({ lease_owner: owner, lease_until: now + leaseMs })
        .where('id', '=', id)
        .where('status', '=', 'pending')
        .where((eb) => eb.or([eb('lease_until', 'is', null), eb('lease_until', '<', now)]))
        .returningAll()
        .executeTakeFirst();
      if (row) claimed.push(row);
    }
    return claimed;
  }

  openSuccessor(row: OutboxRow): string {
    if (row.successor_enc === null) throw new Error(`outbox ${row.id} holds no successor`);
    return this.sealer.open(row.successor_enc);
  }

  openSecret(key: KeyRow): string {
    return this.sealer.open(key.webhook_secret_enc!);
  }

  /** Marks the outbox row finished if this node still holds it; otherwise the whole transaction is void. */
  private async finish(trx: Transaction<Database>, row: OutboxRow, owner: string, status: string, a: AttemptRecord, extra: Partial<OutboxRow> = {}): Promise<void> {
    const done = await trx
      .updateTable('rotation_outbox')
      .set({ status, successor_enc: null, attempts: row.attempts + 1, next_attempt_at: null, lease_owner: null, lease_until: null, finished_at: a.at, ...extra })
      .where('id', '=', row.id)
      .where('status', '=', 'pending')
      .where('lease_owner', '=', owner)
      .executeTakeFirst();
    if (Number(done.numUpdatedRows) !== 1) throw new LeaseLost(`outbox ${row.id} is no longer held by ${owner}`);
  }

  private async recordAttempt(trx: Transaction<Database> | Store['db'], row: OutboxRow, a: AttemptRecord, outcome: DeliveryOutcome, nextAttemptAt: number | null = null): Promise<void> {
    await trx
      .insertInto('webhook_deliveries')
      .values({
        outbox_id: row.id,
        old_key_id: row.old_key_id,
        new_key_id: row.new_key_id,
        attempt: row.attempts + 1,
        at: a.at,
        status_code: a.statusCode,
        outcome,
        error: a.error,
        duration_ms: a.durationMs,
        next_attempt_at: nextAttemptAt,
      })
      .execute();
    this.onOutcome?.(outcome);
  }

  /**
   * A 2xx for a scheduled rotation: the successor becomes active, the old key enters its grace,
   * the policy moves one interval on; audit and change feed in the same transaction.
   * Answers false (and writes nothing) when the old key was revoked or rotated meanwhile.
   */
  async commitScheduled(row: OutboxRow, owner: string, a: AttemptRecord, graceExpiresAt: number): Promise<boolean> {
    const committed = await this.db.transaction().execute(async (trx) => {
      // A successor becomes live only in a live project (locked against its delete until this commits).
      if (!(await lockLiveProject(trx, row.project_id))) return false;
      const old = await keyRows.replaceWithSuccessor(trx, row.old_key_id, row.new_key_id, graceExpiresAt);
      if (!old) return false;
      // The successor takes the old key's settings as they are now (a rename, new scopes or rate limit while it waited).
      const next = await keyRows.activateSuccessor(trx, old, row.new_key_id, a.at);
      if (!next) throw new LeaseLost(`successor ${row.new_key_id} is gone`);
      await this.finish(trx, row, owner, 'delivered', a, { rotated_at: a.at, grace_expires_at: graceExpiresAt });
      await this.recordAttempt(trx, row, a, 'delivered');
      await writeChange(trx, a.at, 'key', [old.digest, next.digest]);
      await writeAudit(trx, SYSTEM, a.at, { action: 'api_key.rotated', target: { type: 'api_key', id: old.id }, projectId: old.project_id });
      return true;
    });
    if (committed) await this.feed.catchUp();
    return committed;
  }

  /** A 2xx for a manual rotation's notice: only the outbox changes. */
  async markDelivered(row: OutboxRow, owner: string, a: AttemptRecord): Promise<void> {
    await this.db.transaction().execute(async (trx) => {
      await this.finish(trx, row, owner, 'delivered', a);
      await this.recordAttempt(trx, row, a, 'delivered');
    });
  }

  async scheduleRetry(row: OutboxRow, owner: string, a: AttemptRecord, nextAttemptAt: number): Promise<void> {
    await this.db.transaction().execute(async (trx) => {
      const r = await trx
        .updateTable('rotation_outbox')
        .set({ attempts: row.attempts + 1, next_attempt_at: nextAttemptAt, lease_owner: null, lease_until: null })
        .where('id', '=', row.id)
        .where('status', '=', 'pending')
        .where('lease_owner', '=', owner)
        .executeTakeFirst();
      if (Number(r.numUpdatedRows) !== 1) throw new LeaseLost(`outbox ${row.id} is no longer held by ${owner}`);
      await this.recordAttempt(trx, row, a, 'retrying', nextAttemptAt);
    });
  }

  /**
   * A 410 or the last failed attempt (`abandoned`), or a rotation overtaken by a revoke or a manual
   * rotation (`cancelled`): a scheduled successor is destroyed, its plaintext erased, and a live old
   * key is due again one interval later.
   */
  async giveUp(row: OutboxRow, owner: string, a: AttemptRecord, outcome: 'abandoned' | 'cancelled'): Promise<void> {
    let digest: string | null = null;
    await this.db.transaction().execute(async (trx) => {
      // Key rows before the outbox row, the order a revoke takes them (key, then its outbox rows): never a deadlock.
      if (row.kind === 'scheduled') {
        await keyRows.deletePending(trx, row.new_key_id);
        const old = await keyRows.rescheduleLive(trx, row.old_key_id, a.at);
        if (old) {
          digest = old.digest;
          await writeChange(trx, a.at, 'key', [old.digest]);
        }
      }
      await this.finish(trx, row, owner, outcome, a);
      await this.recordAttempt(trx, row, a, outcome);
      if (outcome === 'abandoned') {
        const action = row.kind === 'scheduled' ? 'api_key.rotation_failed' : 'api_key.rotation_webhook_failed';
        await writeAudit(trx, SYSTEM, a.at, { action, target: { type: 'api_key', id: row.old_key_id }, projectId: row.project_id });
      }
    });
    if (digest) await this.feed.catchUp();
  }

  /** Gives the lease back without counting an attempt (this node is stopping). */
  async release(row: OutboxRow, owner: string): Promise<void> {
    await this.db.updateTable('rotation_outbox').set({ lease_owner: null, lease_until: null }).where('id', '=', row.id).where('lease_owner', '=', owner).execute();
  }

  /** Attempts for deliveries that name this key as the old or the new one, newest first. */
  listDeliveries(keyId: string, limit: number, before?: number): Promise<(DeliveryRow & { kind: string })[]> {
    let q = this.db
      .selectFrom('webhook_deliveries')
      .innerJoin('rotation_outbox', 'rotation_outbox.id', 'webhook_deliveries.outbox_id')
      .selectAll('webhook_deliveries')
      .select('rotation_outbox.kind')
      .where((eb) => eb.or([eb('webhook_deliveries.old_key_id', '=', keyId), eb('webhook_deliveries.new_key_id', '=', keyId)]));
    if (before !== undefined) q = q.where('webhook_deliveries.seq', '<', before);
    return q.orderBy('webhook_deliveries.seq', 'desc').limit(limit).execute();
  }
}
