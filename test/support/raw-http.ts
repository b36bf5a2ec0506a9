// HTTP/1.1 over a plain TCP connection, byte for byte: for what a client library hides (pipelining, a request in
// pieces, the exact response head, the connection closing).
import net from 'node:net';

export interface RawResponse {
  status: number;
  /** Header lines as sent, in order: [name, value]. */
  lines: [string, string][];
  headers: Record<string, string>;
  body: string;
}

export interface RawConnection {
  /** Sends bytes as they are (one write). */
  write(bytes: string): void;
  /** The next `n` responses, in order (bodies by Content-Length). */
  responses(n: number, timeoutMs?: number): Promise<RawResponse[]>;
  /** Resolves when the server closed the connection. */
  closed: Promise<void>;
  end(): void;
  destroy(): void;
}

export async function rawConnect(base: string): Promise<RawConnection> {
  const { hostname, port } = new URL(base);
  const socket = net.connect(Number(port), hostname);
  await new Promise<void>((resolve, reject) => socket.once('connect', resolve).once('error', reject));
  // Each write its own segment, so a test decides how a request arrives.
  socket.setNoDelay(true);
  let received = Buffer.alloc(0);
  let wake = () => {};
  socket.on('data', (chunk: Buffer) => {
    received = Buffer.concat([received, chunk]);
    wake();
  });
  const closed = new Promise<void>((resolve) => socket.once('close', () => resolve()));
  closed.then(() => wake());
  socket.on('error', () => {});

  /** One whole response at the start of `received`, taken off it. */
  function take(): RawResponse | null {
    const end = received.indexOf('\r\n\r\n');
    if (end < 0) return null;
    const [statusLine, ...rest] = received.toString('latin1', 0, end).split('\r\n');
    const lines = rest.map((l) => [l.slice(0, l.indexOf(':')), l.slice(l.indexOf(':') + 1).trim()] as [string, string]);
    const headers = Object.fromEntries(lines.map(([n, v]) => [n.toLowerCase(), v]));
    const length = Number(headers['content-length'] ?? 0);
    if (received.length < end + 4 + length) return null;
    const body = received.toString('utf8', end + 4, end + 4 + length);
    received = received.subarray(end + 4 + length);
    return { status: Number(statusLine.split(' ')[1]), lines, headers, body };
  }

  return {
    write: (bytes) => void socket.write(bytes),
    async responses(n, timeoutMs = 5_000) {
      const out: RawResponse[] = [];
      const deadline = Date.now() + timeoutMs;
      while (out.length < n) {
        const r = take();
        if (r) {
          out.push(r);
          continue;
        }
        if (socket.destroyed || Date.now() > deadline) throw new Error(`${out.length} of ${n} responses before ${socket.destroyed ? 'the connection closed' : 'the timeout'}`);
        await new Promise<void>((resolve) => {
          wake = resolve;
          setTimeout(resolve, 50);
        });
      }
      return out;
    },
    closed,
    end: () => socket.end(),
    destroy: () => socket.destroy(),
  };
}

/** A request's bytes; Content-Length is added for a body. */
export function rawRequest(method: string, path: string, headers: Record<string, string>, body = ''): string {
  const all = { host: 'keymint.test', ...headers, ...(body ? { 'content-length': String(Buffer.byteLength(body)) } : {}) };
  return `${method} ${path} HTTP/1.1\r\n${Object.entries(all)
    .map(([n, v]) => `${n}: ${v}\r\n`)
    .join('')}\r\n${body}`;
}
