// CRC-32 (IEEE, the same value as zlib's crc32) computed from a string's character codes: no copy to bytes and no
// call into C++. A key's checksum is checked on every verification, twice (the caller's key and the verified key).
const TABLE = new Int32Array(256);
for (let n = 0; n < 256; n++) {
  let c = n;
  for (let k = 0; k < 8; k++) c = c & 1 ? 0xedb88320 ^ (c >>> 1) : c >>> 1;
  TABLE[n] = c;
}

/** The CRC-32 of `s.slice(0, end)`; every character must be ASCII (its code is its UTF-8 byte). */
export function crc32Ascii(s: string, end = s.length): number {
  let c = -1;
  for (let i = 0; i < end; i++) c = TABLE[(c ^ s.charCodeAt(i)) & 0xff] ^ (c >>> 8);
  return (c ^ -1) >>> 0;
}
