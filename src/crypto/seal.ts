// AES-256-GCM for secrets held at rest (webhook signing secrets, pending successors, AWS secrets).
import { createCipheriv, createDecipheriv, randomBytes } from 'node:crypto';
import { readFileSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { parseEncryptionKey } from '../config.js';

export interface Sealer {
  seal(plaintext: string): string;
  open(sealed: string): string;
}

/** Output: `v1.<iv>.<tag>.<ciphertext>`, each base64url. */
export function sealer(key: Buffer): Sealer {
  return {
    seal(plaintext) {
      const iv = randomBytes(12);
      const c = createCipheriv('aes-256-gcm', key, iv);
      const body = Buffer.concat([c.update(plaintext, 'utf8'), c.final()]);
      return ['v1', iv, c.getAuthTag(), body].map((p) => (typeof p === 'string' ? p : p.toString('base64url'))).join('.');
    },
    open(sealed) {
      const [v, iv, tag, body] = sealed.split('.');
      if (v !== 'v1' || !iv || !tag || body === undefined) throw new Error('not a sealed value');
      const d = createDecipheriv('aes-256-gcm', key, Buffer.from(iv, 'base64url'));
      d.setAuthTag(Buffer.from(tag, 'base64url'));
      return Buffer.concat([d.update(Buffer.from(body, 'base64url')), d.final()]).toString('utf8');
    },
  };
}

/** The SQLite default: a key generated once into the data folder, readable by its owner only. */
export function dataFolderKey(dataDir: string): Buffer {
  const path = join(dataDir, 'encryption.key');
  try {
    // 'wx': when two processes start together, the first one's key wins.
    writeFileSync(path, randomBytes(32).toString('hex') + '\n', { mode: 0o600, flag: 'wx' });
  } catch (e) {
    if ((e as NodeJS.ErrnoException).code !== 'EEXIST') throw e;
  }
  return parseEncryptionKey(readFileSync(path, 'utf8').trim(), path);
}
