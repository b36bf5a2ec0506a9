// `POST /v1/keys/verify` answered on the connection itself, in front of node:http and Fastify. A verification of a
// cached key costs a few microseconds; node:http's request and response objects and their streams cost about
// 12 µs a request on this machine, Fastify's pipeline more. So each new connection is read here first: a request
// that is the common verification (a strict HTTP/1.1 head, a JSON body within the limit, a Bearer caller that memory
// admits, a body the route's schema accepts) is answered here with the route's own validator, admission, verifier
// and answer, and the same status, headers and body. At the first request that is anything else (another route,
// bad input, a refused or locked caller, an error), the connection is handed to node:http with every byte not yet
// answered, for the rest of its life: Fastify then answers, words, counts and logs that request as always.
import type { Server } from 'node:http';
import type { Socket } from 'node:net';
import proxyAddr from '@fastify/proxy-addr';
import type { ValidateFunction } from 'ajv';
import type { Static } from 'typebox';
import type { Admitted } from '../../auth/admission.js';
import type { Keymint } from '../../keymint.js';
import { readHead } from '../../util/http-head.js';
import type { MaybePromise } from '../../util/maybe-promise.js';
import type { VerifyResult } from '../../verify/verifier.js';
import { leaveFailure } from './verify-handover.js';
import { verifyAs, VerifyBody, verifyGate } from './verify.js';

export interface FastPathOptions {
  /** The route's own body validator (the same Ajv settings as Fastify's). */
  validate: ValidateFunction;
  /** The app's request ids, shared with Fastify's `genReqId`. */
  nextId: () => string;
  /** Fastify's trustProxy setting: the client address is read the same way. */
  trustProxy: boolean | string;
  /** Fastify's bodyLimit: a longer body is Fastify's to refuse. */
  bodyLimit: number;
}

const PATH = '/v1/keys/verify';
const REQUEST_LINE = `POST ${PATH} HTTP/1.1`;
const RAW = { url: PATH };
const JSON_TYPES = new Set(['application/json', 'application/json; charset=utf-8']);
/** Longer heads go to node:http (its own limit is 16 KiB); a verification's head is a few hundred bytes. */
const MAX_HEAD = 8 * 1024;
/** Bytes of requests held behind one that waits for the store before the connection stops being read. */
const MAX_PENDING = 256 * 1024;
/** node:http's default `headersTimeout`: a request still incomplete after this long is dropped. */
const INCOMPLETE_MS = 60_000;

/** Fastify's reading of trustProxy (fastify/lib/request.js), for the values Keymint's config allows. */
function trustFn(trustProxy: boolean | string): ((addr: string, i: number) => boolean) | null {
  if (trustProxy === false) return null;
  if (trustProxy === true) return () => true;
  return proxyAddr.compile(trustProxy.split(',').map((s) => s.trim()));
}

/** Hand the connection over, with this failure for the route to answer (when verifying itself failed). */
class HandOver {
  constructor(readonly failure?: unknown) {}
}
const LONG_WAY = new HandOver();

type Answer = string | HandOver;

/** A request head this path answers, read: its bytes, headers, body length and the client's address. */
interface HeadRead {
  head: Buffer;
  headers: Record<string, string>;
  bodyStart: number;
  length: number;
  ip: string;
}

/** One connection read here: bytes not yet answered, and whether an answer is on its way. */
interface Connection {
  socket: Socket;
  buffered: Buffer | null;
  waiting: boolean;
  incompleteSince: number;
  /** The last request head answered here, kept to recognise the next one. */
  last: HeadRead | null;
  /** The client sent its last byte: the connection ends after the answers owed. */
  ended: boolean;
  listeners: [event: string, listener: (...args: any[]) => void][];
}

export class VerifyFastPath {
  /** Off while the app closes (Fastify answers 503 then) or when something must see every request (tracing, debug logs). */
  enabled = true;
  private readonly gate;
  private readonly trust;
  private readonly open = new Set<Connection>();
  private nodeConnection: (socket: Socket) => void = () => {};
  private keepAlive = '';
  private date = '';
  private dateSecond = 0;

  constructor(
    private readonly km: Keymint,
    private readonly options: FastPathOptions,
  ) {
    this.gate = verifyGate(km);
    this.trust = trustFn(options.trustProxy);
  }

  /** Reads each new connection of `server` before node:http does. */
  attach(server: Server): void {
    const [nodeListener] = server.listeners('connection') as ((socket: Socket) => void)[];
    server.removeListener('connection', nodeListener);
    this.nodeConnection = (socket) => nodeListener.call(server, socket);
    server.on('connection', (socket: Socket) => {
      if (!this.enabled) return this.nodeConnection(socket);
      this.keepAlive = `Connection: keep-alive\r\nKeep-Alive: timeout=${Math.floor(server.keepAliveTimeout / 1000)}\r\n`;
      const c: Connection = { socket, buffered: null, waiting: false, incompleteSince: 0, last: null, ended: false, listeners: [] };
      c.listeners = [
        [
          'data',
          (chunk: Buffer) => {
            c.buffered = c.buffered === null ? chunk : Buffer.concat([c.buffered, chunk]);
            if (!c.waiting) this.serve(c);
            // Requests that pile up behind one reading the store stop the reading until it is answered.
            else if (c.buffered.length > MAX_PENDING) socket.pause();
          },
        ],
        [
          'end',
          () => {
            c.ended = true;
            if (!c.waiting) socket.end();
          },
        ],
        ['timeout', () => socket.destroy()],
        ['error', () => socket.destroy()],
        ['close', () => this.open.delete(c)],
      ];
      this.open.add(c);
      // As node:http sets up its own connections (it serves responses after the client's end: allowHalfOpen).
      socket.setNoDelay(true);
      socket.setTimeout(server.keepAliveTimeout);
      for (const [event, listener] of c.listeners) socket.on(event, listener);
    });
  }

  /** For a closing app: idle connections end now, busy ones after their answer. */
  closeIdle(): void {
    this.enabled = false;
    for (const c of this.open) if (!c.waiting && c.buffered === null) c.socket.destroy();
  }

  /** Answers the complete requests buffered, in order, until one must wait or go the long way. */
  private serve(c: Connection): void {
    // The app is closing and this connection owes nothing: it ends once its last answer is out.
    if (!this.enabled && c.buffered === null && !c.waiting) c.socket.end(() => c.socket.destroy());
    while (c.buffered !== null) {
      if (!this.enabled) return this.handOver(c, LONG_WAY);
      if (c.socket.writableNeedDrain) return;
      const buf = c.buffered;
      const request = this.sameAsLast(c, buf) ?? this.read(c, buf);
      if (request === 'other') return this.handOver(c, LONG_WAY);
      if (request === 'partial' || buf.length < request.bodyStart + request.length) {
        // Wait for the rest (a head and its body often come in two writes), but not forever.
        const now = Date.now();
        if (c.incompleteSince === 0) c.incompleteSince = now;
        else if (now - c.incompleteSince > INCOMPLETE_MS) c.socket.destroy();
        return;
      }
      c.incompleteSince = 0;
      const end = request.bodyStart + request.length;
      let answer: MaybePromise<Answer>;
      try {
        answer = this.answer(request, buf.toString('utf8', request.bodyStart, end));
      } catch (e) {
        // Nothing here throws on any input we know of; if something does, the route answers and logs it.
        answer = new HandOver(e);
      }
      if (answer instanceof Promise) {
        c.waiting = true;
        answer.then((a) => this.finish(c, a, end), (e) => this.finish(c, new HandOver(e), end));
        return;
      }
      if (!this.send(c, answer, end)) return;
    }
  }

  /** A client sends the same head again and again (only its body changes): read once per connection. */
  private sameAsLast(c: Connection, buf: Buffer): HeadRead | null {
    const last = c.last;
    if (last === null || buf.length < last.bodyStart || buf.compare(last.head, 0, last.bodyStart, 0, last.bodyStart) !== 0) return null;
    return last;
  }

  /** The request at the start of `buf`, when its head is one this path answers. */
  private read(c: Connection, buf: Buffer): HeadRead | 'partial' | 'other' {
    const head = readHead(buf, MAX_HEAD);
    if (head === 'partial' || head === 'other') return head;
    const length = this.bodyLength(head.line, head.headers);
    if (length < 0) return 'other';
    const addrs = this.trust ? proxyAddr.all({ headers: head.headers, socket: c.socket } as never, this.trust) : null;
    const ip = addrs ? addrs[addrs.length - 1] : (c.socket.remoteAddress ?? '');
    return (c.last = { head: Buffer.from(buf.subarray(0, head.bodyStart)), headers: head.headers, bodyStart: head.bodyStart, length, ip });
  }

  private finish(c: Connection, answer: Answer, end: number): void {
    c.waiting = false;
    if (c.socket.destroyed) return;
    if (!this.send(c, answer, end)) return;
    if (c.socket.isPaused() && !c.socket.writableNeedDrain) c.socket.resume();
    this.serve(c);
    if (c.ended && !c.waiting) c.socket.end();
  }

  /** Writes an answer and drops its request's bytes; false when the connection went the long way instead. */
  private send(c: Connection, answer: Answer, end: number): boolean {
    if (answer instanceof HandOver) {
      this.handOver(c, answer);
      return false;
    }
    const buf = c.buffered!;
    c.buffered = end === buf.length ? null : buf.subarray(end);
    const written = c.socket.write(
      `HTTP/1.1 200 OK\r\nx-request-id: ${this.options.nextId()}\r\nx-content-type-options: nosniff\r\ncontent-type: application/json; charset=utf-8\r\ncontent-length: ${Buffer.byteLength(answer)}\r\nDate: ${this.utcDate()}\r\n${this.keepAlive}\r\n${answer}`,
    );
    this.km.metrics.fastPathAnswers++;
    // A client that sends without reading stops being read, and its pipelined requests wait, until it catches up
    // (as with node:http).
    if (!written) {
      c.socket.pause();
      c.socket.once('drain', () => {
        c.socket.resume();
        if (this.open.has(c) && !c.waiting) this.serve(c);
      });
    }
    return true;
  }

  /** The rest of the connection to node:http, starting with the request not answered here. */
  private handOver(c: Connection, how: HandOver): void {
    this.open.delete(c);
    const { socket, buffered } = c;
    for (const [event, listener] of c.listeners) socket.removeListener(event, listener);
    // The client ended while a verification read the store: node:http cannot take a connection whose end it did not
    // see (a stream takes nothing back after its end), so what is left goes unanswered, as after a cut connection.
    if (c.ended) return void socket.end();
    socket.setTimeout(0);
    if (how.failure !== undefined) leaveFailure(socket, how.failure);
    if (buffered !== null) socket.unshift(buffered);
    this.nodeConnection(socket);
  }

  /** The body's length when the head is one this path answers, else -1. */
  private bodyLength(line: string, h: Record<string, string>): number {
    if (line !== REQUEST_LINE || h.host === undefined || h.authorization === undefined) return -1;
    if (h['transfer-encoding'] !== undefined || h.expect !== undefined || h.upgrade !== undefined) return -1;
    if (h.connection !== undefined && h.connection.toLowerCase() !== 'keep-alive') return -1;
    if (!JSON_TYPES.has(h['content-type']?.toLowerCase() ?? '')) return -1;
    const length = h['content-length'];
    if (length === undefined || !/^[0-9]{1,9}$/.test(length)) return -1;
    const n = Number(length);
    return n > 0 && n <= this.options.bodyLimit ? n : -1;
  }

  /** The JSON answer, or the long way. */
  private answer({ headers, ip }: HeadRead, text: string): MaybePromise<Answer> {
    // Prototype poisoning is refused by Fastify's parser (secure-json-parse); a key never contains these words.
    if (text.includes('__proto__') || text.includes('constructor')) return LONG_WAY;
    let body: Static<typeof VerifyBody>;
    try {
      body = JSON.parse(text);
    } catch {
      return LONG_WAY;
    }
    if (!this.options.validate(body)) return LONG_WAY;
    const admitted = this.km.admission.admitUncounted({ ip, method: 'POST', headers, body, raw: RAW }, this.gate);
    return admitted instanceof Promise ? admitted.then((a) => this.verify(a, body)) : this.verify(admitted, body);
  }

  private verify(admitted: Admitted | null, body: Static<typeof VerifyBody>): MaybePromise<Answer> {
    if (admitted === null) return LONG_WAY;
    let result: MaybePromise<VerifyResult>;
    try {
      result = verifyAs(this.km, admitted.principal, body);
    } catch (e) {
      // A refusal (a lesser key, a bad client_ip) is thrown before anything is counted: the route throws it again
      // and words it, without verifying a second time.
      return new HandOver(e);
    }
    return result instanceof Promise ? result.then((r) => JSON.stringify(r)) : JSON.stringify(result);
  }

  /** The Date header, made once a second as node:http does. */
  private utcDate(): string {
    const now = Date.now();
    const second = now - (now % 1000);
    if (second !== this.dateSecond) {
      this.dateSecond = second;
      this.date = new Date(now).toUTCString();
    }
    return this.date;
  }
}
