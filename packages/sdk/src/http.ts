// The typed fetch wrapper every resource goes through: JSON in and out, problems as KeymintError, 429 retried
// after Retry-After (bounded), and `Link: rel="next"` pages as async iterators.
import { KeymintError, type ProblemDetails } from './errors.js';
import type { paths } from './generated/openapi.js';

export type Method = 'get' | 'post' | 'put' | 'patch' | 'delete';

type Json<T> = T extends { content: { 'application/json': infer B } } ? B : never;
/** The operation at `P` for method `M`. */
export type Op<P extends keyof paths, M extends Method> = paths[P] extends Record<M, infer O> ? O : never;
/** Its JSON request body. */
export type BodyOf<O> = O extends { requestBody?: infer R } ? Json<NonNullable<R>> : never;
/** Its query parameters. */
export type QueryOf<O> = O extends { parameters: { query?: infer Q } } ? NonNullable<Q> : never;
/** Its path parameters. */
export type PathOf<O> = O extends { parameters: { path?: infer Q } } ? NonNullable<Q> : never;
/** Its success answer (200, 201 or 202; 204 is undefined). */
export type OkOf<O> = O extends { responses: infer R }
  ? 200 extends keyof R
    ? Json<R[200]>
    : 201 extends keyof R
      ? Json<R[201]>
      : 202 extends keyof R
        ? Json<R[202]>
        : undefined
  : never;

export interface RequestOptions<O> {
  params?: PathOf<O>;
  query?: QueryOf<O>;
  body?: BodyOf<O>;
  headers?: Record<string, string>;
  signal?: AbortSignal;
}

export interface HttpOptions {
  baseUrl: string;
  token: string;
  /** How many times a 429 is retried (default 3). */
  maxRetries?: number;
  /** A Retry-After longer than this is not waited for: the 429 is thrown (default 10 000 ms). */
  maxRetryDelayMs?: number;
  /** Aborts a request after this long (default 30 000 ms). */
  timeoutMs?: number;
  fetch?: typeof fetch;
  userAgent?: string;
}

const sleep = (ms: number) => new Promise((r) => setTimeout(r, ms));

/** Seconds from a Retry-After header (delta-seconds or an HTTP date). */
export function retryAfterSeconds(value: string | null, now = Date.now()): number | null {
  if (value === null) return null;
  if (/^\d+$/.test(value.trim())) return Number(value);
  const at = Date.parse(value);
  return Number.isFinite(at) ? Math.max(0, Math.ceil((at - now) / 1000)) : null;
}

export class Http {
  readonly baseUrl: string;
  private readonly fetch: typeof fetch;

  constructor(readonly options: HttpOptions) {
    if (!options.baseUrl) throw new TypeError('Keymint: baseUrl is required (for example http://127.0.0.1:8080)');
    if (!options.token) throw new TypeError('Keymint: token is required (a root key or an Admin key of a project)');
    this.baseUrl = options.baseUrl.replace(/\/+$/, '');
    this.fetch = options.fetch ?? globalThis.fetch.bind(globalThis);
  }

  url(path: string, params?: Record<string, unknown>, query?: Record<string, unknown>): string {
    const filled = path.replace(/\{(\w+)\}/g, (_, name: string) => {
      const v = params?.[name];
      if (v === undefined || v === null || v === '') throw new TypeError(`Keymint: ${name} is required`);
      return encodeURIComponent(String(v));
    });
    const qs = new URLSearchParams();
    for (const [k, v] of Object.entries(query ?? {})) {
      if (v === undefined || v === null) continue;
      for (const one of Array.isArray(v) ? v : [v]) qs.append(k, String(one));
    }
    const s = qs.toString();
    return `${this.baseUrl}${filled}${s ? `?${s}` : ''}`;
  }

  /** One raw request with retries on 429; throws KeymintError for any other non-2xx. */
  async fetchRaw(method: Method, url: string, body: unknown, headers: Record<string, string> = {}, signal?: AbortSignal): Promise<Response> {
    const maxRetries = this.options.maxRetries ?? 3;
    for (let attempt = 0; ; attempt++) {
      let res: Response;
      try {
        res = await this.fetch(url, {
          method: method.toUpperCase(),
          headers: {
            authorization: `Bearer ${this.options.token}`,
            accept: 'application/json',
            ...(body !== undefined ? { 'content-type': 'application/json' } : {}),
            ...(this.options.userAgent ? { 'user-agent': this.options.userAgent } : {}),
            ...headers,
          },
          body: body === undefined ? undefined : JSON.stringify(body),
          signal: signal ?? AbortSignal.timeout(this.options.timeoutMs ?? 30_000),
        });
      } catch (e) {
        throw new KeymintError(0, null, null, null, `Keymint: no answer from ${this.baseUrl}: ${(e as Error).message}`, { cause: e });
      }
      if (res.ok) return res;
      const requestId = res.headers.get('x-request-id');
      const wait = retryAfterSeconds(res.headers.get('retry-after'));
      if (res.status === 429 && attempt < maxRetries && wait !== null && wait * 1000 <= (this.options.maxRetryDelayMs ?? 10_000)) {
        await res.body?.cancel();
        await sleep(wait * 1000 + Math.random() * 100);
        continue;
      }
      const text = await res.text();
      let problem: ProblemDetails | null = null;
      try {
        const parsed = JSON.parse(text);
        if (parsed && typeof parsed === 'object' && 'status' in parsed && 'detail' in parsed) problem = parsed as ProblemDetails;
      } catch {
        // not JSON: the message says what came
      }
      throw new KeymintError(res.status, problem, requestId, wait, problem ? undefined : `HTTP ${res.status} from ${method.toUpperCase()} ${url}: ${text.slice(0, 200)}`);
    }
  }

  /** Any v1 route, typed from the OpenAPI document: `http.request('/v1/api-keys/{keyID}', 'get', { params: { keyID } })`. */
  async request<P extends keyof paths, M extends Method>(path: P, method: M, options: RequestOptions<Op<P, M>> = {}): Promise<OkOf<Op<P, M>>> {
    const res = await this.fetchRaw(method, this.url(path as string, options.params as never, options.query as never), options.body, options.headers, options.signal);
    if (res.status === 204) return undefined as OkOf<Op<P, M>>;
    return (await res.json()) as OkOf<Op<P, M>>;
  }

  /** A listing that pages with `Link: rel="next"`: awaited, the first page; iterated, every item of every page. */
  paged<P extends keyof paths>(path: P, options: RequestOptions<Op<P, 'get'>>): Paged<OkOf<Op<P, 'get'>> extends (infer T)[] ? T : never> {
    return new Paged(this, this.url(path as string, options.params as never, options.query as never));
  }
}

function nextLink(link: string | null): string | null {
  if (!link) return null;
  const m = /<([^>]+)>\s*;\s*rel="?next"?/.exec(link);
  return m ? m[1] : null;
}

/** One listing: `await` it for the first page, `for await` it for every item, `.pages()` for page by page. */
export class Paged<T> implements PromiseLike<T[]>, AsyncIterable<T> {
  constructor(
    private readonly http: Http,
    private readonly firstUrl: string,
  ) {}

  async *pages(): AsyncGenerator<T[]> {
    let url: string | null = this.firstUrl;
    while (url !== null) {
      const res: Response = await this.http.fetchRaw('get', url, undefined);
      yield (await res.json()) as T[];
      const next = nextLink(res.headers.get('link'));
      url = next === null ? null : new URL(next, this.http.baseUrl + '/').toString();
    }
  }

  async *[Symbol.asyncIterator](): AsyncGenerator<T> {
    for await (const page of this.pages()) yield* page;
  }

  then<A = T[], B = never>(onfulfilled?: ((value: T[]) => A | PromiseLike<A>) | null, onrejected?: ((reason: unknown) => B | PromiseLike<B>) | null): Promise<A | B> {
    return this.first().then(onfulfilled, onrejected);
  }

  private async first(): Promise<T[]> {
    const res = await this.http.fetchRaw('get', this.firstUrl, undefined);
    return (await res.json()) as T[];
  }
}
