// Key material: `<prefix>_<random><checksum>` (GitHub's token design).
// The checksum lets anyone reject a mistyped or forged-looking key without touching storage.
import { hash } from 'node:crypto';
import { crc32 } from 'node:zlib';
import { encodeBase62, isBase62, randomBase62 } from './base62.js';

export const DEFAULT_PREFIX = 'km';
export const ROOT_PREFIX = 'km_root';
/** 32 base62 characters carry 190.5 bits. */
export const RANDOM_LENGTH = 32;
export const CHECKSUM_LENGTH = 6;
const DISPLAY_RANDOM_CHARS = 8;
const PREFIX_RE = /^[A-Za-z][A-Za-z0-9]*(?:_[A-Za-z0-9]+)*$/;
export const MAX_PREFIX_LENGTH = 32;

export function isValidPrefix(prefix: string): boolean {
  return prefix.length <= MAX_PREFIX_LENGTH && PREFIX_RE.test(prefix);
}

export function checksum(prefixAndRandom: string): string {
  return encodeBase62(crc32(prefixAndRandom), CHECKSUM_LENGTH);
}

export interface MintedKey {
  plaintext: string;
  digest: string;
  displayPrefix: string;
}

export function mintKey(prefix = DEFAULT_PREFIX): MintedKey {
  const random = randomBase62(RANDOM_LENGTH);
  const head = `${prefix}_${random}`;
  const plaintext = head + checksum(head);
  return { plaintext, digest: digestKey(plaintext), displayPrefix: `${prefix}_${random.slice(0, DISPLAY_RANDOM_CHARS)}` };
}

export interface ParsedKey {
  prefix: string;
  random: string;
}

/** Structure and checksum only; null when the key cannot be one of ours. */
export function parseKey(key: string): ParsedKey | null {
  if (key.length > 200) return null;
  const cut = key.lastIndexOf('_');
  if (cut <= 0) return null;
  const prefix = key.slice(0, cut);
  const body = key.slice(cut + 1);
  if (body.length < RANDOM_LENGTH + CHECKSUM_LENGTH || !isBase62(body) || !isValidPrefix(prefix)) return null;
  const random = body.slice(0, -CHECKSUM_LENGTH);
  if (checksum(`${prefix}_${random}`) !== body.slice(-CHECKSUM_LENGTH)) return null;
  return { prefix, random };
}

export function digestKey(key: string): string {
  // One-shot: no Hash object per call (about 0.4 µs less, and done twice per verification).
  return hash('sha256', key, 'hex');
}
