// Dashboard sessions: a root key or an Admin project key exchanged for an opaque session id, which the browser
// keeps in an HttpOnly cookie (the key itself is never kept by the browser). The session acts as the credential it
// was exchanged for, for as long as that credential is still good; it ends after `idleMs` without a request.
// Rows live in the store (any node answers any request); only a digest of the session id is stored.
import { createHash, randomBytes, timingSafeEqual } from 'node:crypto';
import type { Clock } from '../util/clock.js';
import type { Role } from '../keys/roles.js';
import { keyStatus } from '../keys/state.js';
import type { Store } from '../store/db.js';
import { writeAudit } from '../store/journal.js';
import type { Actor, Principal } from './principal.js';
import type { RootKeys } from './root-keys.js';

export interface SessionPolicy {
  /** A session ends after this long without a request. */
  idleMs: number;
  /** ... and this long after sign-in whatever happens (a stolen cookie does not live for ever). */
  absoluteMs: number;
}

export const ABSOLUTE_SESSION_MS = 12 * 3_600_000;

/** When a session seen at `lastSeenAt`, created at `createdAt`, ends. Pure. */
export function sessionEndsAt(createdAt: number, lastSeenAt: number, policy: SessionPolicy): number {
  return Math.min(lastSeenAt + policy.idleMs, createdAt + policy.absoluteMs);
}

/** Why a credential may not open a dashboard session, or null when it may. */
export function sessionRefusal(principal: Principal): string | null {
  if (principal.kind === 'root') return null;
  if (principal.kind === 'api_key' && principal.role === 'Admin') return null;
  if (principal.kind === 'api_key') return `this key has role ${principal.role}; sign in with the root key or an Admin key of the project`;
  return 'sign in with the root key or an Admin key of a project';
}

const digestOf = (id: string) => createHash('sha256').update(id).digest('hex');

/**
 * The CSRF token of a session: derived from its secret id, so every node computes it without storing it, and a
 * page of another site (which can neither read the cookie nor our responses) cannot know it.
 */
export const csrfTokenOf = (sessionId: string) => createHash('sha256').update(`keymint-csrf:${sessionId}`).digest('base64url');

/** Constant-time comparison of a sent CSRF token with the session's. */
export function csrfMatches(sessionId: string, sent: string | undefined): boolean {
  if (!sent) return false;
  const want = Buffer.from(csrfTokenOf(sessionId));
  const got = Buffer.from(sent);
  return got.length === want.length && timingSafeEqual(got, want);
}

/** A short, public handle of a session for the audit log (not the secret, not enough to find it). */
const handleOf = (digest: string) => `ses_${digest.slice(0, 16)}`;

export interface ActiveSession {
  principal: Principal;
  csrfToken: string;
  /** When it ends if no request comes before. */
  expiresAt: number;
}

/** Write `last_seen_at` at most this often per session: not a store write per request. */
const TOUCH_EVERY_MS = 15_000;

export class DashboardSessions {
  private lastSweep = 0;

  constructor(
    private readonly store: Store,
    private readonly clock: Clock,
    private readonly rootKeys: RootKeys,
    readonly policy: SessionPolicy,
  ) {}

  /** Opens a session for a credential `sessionRefusal` accepted; answers the secret id (for the cookie). */
  async start(principal: Principal, actor: Actor): Promise<{ id: string; session: ActiveSession }> {
    const id = randomBytes(32).toString('base64url');
    const digest = digestOf(id);
    const now = this.clock.now();
    const projectId = principal.kind === 'api_key' ? principal.projectId : null;
    await this.store.db.transaction().execute(async (trx) => {
      await trx
        .insertInto('dashboard_sessions')
        .values({ digest, principal_kind: principal.kind, principal_id: principal.id, project_id: projectId, created_at: now, last_seen_at: now })
        .execute();
      await writeAudit(trx, actor, now, { action: 'session.created', target: { type: 'session', id: handleOf(digest) }, projectId });
    });
    this.sweep(now);
    return { id, session: { principal, csrfToken: csrfTokenOf(id), expiresAt: sessionEndsAt(now, now, this.policy) } };
  }

  /**
   * The session named by a cookie's id, or null when it is unknown, has ended, or the credential it was exchanged
   * for no longer holds (revoked, expired, rotated out, its project deleted, a root key removed).
   */
  async resolve(id: string): Promise<ActiveSession | null> {
    if (id.length > 100) return null;
    const digest = digestOf(id);
    const now = this.clock.now();
    const row = await this.store.db.selectFrom('dashboard_sessions').selectAll().where('digest', '=', digest).executeTakeFirst();
    if (!row) return null;
    if (sessionEndsAt(row.created_at, row.last_seen_at, this.policy) <= now) {
      await this.store.db.deleteFrom('dashboard_sessions').where('digest', '=', digest).execute();
      return null;
    }
    const principal = await this.principalOf(row.principal_kind, row.principal_id, now);
    if (!principal) return null;
    if (now - row.last_seen_at >= TOUCH_EVERY_MS) {
      await this.store.db.updateTable('dashboard_sessions').set({ last_seen_at: now }).where('digest', '=', digest).execute();
    }
    const seen = now - row.last_seen_at >= TOUCH_EVERY_MS ? now : row.last_seen_at;
    return { principal, csrfToken: csrfTokenOf(id), expiresAt: sessionEndsAt(row.created_at, seen, this.policy) };
  }

  /** Signs out: the id names nothing any more, on every node. */
  async end(id: string, actor: Actor): Promise<void> {
    const digest = digestOf(id);
    const now = this.clock.now();
    await this.store.db.transaction().execute(async (trx) => {
      const gone = await trx.deleteFrom('dashboard_sessions').where('digest', '=', digest).returning(['project_id']).executeTakeFirst();
      if (gone) await writeAudit(trx, actor, now, { action: 'session.ended', target: { type: 'session', id: handleOf(digest) }, projectId: gone.project_id });
    });
  }

  private async principalOf(kind: string, id: string, now: number): Promise<Principal | null> {
    if (kind === 'root') return this.rootKeys.knows(id) ? { kind: 'root', id } : null;
    if (kind !== 'api_key') return null;
    const key = await this.store.db
      .selectFrom('api_keys')
      .innerJoin('projects', 'projects.id', 'api_keys.project_id')
      .select(['api_keys.id', 'api_keys.num_id', 'api_keys.project_id', 'api_keys.role', 'revoked_at', 'expires_at', 'replaced_by_key_id', 'grace_expires_at'])
      .where('api_keys.id', '=', id)
      .where('projects.deleted_at', 'is', null)
      .executeTakeFirst();
    if (!key) return null;
    const status = keyStatus(key, now);
    if ((status !== 'active' && status !== 'grace') || key.role !== 'Admin') return null;
    return { kind: 'api_key', id: key.id, numId: key.num_id, projectId: key.project_id, role: key.role as Role };
  }

  /** Ended sessions are deleted now and then (at most once a minute per node, on sign-in). */
  private sweep(now: number): void {
    if (now - this.lastSweep < 60_000) return;
    this.lastSweep = now;
    const cutoff = now - Math.min(this.policy.idleMs, this.policy.absoluteMs);
    this.store.db.deleteFrom('dashboard_sessions').where('last_seen_at', '<', cutoff).execute().catch(() => {});
  }
}
