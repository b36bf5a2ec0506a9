// The verify fast path's reader of request heads: it must read a plain head as node:http does, and call anything
// it is not sure of `other` (node:http then reads it), never read such a head its own way.
import { describe, expect, it } from 'vitest';
import { readHead } from '../../src/util/http-head.js';

const head = (lines: string[], body = '') => Buffer.from(`${lines.join('\r\n')}\r\n\r\n${body}`, 'latin1');
const LINE = 'POST /v1/keys/verify HTTP/1.1';

describe('readHead', () => {
  it('reads a plain head: the request line, lower-case names, values without surrounding spaces, where the body starts', () => {
    const buf = head([LINE, 'Host: a', 'Content-Type:application/json ', 'X-Empty:', 'Constructor: c'], '{}');
    const h = readHead(buf, 8192);
    expect(h).toEqual({ line: LINE, headers: expect.anything(), bodyStart: buf.length - 2 });
    expect({ ...(h as { headers: object }).headers }).toEqual({ host: 'a', 'content-type': 'application/json', 'x-empty': '', constructor: 'c' });
    expect(Object.getPrototypeOf((h as { headers: object }).headers)).toBe(null);
  });

  it('waits for a head not yet whole, up to the limit', () => {
    expect(readHead(Buffer.from(`${LINE}\r\nHost: a\r\n`), 8192)).toBe('partial');
    expect(readHead(Buffer.from(`${LINE}\r\nHost: ${'a'.repeat(100)}`), 64)).toBe('other');
    expect(readHead(head([LINE, `Host: ${'a'.repeat(100)}`]), 64)).toBe('other');
  });

  it.each([
    ['a bare LF', [LINE, 'Host: a\nX: b']],
    ['a bare CR', [LINE, 'Host: a\rX: b']],
    ['a control character', [LINE, 'Host: a\x00']],
    ['a byte over 0x7e', [LINE, 'Host: \xe9']],
    ['a space before the colon', [LINE, 'Host : a']],
    ['a folded line', [LINE, 'Host: a', ' b']],
    ['a line without a colon', [LINE, 'Host']],
    ['a header twice', [LINE, 'Host: a', 'X-A: 1', 'x-a: 2']],
  ])('calls %s other', (_name, lines) => {
    expect(readHead(head(lines), 8192)).toBe('other');
  });
});
