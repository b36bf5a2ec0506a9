import { randomBytes } from 'node:crypto';

export const BASE62 = '0123456789ABCDEFGHIJKLMNOPQRSTUVWXYZabcdefghijklmnopqrstuvwxyz';
/** Character code -> digit value, -1 for a character that is not base62. */
const DIGITS = new Int8Array(128).fill(-1);
for (let i = 0; i < BASE62.length; i++) DIGITS[BASE62.charCodeAt(i)] = i;

/** The value of one base62 character (by its code), or -1. */
export function base62Digit(code: number): number {
  return code < 128 ? DIGITS[code] : -1;
}

/** `length` base62 characters from the CSPRNG. Bytes >= 248 are dropped so every character is equally likely (no modulo bias). */
export function randomBase62(length: number): string {
  let out = '';
  while (out.length < length) {
    for (const b of randomBytes(length + 8)) {
      if (b < 248) out += BASE62[b % 62];
      if (out.length === length) break;
    }
  }
  return out;
}

/** A non-negative integer as exactly `width` base62 digits, zero-padded. */
export function encodeBase62(n: number, width: number): string {
  let out = '';
  for (let i = 0; i < width; i++) {
    out = BASE62[n % 62] + out;
    n = Math.floor(n / 62);
  }
  return out;
}
