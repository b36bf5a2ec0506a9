// The v1 response shapes: how rows look on the native surface's wire. They belong to the surface,
// not to the services (other surfaces shape the same rows their own way).
import { iso } from '../../util/instant.js';
import type { Role } from '../../keys/roles.js';
import { keyStatus } from '../../keys/state.js';
import type { DeliveryRow } from '../../rotation/outbox.js';
import type { AuditRow } from '../../service/audit.js';
import type { AwsCredentialRow } from '../../service/aws-credentials.js';
import type { EnvironmentRow, ProjectRow } from '../../service/projects.js';
import type { KeyRow } from '../../store/api-keys.js';
import type { KeyService } from '../../service/api-keys.js';
import type { CreditsView } from '../../service/key-extras.js';

/** The v1 key object: the canonical shape, which other surfaces map from. `credits`: its pool's, when it has one. */
export function keyObject(k: KeyRow, now: number, credits: CreditsView | null = null) {
  return {
    id: k.id,
    project_id: k.project_id,
    name: k.name,
    key_prefix: k.key_prefix,
    scopes: JSON.parse(k.scopes) as string[],
    expires_at: iso(k.expires_at),
    last_used_at: iso(k.last_used_at),
    created_at: iso(k.created_at),
    revoked_at: iso(k.revoked_at),
    replaced_by_key_id: k.replaced_by_key_id,
    grace_expires_at: iso(k.grace_expires_at),
    environment_id: k.environment_id,
    rotation_interval_days: k.rotation_interval_days,
    next_rotation_at: iso(k.next_rotation_at),
    rotation_webhook_url: k.rotation_webhook_url,
    role: k.role as Role,
    status: keyStatus(k, now),
    ratelimit: k.ratelimit_limit === null ? null : { limit: k.ratelimit_limit, duration_ms: k.ratelimit_duration_ms! },
    meta: k.meta === null ? null : (JSON.parse(k.meta) as Record<string, unknown>),
    credits: k.credit_pool_id === null ? null : credits,
    ip_allowlist: k.ip_allowlist === null ? null : (JSON.parse(k.ip_allowlist) as string[]),
    identity_id: k.owner_id,
  };
}

/** Key objects of rows with their credits (one read of their pools for all of them). */
export async function keyObjects(keys: KeyService, rows: KeyRow[], now: number): Promise<ReturnType<typeof keyObject>[]> {
  const views = await keys.creditViews(rows);
  return rows.map((r) => keyObject(r, now, r.credit_pool_id === null ? null : (views.get(r.credit_pool_id) ?? null)));
}

/** The answer to a rotation: the seed's `old_key_id`/`new_key_id` and the new key's plaintext. */
export function rotatedObject(old: KeyRow, next: KeyRow, key: string, now: number) {
  const o = keyObject(next, now);
  return {
    old_key_id: old.id,
    new_key_id: next.id,
    project_id: next.project_id,
    name: next.name,
    key,
    key_prefix: next.key_prefix,
    scopes: o.scopes,
    expires_at: o.expires_at,
    created_at: o.created_at,
    grace_expires_at: iso(old.grace_expires_at),
  };
}

export function auditObject(e: AuditRow) {
  return {
    id: e.id,
    at: iso(e.at),
    actor: { type: e.actor_type, id: e.actor_id },
    action: e.action,
    target: { type: e.target_type, id: e.target_id },
    project_id: e.project_id,
    ip: e.ip,
  };
}

export function projectObject(p: ProjectRow) {
  return { id: p.id, name: p.name, org_id: p.org_id, workspace_id: p.workspace_id, created_at: iso(p.created_at) };
}

export function environmentObject(e: EnvironmentRow) {
  return { id: e.id, project_id: e.project_id, name: e.name, key_prefix: e.key_prefix, created_at: iso(e.created_at) };
}

/** An AWS access key pair: never the secret. */
export function awsCredentialObject(c: AwsCredentialRow, workspaceId: string) {
  return {
    access_key_id: c.access_key_id,
    project_id: c.project_id,
    workspace_id: workspaceId,
    description: c.description,
    created_at: iso(c.created_at),
    revoked_at: iso(c.revoked_at),
  };
}

export function deliveryObject(d: DeliveryRow & { kind: string }) {
  return {
    webhook_id: d.outbox_id,
    event_type: 'api_key.rotated',
    trigger: d.kind as 'scheduled' | 'manual',
    attempt: d.attempt,
    attempted_at: iso(d.at),
    status_code: d.status_code,
    outcome: d.outcome as 'delivered' | 'retrying' | 'abandoned' | 'cancelled',
    error: d.error,
    duration_ms: d.duration_ms,
    next_attempt_at: iso(d.next_attempt_at),
    old_key_id: d.old_key_id,
    new_key_id: d.new_key_id,
  };
}
