// A strict reader of one HTTP/1.1 request head, for the verify fast path. It accepts only what it is sure of:
// CRLF line ends, printable ASCII, token header names, each header once. Anything else is `other`, and the caller
// leaves those bytes to node:http (llhttp), which answers them as it always does; so this reader can refuse
// freely but must never accept what llhttp would read differently.

export interface RequestHead {
  /** The request line, as sent (`POST /v1/keys/verify HTTP/1.1`). */
  line: string;
  /** Header names in lower case; no prototype, so a header named `constructor` is only a header. */
  headers: Record<string, string>;
  /** Where the body starts in the buffer. */
  bodyStart: number;
}

const TOKEN = /^[!#$%&'*+\-.^_`|~0-9A-Za-z]+$/;
// Anything but tab, space to tilde, and the CR LF pairs checked below.
const UNSAFE = /[^\t\x20-\x7e\r\n]|\r(?!\n)|(?<!\r)\n/;

/** The head at the start of `buf`; `partial` while it may still arrive whole within `maxHead` bytes. */
export function readHead(buf: Buffer, maxHead: number): RequestHead | 'partial' | 'other' {
  const end = buf.indexOf('\r\n\r\n');
  if (end < 0) return buf.length > maxHead ? 'other' : 'partial';
  if (end > maxHead) return 'other';
  const text = buf.toString('latin1', 0, end);
  if (UNSAFE.test(text)) return 'other';
  const lines = text.split('\r\n');
  const headers: Record<string, string> = Object.create(null);
  for (let i = 1; i < lines.length; i++) {
    const line = lines[i];
    const colon = line.indexOf(':');
    if (colon <= 0) return 'other';
    const name = line.slice(0, colon);
    if (!TOKEN.test(name)) return 'other';
    const lower = name.toLowerCase();
    // node:http joins or picks among repeated headers by rules of its own: leave every repeat to it.
    if (headers[lower] !== undefined) return 'other';
    headers[lower] = line.slice(colon + 1).replace(/^[ \t]+|[ \t]+$/g, '');
  }
  return { line: lines[0], headers, bodyStart: end + 4 };
}
