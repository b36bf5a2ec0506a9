// Environment -> typed, validated config, read once at start.
import { parseKey } from './keys/material.js';

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
  grafanaCompat: '10' | '11.3';
  logLevel: string;
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

export function loadConfig(env: Env = process.env): Config {
  const databaseUrl = env.KEYMINT_DATABASE_URL || 'sqlite:./data/keymint.db';
  if (!/^sqlite:.+/.test(databaseUrl) && !/^postgres(ql)?:\/\/.+/.test(databaseUrl)) {
    throw new ConfigError(`KEYMINT_DATABASE_URL=${JSON.stringify(databaseUrl)} is not valid: use sqlite:<path> or postgres://user@host:port/database`);
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
    grafanaCompat: oneOf(env, 'KEYMINT_GRAFANA_COMPAT', ['10', '11.3'] as const, '10'),
    logLevel: oneOf(env, 'KEYMINT_LOG_LEVEL', ['fatal', 'error', 'warn', 'info', 'debug', 'trace', 'silent'] as const, 'info'),
  };
}
