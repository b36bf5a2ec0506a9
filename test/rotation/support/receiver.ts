// A real webhook receiver on 127.0.0.1: verifies each delivery with `standardwebhooks`, answers as
// the test scripts it, and (like a careful receiver) processes each webhook-id once.
import { createServer, type IncomingMessage, type ServerResponse } from 'node:http';
import type { AddressInfo } from 'node:net';
import { Webhook } from 'standardwebhooks';

export interface Received {
  path: string;
  headers: Record<string, string>;
  body: string;
  /** The parsed event, when the signature verified; null when it did not. */
  event: any | null;
  verifyError: string | null;
  /** The status this receiver answered (null: it never answered). */
  answered: number | null;
}

/** What to do with one request: a status (and headers), or `hang` to never answer. */
export type Answer = { status: number; headers?: Record<string, string>; body?: string } | 'hang';
export type Script = (r: Received, index: number) => Answer | Promise<Answer>;

export interface Receiver {
  url: string;
  secret: string | null;
  /** Secrets by old_key_id, for a receiver shared by several keys. */
  secrets: Map<string, string>;
  received: Received[];
  /** webhook-ids answered with a 2xx, once each: what the receiver acted on. */
  processed: Map<string, any>;
  script: Script;
  /** Polls until `pred` holds (deadline, not a fixed sleep). */
  waitFor(pred: () => boolean, what: string, ms?: number): Promise<void>;
  close(): Promise<void>;
}

export async function waitUntil(pred: () => boolean | Promise<boolean>, what: string, ms = 20_000): Promise<void> {
  const deadline = Date.now() + ms;
  while (!(await pred())) {
    if (Date.now() > deadline) throw new Error(`timed out waiting for ${what}`);
    await new Promise((r) => setTimeout(r, 25));
  }
}

export async function startReceiver(script: Script = () => ({ status: 200 })): Promise<Receiver> {
  const hung: ServerResponse[] = [];
  const r: Receiver = {
    url: '',
    secret: null,
    secrets: new Map(),
    received: [],
    processed: new Map(),
    script,
    waitFor: (pred, what, ms) => waitUntil(pred, what, ms),
    async close() {
      for (const res of hung) res.socket?.destroy();
      server.closeAllConnections();
      await new Promise((ok) => server.close(() => ok(undefined)));
    },
  };
  const server = createServer(async (req: IncomingMessage, res: ServerResponse) => {
    const chunks: Buffer[] = [];
    for await (const c of req) chunks.push(c as Buffer);
    const body = Buffer.concat(chunks).toString('utf8');
    const headers = Object.fromEntries(Object.entries(req.headers).map(([k, v]) => [k, String(v)]));
    const rec: Received = { path: req.url ?? '', headers, body, event: null, verifyError: null, answered: null };
    try {
      const secret = r.secret ?? r.secrets.get(JSON.parse(body)?.data?.old_key_id) ?? '';
      rec.event = new Webhook(secret).verify(body, headers);
    } catch (e) {
      rec.verifyError = (e as Error).message;
    }
    const index = r.received.push(rec) - 1;
    const answer = await r.script(rec, index);
    if (answer === 'hang') {
      hung.push(res);
      return;
    }
    rec.answered = answer.status;
    if (answer.status >= 200 && answer.status < 300 && rec.event && !r.processed.has(headers['webhook-id'])) {
      r.processed.set(headers['webhook-id'], rec.event);
    }
    res.writeHead(answer.status, answer.headers);
    res.end(answer.body ?? '');
  });
  await new Promise<void>((ok) => server.listen(0, '127.0.0.1', ok));
  r.url = `http://127.0.0.1:${(server.address() as AddressInfo).port}`;
  return r;
}
