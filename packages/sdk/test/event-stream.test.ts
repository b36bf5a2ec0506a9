// The event stream reader against a real HTTP server that sends the same events cut into chunks at every place
// (inside a field, between the two newlines that end an event, right after them): the events come out whole.
import { createServer, type Server } from 'node:http';
import type { AddressInfo } from 'node:net';
import { afterAll, beforeAll, expect, it } from 'vitest';
import { Http } from '../src/http.js';
import { EventStream, type StreamEvent } from '../src/local/event-stream.js';

const TEXT = 'event: reset\ndata: {}\n\n' + `event: keys\ndata: ${JSON.stringify([['ab'.repeat(32), 'key_1', null, 'n\\n', 'None', '[]', null, null, 0]])}\n\n` + 'id: 7\nevent: ready\ndata: {}\n\n';
let server: Server;
let baseUrl: string;

beforeAll(async () => {
  // GET /?cut=N sends TEXT in two writes, the first N characters then the rest, a moment apart; then holds the line.
  server = createServer((req, res) => {
    const cut = Number(new URL(req.url!, 'http://x').searchParams.get('cut'));
    res.writeHead(200, { 'content-type': 'text/event-stream' });
    res.write(TEXT.slice(0, cut));
    setTimeout(() => res.write(TEXT.slice(cut)), 5);
  });
  await new Promise<void>((r) => server.listen(0, '127.0.0.1', r));
  baseUrl = `http://127.0.0.1:${(server.address() as AddressInfo).port}`;
});
afterAll(() => {
  server.closeAllConnections();
  server.close();
});

it('reads whole events wherever the chunks are cut', async () => {
  const http = new Http({ baseUrl, token: 'km_unused' });
  for (let cut = 1; cut < TEXT.length; cut++) {
    const events: StreamEvent[] = [];
    await new Promise<void>((resolve, reject) => {
      const stream = new EventStream(http, `${baseUrl}/?cut=${cut}`, {
        idleMs: 5_000,
        onEvent: (e) => {
          events.push(e);
          if (e.event === 'ready') {
            stream.stop();
            resolve();
          }
        },
        onState: () => {},
        onFatal: reject,
      });
      stream.start();
    });
    expect(events.map((e) => e.event), `cut at ${cut}`).toEqual(['reset', 'keys', 'ready']);
    expect(JSON.parse(events[1].data)[0][3], `cut at ${cut}`).toBe('n\\n');
    expect(events[2].id).toBe(7);
  }
});
