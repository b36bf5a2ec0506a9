// What the verify fast path (verify-fast-path.ts) leaves on a request it hands to Fastify: its request id (taken
// when the request arrived), the body it already read from the socket, and the error its verification ended in
// (so the route answers it without verifying twice).
import type { IncomingMessage } from 'node:http';
import { PassThrough, type Readable } from 'node:stream';

const ID = Symbol('keymint.requestId');
const BODY = Symbol('keymint.verifyBody');
const FAILURE = Symbol('keymint.verifyFailure');

type HandedOver = IncomingMessage & { [ID]?: string; [BODY]?: Buffer; [FAILURE]?: unknown };

export function setRequestId(req: IncomingMessage, id: string): string {
  return ((req as HandedOver)[ID] = id);
}

/** The id the fast path gave a request, for Fastify's `genReqId`. */
export function requestIdOf(req: IncomingMessage): string | undefined {
  return (req as HandedOver)[ID];
}

export function handOver(req: IncomingMessage, body: Buffer, failure?: unknown): void {
  (req as HandedOver)[BODY] = body;
  if (failure !== undefined) (req as HandedOver)[FAILURE] = failure;
}

/** The body as a stream for Fastify's parser, when the fast path read it. */
export function bodyReadBy(req: IncomingMessage): Readable | undefined {
  const body = (req as HandedOver)[BODY];
  if (body === undefined) return undefined;
  const stream = new PassThrough();
  stream.end(body);
  return stream;
}

export function failureOf(req: IncomingMessage): unknown {
  return (req as HandedOver)[FAILURE];
}
