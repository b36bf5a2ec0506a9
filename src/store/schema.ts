// The one source of truth for every table's types. Instants are integer milliseconds since the epoch.
import type { Generated } from 'kysely';

export interface ProjectsTable {
  org_id: Generated<number>;
  id: string;
  name: string;
  workspace_id: string;
  created_at: number;
  deleted_at: number | null;
}

export interface EnvironmentsTable {
  id: string;
  project_id: string;
  name: string;
  key_prefix: string | null;
  created_at: number;
}

export interface ApiKeysTable {
  num_id: Generated<number>;
  id: string;
  project_id: string;
  environment_id: string | null;
  name: string;
  key_prefix: string;
  digest: string;
  role: string;
  /** JSON array of strings. */
  scopes: string;
  expires_at: number | null;
  created_at: number;
  revoked_at: number | null;
  replaced_by_key_id: string | null;
  grace_expires_at: number | null;
  /** 1 while a scheduled rotation's successor waits for its webhook: it does not verify yet. */
  pending: Generated<number>;
  rotation_interval_days: number | null;
  next_rotation_at: number | null;
  rotation_webhook_url: string | null;
  rotation_grace_minutes: number | null;
  /** AES-256-GCM sealed webhook signing secret. */
  webhook_secret_enc: string | null;
  // (The table's `last_used_at`, before migration 010, is still there for older nodes and read by no query: see KEY_ROW.)
  /** At most this many verifications per `ratelimit_duration_ms` (both null: no limit). */
  ratelimit_limit: number | null;
  ratelimit_duration_ms: number | null;
  /** JSON object the owner attaches (at most 16 KiB), or null. */
  meta: string | null;
  /** JSON array of normalized CIDR ranges the key may be used from, or null (anywhere). */
  ip_allowlist: string | null;
  /** The key's credits (shared with its rotation successor during grace), or null (unlimited). */
  credit_pool_id: string | null;
  /** The owner (service account, identity) the key belongs to, if any: its role, state and shared limit apply. */
  owner_id: string | null;
}

/**
 * When each key was last used (a verification, or the key as a credential), by the key's num_id; no row until it
 * is. Apart from `api_keys` so the usage flush rewrites a few small pages, not a wide row's page per key.
 */
export interface KeyLastUsedTable {
  num_id: number;
  last_used_at: number;
}

/** A service account (Grafana) or identity (v1): outlives any one of its keys. */
export interface OwnersTable {
  /** The Grafana service account id. */
  num_id: Generated<number>;
  id: string;
  project_id: string;
  name: string;
  /** The customer's own id for it, unique in the project. */
  external_id: string | null;
  role: 'None' | 'Viewer' | 'Editor' | 'Admin';
  /** 1: every key of it fails (DISABLED), without being revoked. */
  is_disabled: number;
  /** JSON object, at most 16 KiB. */
  meta: string | null;
  /** Shared by all its keys, across nodes with Redis. */
  ratelimit_limit: number | null;
  ratelimit_duration_ms: number | null;
  created_at: number;
  updated_at: number;
  deleted_at: number | null;
}

/** Verifications left for one key and its successors, and how they refill. */
export interface CreditPoolsTable {
  id: string;
  /** As of `refilled_at`; spent by conditional updates (or in Redis, written back here). */
  remaining: number;
  /** The last refill boundary applied, or when the credits were set. */
  refilled_at: number;
  refill_amount: number | null;
  /** `daily` or `monthly`; null: no refill. */
  refill_interval: string | null;
  refill_day: number | null;
  /** Rises with each change by hand. */
  version: number;
  created_at: number;
}

/** Credentials that may only call POST /v1/keys/verify (for one project, or every project when null). */
export interface VerifierKeysTable {
  id: string;
  name: string;
  project_id: string | null;
  digest: string;
  key_prefix: string;
  created_at: number;
  revoked_at: number | null;
}

export interface RootKeysTable {
  id: string;
  digest: string;
  key_prefix: string;
  created_at: number;
}

export interface AuditEventsTable {
  seq: Generated<number>;
  id: string;
  at: number;
  actor_type: string;
  actor_id: string;
  action: string;
  target_type: string;
  target_id: string;
  project_id: string | null;
  ip: string | null;
}

/** The change feed: every node drops cached entries named here. */
export interface ChangesTable {
  seq: Generated<number>;
  at: number;
  /** `key`: ref is a key digest; `project`: ref is a project id; `root`: ref is a root key digest; `owner`: ref is an owner id; `verifier`: ref is a verifier key digest. */
  kind: string;
  ref: string;
}

export interface UsageCountsTable {
  key_id: string;
  /** Start of the minute, in ms. */
  bucket: number;
  outcome: string;
  count: number;
}

/** One webhook to deliver: a scheduled rotation waiting for its 2xx, or the notice of a manual one. */
export interface RotationOutboxTable {
  /** The Standard Webhooks `webhook-id`, the same on every attempt. */
  id: string;
  /** `scheduled`: the successor is pending until a 2xx; `manual`: already committed, this only notifies. */
  kind: string;
  project_id: string;
  old_key_id: string;
  new_key_id: string;
  /** AES-256-GCM sealed successor plaintext; null once delivered or abandoned. */
  successor_enc: string | null;
  /** `pending`, `delivered`, `abandoned` or `cancelled`. */
  status: string;
  attempts: Generated<number>;
  next_attempt_at: number | null;
  /** The node delivering it now, and until when its claim holds. */
  lease_owner: string | null;
  lease_until: number | null;
  /** Manual rotations: when it happened and when the old key's grace ends (scheduled ones are set by the committing attempt). */
  rotated_at: number | null;
  grace_expires_at: number | null;
  created_at: number;
  finished_at: number | null;
}

export interface WebhookDeliveriesTable {
  seq: Generated<number>;
  outbox_id: string;
  old_key_id: string;
  new_key_id: string;
  attempt: number;
  at: number;
  /** Null when no HTTP answer came (refused, timeout). */
  status_code: number | null;
  /** `delivered`, `retrying`, `abandoned` or `cancelled`. */
  outcome: string;
  error: string | null;
  duration_ms: number;
  next_attempt_at: number | null;
}

/** Per-project SigV4 access key pairs for the AWS surface; the secret is sealed (AES-256-GCM). */
export interface AwsCredentialsTable {
  access_key_id: string;
  project_id: string;
  description: string | null;
  secret_enc: string;
  created_at: number;
  revoked_at: number | null;
}

/** A dashboard sign-in: the digest of its session id and the credential it was exchanged for. */
export interface DashboardSessionsTable {
  digest: string;
  /** `root` or `api_key`: the session acts as this credential. */
  principal_kind: string;
  principal_id: string;
  project_id: string | null;
  created_at: number;
  last_seen_at: number;
}

export interface Database {
  projects: ProjectsTable;
  environments: EnvironmentsTable;
  api_keys: ApiKeysTable;
  key_last_used: KeyLastUsedTable;
  owners: OwnersTable;
  root_keys: RootKeysTable;
  audit_events: AuditEventsTable;
  changes: ChangesTable;
  usage_counts: UsageCountsTable;
  rotation_outbox: RotationOutboxTable;
  webhook_deliveries: WebhookDeliveriesTable;
  aws_credentials: AwsCredentialsTable;
  dashboard_sessions: DashboardSessionsTable;
  credit_pools: CreditPoolsTable;
  verifier_keys: VerifierKeysTable;
}
