// A server-sent events reader over fetch that reconnects by itself and resumes with Last-Event-ID, so a replica
// fed by it misses no change across a dropped connection.
import type { Http } from '../http.js';
import { KeymintError } from '../errors.js';

export interface StreamEvent {
  event: string;
  data: string;
  id: number | null;
}

export interface EventStreamOptions {
  /** The stream is taken for dead (and reopened) after this long without a byte (the server beats every 2 s). */
  idleMs: number;
  onEvent(e: StreamEvent): void;
  /** Connected (true) or lost (false); `error` says why it was lost. */
  onState(connected: boolean, error?: unknown): void;
  /** A refusal no retry can fix (401, 403, 404): the reader stops. */
  onFatal(e: KeymintError): void;
}

export class EventStream {
  /** The highest event id seen: sent as Last-Event-ID when reconnecting. */
  lastId: number | null = null;
  private stopped = false;
  private abort: AbortController | null = null;

  constructor(
    private readonly http: Http,
    private readonly url: string,
    private readonly options: EventStreamOptions,
  ) {}

  start(): void {
    void this.loop();
  }

  stop(): void {
    this.stopped = true;
    this.abort?.abort();
  }

  private async loop(): Promise<void> {
    let backoff = 100;
    while (!this.stopped) {
      try {
        await this.once();
        backoff = 100;
      } catch (e) {
        if (this.stopped) return;
        if (e instanceof KeymintError && [400, 401, 403, 404].includes(e.status)) {
          this.options.onState(false, e);
          this.options.onFatal(e);
          return;
        }
        this.options.onState(false, e);
      }
      if (this.stopped) return;
      await new Promise((r) => setTimeout(r, backoff));
      backoff = Math.min(backoff * 2, 2_000);
    }
  }

  private async once(): Promise<void> {
    const abort = new AbortController();
    this.abort = abort;
    let idle: ReturnType<typeof setTimeout> | null = null;
    const touch = () => {
      if (idle) clearTimeout(idle);
      idle = setTimeout(() => abort.abort(new Error(`no event for ${this.options.idleMs} ms`)), this.options.idleMs);
    };
    touch();
    try {
      const headers: Record<string, string> = { accept: 'text/event-stream' };
      if (this.lastId !== null) headers['last-event-id'] = String(this.lastId);
      const res = await this.http.fetchRaw('get', this.url, undefined, headers, abort.signal);
      this.options.onState(true);
      const reader = res.body!.pipeThrough(new TextDecoderStream()).getReader();
      // A snapshot event spans many chunks: they are kept as parts and joined once, at the event's end (appending to
      // one string and searching it would copy the whole event again for every chunk).
      let parts: string[] = [];
      let endsWithNewline = false;
      for (;;) {
        const { value, done } = await reader.read();
        if (done) break;
        touch();
        let start = 0;
        if (endsWithNewline && value.charCodeAt(0) === 10) {
          this.dispatch(parts.join('').slice(0, -1));
          parts = [];
          start = 1;
        }
        let cut: number;
        while ((cut = value.indexOf('\n\n', start)) >= 0) {
          parts.push(value.slice(start, cut));
          this.dispatch(parts.length === 1 ? parts[0] : parts.join(''));
          parts = [];
          start = cut + 2;
        }
        endsWithNewline = start < value.length && value.charCodeAt(value.length - 1) === 10;
        if (start < value.length) parts.push(start === 0 ? value : value.slice(start));
      }
      throw new Error('the key stream ended');
    } finally {
      if (idle) clearTimeout(idle);
    }
  }

  private dispatch(block: string): void {
    let event = 'message';
    let data = '';
    let id: number | null = null;
    for (const line of block.split('\n')) {
      if (line.startsWith(':')) continue;
      const colon = line.indexOf(':');
      const field = colon < 0 ? line : line.slice(0, colon);
      const value = colon < 0 ? '' : line.slice(colon + (line[colon + 1] === ' ' ? 2 : 1));
      if (field === 'event') event = value;
      else if (field === 'data') data = data ? `${data}\n${value}` : value;
      else if (field === 'id' && /^\d+$/.test(value)) id = Number(value);
    }
    if (id !== null && (this.lastId === null || id > this.lastId)) this.lastId = id;
    this.options.onEvent({ event, data, id });
  }
}
