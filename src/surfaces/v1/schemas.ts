// TypeBox schemas of the v1 wire format: validation, types and OpenAPI from one place.
import { type TProperties, Type } from 'typebox';
import { ID_PATTERN } from '../../keys/ids.js';
import { ROLES } from '../../keys/roles.js';
import { MAX_NAME_LENGTH } from '../../keys/text.js';
import { VERIFY_CODES } from '../../verify/verifier.js';
import { MAX_ALLOWLIST_ENTRIES } from '../../keys/cidr.js';
import { MAX_CREDITS } from '../../keys/credits.js';
import { RATELIMIT_MAX_DURATION_MS, RATELIMIT_MAX_LIMIT, RATELIMIT_MIN_DURATION_MS } from '../../limits/key-rates.js';

/** Request bodies refuse fields they do not know: a misspelt `expire_at` must not quietly make a key that never expires. */
export const Body = <T extends TProperties>(properties: T) => Type.Object(properties, { additionalProperties: false });
export const Nullable = <T extends Parameters<typeof Type.Union>[0][number]>(t: T) => Type.Union([t, Type.Null()]);
export const Instant = Type.String({ format: 'date-time' });
export const Role = Type.Enum(ROLES, { description: 'Grafana role: None < Viewer < Editor < Admin' });
/** Names and other text: no control characters (PostgreSQL text cannot even hold NUL). */
export const TEXT_PATTERN = '^[^\\u0000-\\u001f\\u007f]*$';
export const Id = Type.String({ minLength: 1, maxLength: 64, pattern: ID_PATTERN });
export const Name = Type.String({ minLength: 1, maxLength: MAX_NAME_LENGTH, pattern: TEXT_PATTERN });
export const Scopes = Type.Array(Type.String({ minLength: 1, maxLength: 200, pattern: TEXT_PATTERN }), { maxItems: 100 });

export const Problem = Type.Object(
  {
    type: Type.String({ description: 'https://keymint.dev/problems/<code with dashes>: one URI per kind of error' }),
    title: Type.String(),
    status: Type.Integer(),
    code: Type.String({ description: 'A stable machine code for the kind of error (see the README\'s error table)' }),
    detail: Type.String(),
    request_id: Type.String({ description: 'The id of this request in the server log; also in the X-Request-Id header' }),
    errors: Type.Optional(Type.Array(Type.Object({ location: Type.String(), message: Type.String() }))),
  },
  { description: 'RFC 9457 problem details' },
);

export const problems = (...codes: number[]) => Object.fromEntries(codes.map((c) => [c, Problem]));

export const Project = Type.Object({
  id: Type.String(),
  name: Type.String(),
  org_id: Type.Integer({ description: 'Grafana organization id' }),
  workspace_id: Type.String({ description: 'Amazon Managed Grafana workspace id' }),
  created_at: Instant,
});

export const Environment = Type.Object({
  id: Type.String(),
  project_id: Type.String(),
  name: Type.String(),
  key_prefix: Nullable(Type.String()),
  created_at: Instant,
});

export const KeyRatelimit = Type.Object(
  {
    limit: Type.Integer({ minimum: 1, maximum: RATELIMIT_MAX_LIMIT, description: 'Verifications allowed per window' }),
    duration_ms: Type.Integer({ minimum: RATELIMIT_MIN_DURATION_MS, maximum: RATELIMIT_MAX_DURATION_MS, description: 'The window, in milliseconds (1 s to 1 day)' }),
  },
  {
    additionalProperties: false,
    description:
      'At most `limit` verifications per `duration_ms`: past it, verify answers `RATE_LIMITED` until the window resets. Across all nodes with KEYMINT_REDIS_URL, per node without.',
  },
);

/** A JSON object or null, as one schema (so a wrong type gets one plain error, not a list of anyOf branches). */
export const NullableMeta = Type.Unsafe<Record<string, unknown> | null>({
  type: ['object', 'null'],
  additionalProperties: true,
  description: 'A JSON object of your own (plan, tenant, feature flags), at most 16 KiB as JSON; returned by GET, list and verify. null clears it.',
});

export const CreditRefill = Type.Object(
  {
    amount: Type.Integer({ minimum: 1, maximum: MAX_CREDITS, description: 'remaining is set to this at each refill' }),
    interval: Type.Enum(['daily', 'monthly'], { description: 'daily: at 00:00 UTC; monthly: at 00:00 UTC of day_of_month' }),
    day_of_month: Type.Optional(Type.Integer({ minimum: 1, maximum: 31, description: 'Monthly only, default 1; in shorter months, their last day' })),
  },
  { additionalProperties: false },
);

export const Credits = Type.Object(
  {
    remaining: Type.Integer({ minimum: 0, maximum: MAX_CREDITS, description: 'Verifications left; each VALID verification takes `cost` (default 1)' }),
    refill: Nullable(CreditRefill),
  },
  {
    additionalProperties: false,
    description:
      'Usage credits: at 0, verify answers USAGE_EXCEEDED. Exact across nodes (Redis when configured, the store otherwise). A rotation successor shares its predecessor\'s credits. null: unlimited.',
  },
);

export const IpAllowlist = Type.Array(Type.String({ minLength: 1, maxLength: 64 }), {
  maxItems: MAX_ALLOWLIST_ENTRIES,
  description:
    'CIDR ranges (IPv4 and IPv6, at most 100; normalized on write, e.g. 10.1.2.3/16 -> 10.1.0.0/16). Verify answers IP_NOT_ALLOWED unless `client_ip` is inside one; the key used as a credential is checked against the request\'s own address. null: any address.',
});

const keyFields = {
  id: Type.String(),
  project_id: Type.String(),
  name: Type.String(),
  key_prefix: Type.String({ description: 'The prefix plus the first 8 random characters, for display' }),
  scopes: Type.Array(Type.String()),
  expires_at: Nullable(Instant),
  last_used_at: Nullable(Instant),
  created_at: Instant,
  revoked_at: Nullable(Instant),
  replaced_by_key_id: Nullable(Type.String()),
  grace_expires_at: Nullable(Instant),
  environment_id: Nullable(Type.String()),
  rotation_interval_days: Nullable(Type.Integer()),
  next_rotation_at: Nullable(Instant),
  rotation_webhook_url: Nullable(Type.String()),
  role: Role,
  status: Type.Enum(['active', 'grace', 'rotated', 'expired', 'revoked']),
  ratelimit: Nullable(KeyRatelimit),
  meta: NullableMeta,
  credits: Nullable(Credits),
  ip_allowlist: Nullable(Type.Array(Type.String())),
  identity_id: Nullable(Type.String({ description: 'The identity the key belongs to: it acts with its role, stops while it is disabled and shares its rate limit' })),
};

export const ApiKey = Type.Object(keyFields);
const rotationWebhookSecret = Type.Optional(Type.String({ description: 'Signing secret of the rotation webhook: shown once, when the key gets its first webhook URL' }));
export const CreatedApiKey = Type.Object({
  ...keyFields,
  key: Type.String({ description: 'The plaintext key: shown once, never again' }),
  rotation_webhook_secret: rotationWebhookSecret,
});
export const UpdatedApiKey = Type.Object({ ...keyFields, rotation_webhook_secret: rotationWebhookSecret });

export const RotatedApiKey = Type.Object({
  old_key_id: Type.String(),
  new_key_id: Type.String(),
  project_id: Type.String(),
  name: Type.String(),
  key: Type.String({ description: 'The new plaintext key: shown once' }),
  key_prefix: Type.String(),
  scopes: Type.Array(Type.String()),
  expires_at: Nullable(Instant),
  created_at: Instant,
  grace_expires_at: Nullable(Instant),
});

export const VerifyResult = Type.Object({
  valid: Type.Boolean(),
  code: Type.Enum(VERIFY_CODES, {
    description:
      '`DISABLED`: the key\'s identity (service account) is disabled; the key is not revoked and works again once it is enabled. `USAGE_EXCEEDED`: the key\'s credits are spent (until its refill). `IP_NOT_ALLOWED`: `client_ip` is missing or not in the key\'s `ip_allowlist`',
  }),
  key_id: Nullable(Type.String()),
  project_id: Nullable(Type.String()),
  environment_id: Nullable(Type.String()),
  name: Nullable(Type.String()),
  role: Nullable(Type.String()),
  scopes: Nullable(Type.Array(Type.String())),
  expires_at: Nullable(Instant),
  grace_expires_at: Nullable(Instant),
  ratelimit: Nullable(
    Type.Object(
      { limit: Type.Integer(), remaining: Type.Integer({ description: 'Verifications left in this window' }), reset_at: Instant },
      { description: 'The key\'s rate limit (or its identity\'s shared one, whichever is tighter) after this verification (null for keys without one, and for outcomes other than VALID and RATE_LIMITED)' },
    ),
  ),
  identity: Nullable(
    Type.Object(
      { id: Type.String(), external_id: Nullable(Type.String()), meta: Nullable(Type.Record(Type.String(), Type.Unknown())) },
      { description: 'The identity the key belongs to (null for keys without one, and unknown keys)' },
    ),
  ),
  meta: NullableMeta,
  credits: Nullable(
    Type.Object(
      { remaining: Type.Integer() },
      { description: 'Credits left after this verification (null for keys without credits, and for outcomes other than VALID and USAGE_EXCEEDED)' },
    ),
  ),
});

export const AuditEvent = Type.Object({
  id: Type.String(),
  at: Instant,
  actor: Type.Object({ type: Type.String(), id: Type.String() }),
  action: Type.String(),
  target: Type.Object({ type: Type.String(), id: Type.String() }),
  project_id: Nullable(Type.String()),
  ip: Nullable(Type.String()),
});

export const Page = {
  limit: Type.Optional(Type.Integer({ minimum: 1, maximum: 1000, default: 100 })),
  cursor: Type.Optional(Type.String({ maxLength: 64, pattern: ID_PATTERN, description: 'From the `Link: rel="next"` header of the previous page' })),
};

export const Meta = Type.Record(Type.String(), Type.Unknown(), { description: 'Your own JSON object, at most 16 KiB; answered by verify' });
export const ExternalId = Type.String({ minLength: 1, maxLength: 255, pattern: TEXT_PATTERN, description: 'Your own id for it (a user, a customer), unique in the project' });

export const Identity = Type.Object({
  id: Type.String(),
  project_id: Type.String(),
  name: Type.String(),
  external_id: Nullable(Type.String()),
  role: Role,
  is_disabled: Type.Boolean({ description: 'While true, every key of the identity verifies `DISABLED` (and is refused as a credential), without being revoked' }),
  meta: Nullable(Meta),
  ratelimit: Nullable(KeyRatelimit),
  created_at: Instant,
  updated_at: Instant,
});
