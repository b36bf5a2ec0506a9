// Outgoing webhook requests that cannot be turned against the network Keymint runs in:
// the resolved address is checked when the socket connects (and the connection pinned to it,
// so DNS cannot answer differently a moment later), redirects are not followed, bodies are capped.
import { lookup as dnsLookup } from 'node:dns/promises';
import { isIP } from 'node:net';
import { Agent, buildConnector, request } from 'undici';
import { refusedAddressReason } from './address.js';

export interface ResolvedAddress {
  address: string;
  family: number;
}

/** Hostname -> addresses; injected in tests so no real DNS is asked. */
export type Resolver = (hostname: string) => Promise<ResolvedAddress[]>;

export const systemResolver: Resolver = (hostname) => dnsLookup(hostname, { all: true, verbatim: true });

export const MAX_RESPONSE_BYTES = 64 * 1024;
export const DEFAULT_TIMEOUT_MS = 15_000;

export interface SafeRequestOptions {
  /** Allow http and private/loopback addresses (KEYMINT_WEBHOOK_ALLOW_PRIVATE). */
  allowPrivate: boolean;
  timeoutMs: number;
  resolver: Resolver;
}

/** A request refused before any byte left Keymint. */
export class RefusedDestination extends Error {}

export interface PostResult {
  status: number;
  /** The first bytes of the answer (at most 64 KiB read). */
  bodyBytes: number;
}

/** Resolves, checks every address, answers the one to connect to. */
async function checkedAddress(hostname: string, options: SafeRequestOptions): Promise<string> {
  const host = hostname.replace(/^\[|\]$/g, '');
  const addresses = isIP(host) ? [{ address: host, family: isIP(host) }] : await options.resolver(host);
  if (addresses.length === 0) throw new RefusedDestination(`${host} did not resolve to any address`);
  if (!options.allowPrivate) {
    for (const a of addresses) {
      const reason = refusedAddressReason(a.address);
      if (reason !== null) {
        throw new RefusedDestination(`${host} resolves to ${a.address}, a ${reason} address: webhooks may only reach public addresses unless KEYMINT_WEBHOOK_ALLOW_PRIVATE=true`);
      }
    }
  }
  return addresses[0].address;
}

export class SafeWebhookClient {
  private readonly agent: Agent;

  constructor(readonly options: SafeRequestOptions) {
    const connectPlain = buildConnector({ timeout: options.timeoutMs });
    this.agent = new Agent({
      // Every new socket goes through the address check; `host` keeps the name for TLS SNI and certificate checks.
      connect: (opts, callback) => {
        checkedAddress(opts.hostname, this.options).then(
          (address) => connectPlain({ ...opts, hostname: address }, callback),
          (e: Error) => callback(e, null),
        );
      },
      headersTimeout: options.timeoutMs,
      bodyTimeout: options.timeoutMs,
      // One delivery per connection: a pooled socket would skip the connect-time check.
      pipelining: 0,
    });
  }

  /** POSTs `body`; any HTTP answer is a result (redirects included), a refused or failed connection throws. */
  async post(url: string, headers: Record<string, string>, body: string, signal?: AbortSignal): Promise<PostResult> {
    let u: URL;
    try {
      u = new URL(url);
    } catch {
      throw new RefusedDestination(`${url} is not an absolute URL`);
    }
    const schemes = this.options.allowPrivate ? ['https:', 'http:'] : ['https:'];
    if (!schemes.includes(u.protocol)) throw new RefusedDestination(`${u.protocol} URLs are refused: webhooks use https (http only when KEYMINT_WEBHOOK_ALLOW_PRIVATE=true)`);
    const timeout = AbortSignal.timeout(this.options.timeoutMs);
    const res = await request(u, {
      method: 'POST',
      headers: { 'content-type': 'application/json', 'user-agent': 'Keymint-Webhooks/1', connection: 'close', ...headers },
      body,
      dispatcher: this.agent,
      signal: signal ? AbortSignal.any([signal, timeout]) : timeout,
    });
    let bodyBytes = 0;
    try {
      for await (const chunk of res.body) {
        bodyBytes += (chunk as Buffer).length;
        if (bodyBytes >= MAX_RESPONSE_BYTES) break;
      }
    } catch {
      // The status is what counts; a body cut short does not change it.
    } finally {
      res.body.destroy();
    }
    return { status: res.statusCode, bodyBytes: Math.min(bodyBytes, MAX_RESPONSE_BYTES) };
  }

  close(): Promise<void> {
    return this.agent.close();
  }
}
