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

// A header line: a token name, the colon right after it, a value of tab and printable ASCII (its surrounding
// spaces and tabs are not part of it).
const HEADER = /^([!#$%&'*+\-.^_`|~0-9A-Za-z]+):[ \t]*((?:[\t\x20-\x7e]*[\x21-\x7e])?)[ \t]*$/;
const REQUEST_LINE = /^[\x21-\x7e]+ [\x21-\x7e]+ HTTP\/1\.[01]$/;

/** The head at the start of `buf`; `partial` while it may still arrive whole within `maxHead` bytes. */
export function readHead(buf: Buffer, maxHead: number): RequestHead | 'partial' | 'other' {
  const end = buf.indexOf('\r\n\r\n');
  if (end < 0) return buf.length > maxHead ? 'other' : 'partial';
  if (end > maxHead) return 'other';
  // Split on CRLF, so a CR or LF left in a line is a bare one: neither pattern takes it.
  const lines = buf.toString('latin1', 0, end).split('\r\n');
  if (!REQUEST_LINE.test(lines[0])) return 'other';
  const headers: Record<string, string> = Object.create(null);
  for (let i = 1; i < lines.length; i++) {
    const m = HEADER.exec(lines[i]);
    if (m === null) return 'other';
    const name = m[1].toLowerCase();
    // node:http joins or picks among repeated headers by rules of its own: leave every repeat to it.
    if (headers[name] !== undefined) return 'other';
    headers[name] = m[2];
  }
  return { line: lines[0], headers, bodyStart: end + 4 };
}
