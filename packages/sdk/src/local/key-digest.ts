// A Keymint key's shape and digest, as the server decides them (src/keys/material.ts there): the SDK cannot import
// server code, so the few rules live here too, and a test holds both to the same answers.
import { hash } from 'node:crypto';

const BASE62 = '0123456789ABCDEFGHIJKLMNOPQRSTUVWXYZabcdefghijklmnopqrstuvwxyz';
const DIGITS = new Int8Array(128).fill(-1);
for (let i = 0; i < BASE62.length; i++) DIGITS[BASE62.charCodeAt(i)] = i;

const CRC_TABLE = new Int32Array(256);
for (let n = 0; n < 256; n++) {
  let c = n;
  for (let k = 0; k < 8; k++) c = c & 1 ? 0xedb88320 ^ (c >>> 1) : c >>> 1;
  CRC_TABLE[n] = c;
}

const RANDOM_LENGTH = 32;
const CHECKSUM_LENGTH = 6;
const MAX_PREFIX_LENGTH = 32;
const PREFIX_RE = /^[A-Za-z][A-Za-z0-9]*(?:_[A-Za-z0-9]+)*$/;

/** `<prefix>_<random><checksum>` with a good CRC-32 checksum: could be a Keymint key (MALFORMED otherwise). */
export function isWellFormedKey(key: string): boolean {
  if (key.length > 200) return false;
  const cut = key.lastIndexOf('_');
  if (cut <= 0 || key.length - cut - 1 < RANDOM_LENGTH + CHECKSUM_LENGTH) return false;
  if (cut > MAX_PREFIX_LENGTH || !PREFIX_RE.test(key.slice(0, cut))) return false;
  const end = key.length - CHECKSUM_LENGTH;
  let claimed = 0;
  for (let i = cut + 1; i < key.length; i++) {
    const code = key.charCodeAt(i);
    const digit = code < 128 ? DIGITS[code] : -1;
    if (digit < 0) return false;
    if (i >= end) claimed = claimed * 62 + digit;
  }
  let c = -1;
  for (let i = 0; i < end; i++) c = CRC_TABLE[(c ^ key.charCodeAt(i)) & 0xff] ^ (c >>> 8);
  return ((c ^ -1) >>> 0) === claimed;
}

/** The digest Keymint stores and streams: lowercase hex SHA-256 of the whole key. */
export function keyDigest(key: string): string {
  return hash('sha256', key, 'hex');
}
