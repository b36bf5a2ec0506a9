// Configuration from the environment: defaults, and a bad value named with what it accepts.
import { describe, expect, it } from 'vitest';
import { ConfigError, loadConfig } from '../src/config.js';
import { mintKey, ROOT_PREFIX } from '../src/keys/material.js';

const HEX32 = 'ab'.repeat(32);

describe('config', () => {
  it("has the product's defaults", () => {
    expect(loadConfig({})).toMatchObject({
      port: 8080, host: '127.0.0.1', databaseUrl: 'sqlite:./data/keymint.db', redisUrl: null, rootKey: null, awsAccessKeyId: null,
      awsSecretAccessKey: null, apiKeyMaxSecondsToLive: -1, encryptionKey: null, webhookAllowPrivate: false,
    });
  });

  it('reads every variable', () => {
    const root = mintKey(ROOT_PREFIX).plaintext;
    const c = loadConfig({
      KEYMINT_PORT: '9000', KEYMINT_HOST: '0.0.0.0', KEYMINT_DATABASE_URL: 'postgres://u:p@db:5432/keymint', KEYMINT_REDIS_URL: 'redis://r:6379',
      KEYMINT_ROOT_KEY: root, KEYMINT_AWS_ACCESS_KEY_ID: 'AKIDEXAMPLE', KEYMINT_AWS_SECRET_ACCESS_KEY: 'secret', KEYMINT_API_KEY_MAX_SECONDS_TO_LIVE: '3600',
      KEYMINT_ENCRYPTION_KEY: HEX32, KEYMINT_WEBHOOK_ALLOW_PRIVATE: 'true', KEYMINT_LOG_LEVEL: 'warn',
    });
    expect(c).toMatchObject({
      port: 9000, host: '0.0.0.0', databaseUrl: 'postgres://u:p@db:5432/keymint', redisUrl: 'redis://r:6379', rootKey: root, awsAccessKeyId: 'AKIDEXAMPLE',
      awsSecretAccessKey: 'secret', apiKeyMaxSecondsToLive: 3600, webhookAllowPrivate: true, logLevel: 'warn',
    });
    expect(c.encryptionKey!.toString('hex')).toBe(HEX32);
    expect(loadConfig({ KEYMINT_ENCRYPTION_KEY: Buffer.alloc(32, 7).toString('base64') }).encryptionKey).toEqual(Buffer.alloc(32, 7));
  });

  const bad: [Record<string, string>, string, RegExp][] = [
    [{ KEYMINT_PORT: 'eighty' }, 'KEYMINT_PORT', /whole number from 0 to 65535/],
    [{ KEYMINT_PORT: '70000' }, 'KEYMINT_PORT', /0 to 65535/],
    [{ KEYMINT_PORT: '80.5' }, 'KEYMINT_PORT', /whole number/],
    [{ KEYMINT_HOST: 'not a host!' }, 'KEYMINT_HOST', /IP address or host name/],
    [{ KEYMINT_DATABASE_URL: 'mysql://db/keymint' }, 'KEYMINT_DATABASE_URL', /sqlite:<path> or postgres:\/\//],
    [{ KEYMINT_DATABASE_URL: 'sqlite:' }, 'KEYMINT_DATABASE_URL', /sqlite:<path>/],
    [{ KEYMINT_REDIS_URL: 'localhost:6379' }, 'KEYMINT_REDIS_URL', /redis:\/\//],
    [{ KEYMINT_ROOT_KEY: 'hunter2' }, 'KEYMINT_ROOT_KEY', /mint-root-key/],
    [{ KEYMINT_AWS_ACCESS_KEY_ID: 'AKID' }, 'KEYMINT_AWS_SECRET_ACCESS_KEY', /together/],
    [{ KEYMINT_API_KEY_MAX_SECONDS_TO_LIVE: '-2' }, 'KEYMINT_API_KEY_MAX_SECONDS_TO_LIVE', /from -1/],
    [{ KEYMINT_ENCRYPTION_KEY: 'short' }, 'KEYMINT_ENCRYPTION_KEY', /32 random bytes/],
    [{ KEYMINT_DATABASE_URL: 'postgres://db/keymint' }, 'KEYMINT_ENCRYPTION_KEY', /required with PostgreSQL/],
    [{ KEYMINT_WEBHOOK_ALLOW_PRIVATE: 'yes' }, 'KEYMINT_WEBHOOK_ALLOW_PRIVATE', /true or false/],
    [{ KEYMINT_LOG_LEVEL: 'loud' }, 'KEYMINT_LOG_LEVEL', /one of fatal, error/],
  ];
  it.each(bad)('refuses %o naming %s', (env, name, accepts) => {
    expect(() => loadConfig(env)).toThrow(ConfigError);
    expect(() => loadConfig(env)).toThrow(name);
    expect(() => loadConfig(env)).toThrow(accepts);
  });

  it('never echoes a secret it refuses', () => {
    for (const env of [{ KEYMINT_ROOT_KEY: 'km_root_secretish' }, { KEYMINT_ENCRYPTION_KEY: 'secretish' }, { KEYMINT_REDIS_URL: 'secretish' }, { KEYMINT_DATABASE_URL: 'postgress://keymint:secretish@db/keymint' }]) {
      expect(() => loadConfig(env)).toThrow(/^(?!.*secretish)/s);
    }
  });
});
