// What the verify fast path (verify-fast-path.ts) leaves on a connection it hands to node:http after its
// verification ended in an error: the route answers the same request (the first one node:http reads on that
// connection) with that error, without verifying twice.
import type { Socket } from 'node:net';

const failures = new WeakMap<Socket, unknown>();

export function leaveFailure(socket: Socket, failure: unknown): void {
  failures.set(socket, failure);
}

/** The failure left for this connection's next request, taken once. */
export function takeFailure(socket: Socket): unknown {
  const failure = failures.get(socket);
  failures.delete(socket);
  return failure;
}
