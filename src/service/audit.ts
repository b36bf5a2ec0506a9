// The audit log's reads (each write appends its own event, in its own transaction: store/journal.ts).
import type { Selectable } from 'kysely';
import type { Store } from '../store/db.js';
import type { AuditEventsTable } from '../store/schema.js';

export type AuditRow = Selectable<AuditEventsTable>;

export interface AuditFilters {
  actorId?: string;
  action?: string;
  /** The key, project, ... the event is about. */
  targetId?: string;
  /** `from` <= at < `to`, in ms. */
  from?: number;
  to?: number;
}

export class AuditService {
  constructor(private readonly store: Store) {}

  /** Newest first; `projectId` null lists every project's (root only). The other filters must all hold. */
  list(q: { projectId: string | null; limit: number; before?: number } & AuditFilters): Promise<AuditRow[]> {
    let query = this.store.db.selectFrom('audit_events').selectAll();
    if (q.projectId !== null) query = query.where('project_id', '=', q.projectId);
    if (q.actorId !== undefined) query = query.where('actor_id', '=', q.actorId);
    if (q.action !== undefined) query = query.where('action', '=', q.action);
    if (q.targetId !== undefined) query = query.where('target_id', '=', q.targetId);
    if (q.from !== undefined) query = query.where('at', '>=', q.from);
    if (q.to !== undefined) query = query.where('at', '<', q.to);
    if (q.before !== undefined) query = query.where('seq', '<', q.before);
    return query.orderBy('seq', 'desc').limit(q.limit).execute();
  }
}
