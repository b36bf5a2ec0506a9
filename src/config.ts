// Environment -> typed, validated config, read once at start.
import { parseKey } from './keys/material.js';
import { withoutPassword } from './util/url-password.js';
import { DEFAULT_THROTTLE, type ThrottleOptions } from './limits/credential-throttle.js';
import { DEFAULT_LOCKOUT, type LockoutOptions, type LockoutTier } from './limits/lockout.js';

export interface Config {
  port: number;
  host: string;
  databaseUrl: string;
  redisUrl: string | null;
  rootKey: string | null;
  awsAccessKeyId: string | null;
  awsSecretAccessKey: string | null;
  /** Requests per second each AWS access key may make on the AWS surface. */
  awsRequestsPerSecond: number;
  apiKeyMaxSecondsToLive: number;
  /** 32 bytes; null means "generate one into the SQLite data folder". */
  encryptionKey: Buffer | null;
  webhookAllowPrivate: boolean;
  /** Which Grafana release the Grafana surface answers as (see the compat-mode table in the README). */
  grafanaCompat: '10' | '11.3' | '12';
  logLevel: string;
  // Several nodes: see "Running several nodes" in the README.
  /** Namespace of every Redis key and channel this deployment uses. */
  redisPrefix: string;
  /** Fastify's trustProxy: which hops' X-Forwarded-For to believe for the client address. */
  trustProxy: boolean | string;
  lockout: LockoutOptions;
  managementThrottle: ThrottleOptions;
}

export class ConfigError extends Error {}

type Env = Record<string, string | undefined>;

function int(env: Env, name: string, fallback: number, min: number, max: number): number {
  const raw = env[name];
  if (raw === undefined || raw === '') return fallback;
  if (!/^-?\d+$/.test(raw) || Number(raw) < min || Number(raw) > max) {
    throw new ConfigError(`${name}=${JSON.stringify(raw)} is not valid: use a whole number from ${min} to ${max}`);
  }
  return Number(raw);
}

function bool(env: Env, name: string): boolean {
  const raw = env[name];
  if (raw === undefined || raw === '' || raw === 'false' || raw === '0') return false;
  if (raw === 'true' || raw === '1') return true;
  throw new ConfigError(`${name}=${JSON.stringify(raw)} is not valid: use true or false`);
}

function oneOf<T extends string>(env: Env, name: string, allowed: readonly T[], fallback: T): T {
  const raw = env[name];
  if (raw === undefined || raw === '') return fallback;
  if (!(allowed as readonly string[]).includes(raw)) {
    throw new ConfigError(`${name}=${JSON.stringify(raw)} is not valid: use one of ${allowed.join(', ')}`);
  }
  return raw as T;
}

export function parseEncryptionKey(raw: string, name = 'KEYMINT_ENCRYPTION_KEY'): Buffer {
  const hex = /^[0-9a-fA-F]{64}$/.test(raw);
  const buf = Buffer.from(raw, hex ? 'hex' : 'base64');
  if (buf.length !== 32 || (!hex && buf.toString('base64') !== raw)) {
    throw new ConfigError(`${name} is not valid: use 32 random bytes as 64 hex characters or base64 (openssl rand -hex 32)`);
  }
  return buf;
}

/** `10:60,25:300,50:900` (failures:seconds, ascending) or `off`. */
function lockoutTiers(env: Env): LockoutTier[] {
  const raw = env.KEYMINT_LOCKOUT_TIERS;
  if (raw === undefined || raw === '') return DEFAULT_LOCKOUT.tiers;
  if (raw === 'off') return [];
  const tiers = raw.split(',').map((part) => /^\s*(\d{1,6}):(\d{1,7})\s*$/.exec(part));
  const bad = () => new ConfigError(`KEYMINT_LOCKOUT_TIERS=${JSON.stringify(raw)} is not valid: use failures:seconds pairs with rising failures, like 10:60,25:300,50:900, or off`);
  if (tiers.some((m) => !m)) throw bad();
  const parsed = tiers.map((m) => ({ failures: Number(m![1]), seconds: Number(m![2]) }));
  if (parsed.some((t, i) => t.failures < 1 || t.seconds < 1 || (i > 0 && t.failures <= parsed[i - 1].failures))) throw bad();
  return parsed;
}

function redisPrefix(env: Env): string {
  const raw = env.KEYMINT_REDIS_PREFIX ?? 'keymint:';
  if (!/^[\w:.-]{1,64}$/.test(raw)) throw new ConfigError(`KEYMINT_REDIS_PREFIX=${JSON.stringify(raw)} is not valid: use 1 to 64 letters, digits, and : . _ -`);
  return raw;
}

/** `true`, `false`, or the addresses/CIDRs of the load balancers (comma-separated). */
function trustProxy(env: Env): boolean | string {
  const raw = env.KEYMINT_TRUST_PROXY;
  if (raw === undefined || raw === '' || raw === 'false') return false;
  if (raw === 'true') return true;
  if (/^[0-9a-fA-F:.\/, ]+$/.test(raw)) return raw;
  throw new ConfigError(`KEYMINT_TRUST_PROXY=${JSON.stringify(raw)} is not valid: use the load balancer's addresses (10.0.0.5,10.0.1.0/24), true (any) or false`);
}

export function loadConfig(env: Env = process.env): Config {
  const databaseUrl = env.KEYMINT_DATABASE_URL || 'sqlite:./data/keymint.db';
  if (!/^sqlite:.+/.test(databaseUrl) && !/^postgres(ql)?:\/\/.+/.test(databaseUrl)) {
    throw new ConfigError(`KEYMINT_DATABASE_URL=${JSON.stringify(withoutPassword(databaseUrl))} is not valid: use sqlite:<path> or postgres://user@host:port/database`);
  }
  const redisUrl = env.KEYMINT_REDIS_URL || null;
  if (redisUrl && !/^rediss?:\/\/.+/.test(redisUrl)) {
    throw new ConfigError(`KEYMINT_REDIS_URL is not valid: use redis://host:port`);
  }
  const rootKey = env.KEYMINT_ROOT_KEY || null;
  if (rootKey && !parseKey(rootKey)) {
    throw new ConfigError('KEYMINT_ROOT_KEY is not a Keymint key (wrong shape or checksum): mint one with `npx keymint mint-root-key`');
  }
  const awsAccessKeyId = env.KEYMINT_AWS_ACCESS_KEY_ID || null;
  const awsSecretAccessKey = env.KEYMINT_AWS_SECRET_ACCESS_KEY || null;
  if (!!awsAccessKeyId !== !!awsSecretAccessKey) {
    throw new ConfigError('KEYMINT_AWS_ACCESS_KEY_ID and KEYMINT_AWS_SECRET_ACCESS_KEY must be set together');
  }
  const encryptionKey = env.KEYMINT_ENCRYPTION_KEY ? parseEncryptionKey(env.KEYMINT_ENCRYPTION_KEY) : null;
  if (!encryptionKey && databaseUrl.startsWith('postgres')) {
    throw new ConfigError('KEYMINT_ENCRYPTION_KEY is required with PostgreSQL: use 32 random bytes as 64 hex characters (openssl rand -hex 32)');
  }
  const host = env.KEYMINT_HOST || '127.0.0.1';
  if (!/^[A-Za-z0-9.:_\-[\]%]{1,253}$/.test(host)) {
    throw new ConfigError(`KEYMINT_HOST=${JSON.stringify(host)} is not valid: use an IP address or host name to bind, for example 127.0.0.1 or 0.0.0.0`);
  }
  return {
    port: int(env, 'KEYMINT_PORT', 8080, 0, 65535),
    host,
    databaseUrl,
    redisUrl,
    rootKey,
    awsAccessKeyId,
    awsSecretAccessKey,
    awsRequestsPerSecond: int(env, 'KEYMINT_AWS_REQUESTS_PER_SECOND', 100, 1, 1_000_000),
    apiKeyMaxSecondsToLive: int(env, 'KEYMINT_API_KEY_MAX_SECONDS_TO_LIVE', -1, -1, Number.MAX_SAFE_INTEGER),
    encryptionKey,
    webhookAllowPrivate: bool(env, 'KEYMINT_WEBHOOK_ALLOW_PRIVATE'),
    grafanaCompat: oneOf(env, 'KEYMINT_GRAFANA_COMPAT', ['10', '11.3', '12'] as const, '10'),
    logLevel: oneOf(env, 'KEYMINT_LOG_LEVEL', ['fatal', 'error', 'warn', 'info', 'debug', 'trace', 'silent'] as const, 'info'),
    redisPrefix: redisPrefix(env),
    trustProxy: trustProxy(env),
    lockout: { tiers: lockoutTiers(env), windowSeconds: int(env, 'KEYMINT_LOCKOUT_WINDOW_SECONDS', DEFAULT_LOCKOUT.windowSeconds, 1, 86_400) },
    managementThrottle: {
      limit: int(env, 'KEYMINT_MANAGEMENT_RATE_LIMIT', DEFAULT_THROTTLE.limit, 0, 1_000_000_000),
      windowSeconds: int(env, 'KEYMINT_MANAGEMENT_RATE_WINDOW_SECONDS', DEFAULT_THROTTLE.windowSeconds, 1, 86_400),
    },
  };
}
