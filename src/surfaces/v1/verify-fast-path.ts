// `POST /v1/keys/verify` answered on node:http, in front of Fastify. A verification costs a few microseconds;
// Fastify's request pipeline (hooks, content-type parser, reply, serializer) costs several times that. This path
// answers the common request (JSON body, Bearer caller that memory admits, a body the route's schema accepts)
// with the route's own validator, admission and verifier, and the same status, headers and body. Anything else
// (bad input, a refused or locked caller, an error) goes to the Fastify route, with the body already read, so
// every refusal is worded, counted and logged in one place.
import type { IncomingMessage, ServerResponse } from 'node:http';
import proxyAddr from '@fastify/proxy-addr';
import type { ValidateFunction } from 'ajv';
import type { Admitted } from '../../auth/admission.js';
import type { Static } from 'typebox';
import type { Keymint } from '../../keymint.js';
import type { VerifyResult } from '../../verify/verifier.js';
import { handOver, setRequestId } from './verify-handover.js';
import { verifyAs, VerifyBody, verifyGate } from './verify.js';

export type RequestHandler = (req: IncomingMessage, res: ServerResponse) => void;

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
const JSON_TYPES = new Set(['application/json', 'application/json; charset=utf-8']);

/** Fastify's reading of trustProxy (fastify/lib/request.js), for the values Keymint's config allows. */
function trustFn(trustProxy: boolean | string): ((addr: string, i: number) => boolean) | null {
  if (trustProxy === false) return null;
  if (trustProxy === true) return () => true;
  return proxyAddr.compile(trustProxy.split(',').map((s) => s.trim()));
}

export class VerifyFastPath {
  /** Off while the app closes (Fastify answers 503 then) or when something must see every request (tracing, debug logs). */
  enabled = true;
  private readonly gate;
  private readonly trust;

  constructor(
    private readonly km: Keymint,
    private readonly options: FastPathOptions,
  ) {
    this.gate = verifyGate(km);
    this.trust = trustFn(options.trustProxy);
  }

  /** node:http's request handler: the fast path, else `next` (Fastify's). */
  handler(next: RequestHandler): RequestHandler {
    return (req, res) => {
      if (!this.enabled || req.method !== 'POST' || req.url !== PATH || !this.takes(req)) return next(req, res);
      // Ids follow arrival, as Fastify's do (it takes one when it routes a request, before its body is read).
      const id = setRequestId(req, this.options.nextId());
      const chunks: Buffer[] = [];
      req.on('data', (c: Buffer) => chunks.push(c));
      req.on('end', () => {
        const raw = chunks.length === 1 ? chunks[0] : Buffer.concat(chunks);
        const long = (failure?: unknown): void => {
          handOver(req, raw, failure);
          next(req, res);
        };
        try {
          this.answer(req, res, id, raw, long);
        } catch (e) {
          // Nothing here throws on any input we know of; if something does, the route answers and logs it.
          if (!res.headersSent) long(e);
        }
      });
    };
  }

  /** Decided from the headers alone, before the body is read. */
  private takes(req: IncomingMessage): boolean {
    const h = req.headers;
    const length = Number(h['content-length']);
    return h.authorization !== undefined && JSON_TYPES.has(h['content-type']?.toLowerCase() ?? '') && length > 0 && length <= this.options.bodyLimit && h['transfer-encoding'] === undefined;
  }

  private answer(req: IncomingMessage, res: ServerResponse, id: string, raw: Buffer, long: (failure?: unknown) => void): void {
    const text = raw.toString();
    // Prototype poisoning is refused by Fastify's parser (secure-json-parse); a key never contains these words.
    if (text.includes('__proto__') || text.includes('constructor')) return long();
    let body: Static<typeof VerifyBody>;
    try {
      body = JSON.parse(text);
    } catch {
      return long();
    }
    if (!this.options.validate(body)) return long();
    const addrs = this.trust ? proxyAddr.all(req, this.trust) : null;
    const ip = addrs ? addrs[addrs.length - 1] : (req.socket.remoteAddress ?? '');
    const admitted = this.km.admission.admitUncounted({ ip, method: 'POST', headers: req.headers, body, raw: req }, this.gate);
    if (admitted instanceof Promise) admitted.then((a) => this.verify(res, id, a, body, long)).catch((e) => !res.headersSent && long(e));
    else this.verify(res, id, admitted, body, long);
  }

  private verify(res: ServerResponse, id: string, admitted: Admitted | null, body: Static<typeof VerifyBody>, long: (failure?: unknown) => void): void {
    if (admitted === null) return long();
    let result;
    try {
      result = verifyAs(this.km, admitted.principal, body);
    } catch (e) {
      // A refusal (a lesser key, a bad client_ip) is thrown before anything is counted: the route throws it again
      // and words it, without verifying a second time.
      return long(e);
    }
    if (!(result instanceof Promise)) return this.send(res, id, result);
    result.then((r) => this.send(res, id, r)).catch((e) => !res.headersSent && long(e));
  }

  /** What the Fastify route sends for a verification (its headers, in its order). */
  private send(res: ServerResponse, id: string, result: VerifyResult): void {
    this.km.metrics.fastPathAnswers++;
    const payload = JSON.stringify(result);
    res.writeHead(200, {
      'x-request-id': id,
      'x-content-type-options': 'nosniff',
      'content-type': 'application/json; charset=utf-8',
      'content-length': Buffer.byteLength(payload),
    });
    res.end(payload);
  }
}
