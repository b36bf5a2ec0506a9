// Where the CLI's HTTP commands go and with which credential: flags, then KEYMINT_URL / KEYMINT_TOKEN, then a
// profile file (KEYMINT_PROFILE_FILE, default ~/.config/keymint/profiles.json).
import { readFileSync } from 'node:fs';
import { homedir } from 'node:os';
import { join } from 'node:path';
import { UsageError } from './args.js';

export interface Connection {
  url: string;
  token: string;
}

export class HttpFailure extends Error {
  constructor(
    readonly status: number,
    message: string,
    readonly body: unknown,
  ) {
    super(message);
  }
}

export function profileFile(env: NodeJS.ProcessEnv): string {
  return env.KEYMINT_PROFILE_FILE ?? join(env.HOME ?? homedir(), '.config', 'keymint', 'profiles.json');
}

export function connection(flags: { url?: string; token?: string; profile?: string }, env: NodeJS.ProcessEnv): Connection {
  let profile: { url?: string; token?: string } = {};
  const name = flags.profile ?? env.KEYMINT_PROFILE;
  const file = profileFile(env);
  let all: Record<string, { url?: string; token?: string }> | null = null;
  try {
    all = JSON.parse(readFileSync(file, 'utf8'));
  } catch (e) {
    if (name !== undefined) throw new UsageError(`cannot read profile ${name} from ${file}: ${(e as Error).message}`);
  }
  if (all) {
    const chosen = all[name ?? 'default'];
    if (name !== undefined && !chosen) throw new UsageError(`no profile ${JSON.stringify(name)} in ${file}`);
    profile = chosen ?? {};
  }
  const url = flags.url ?? env.KEYMINT_URL ?? profile.url;
  const token = flags.token ?? env.KEYMINT_TOKEN ?? profile.token;
  if (!url) throw new UsageError('no server: set KEYMINT_URL (or --url, or a profile)');
  if (!token) throw new UsageError('no credential: set KEYMINT_TOKEN to a root key or an Admin key (or --token, or a profile)');
  return { url: url.replace(/\/+$/, ''), token };
}

/** One request; a non-2xx answer becomes an HttpFailure carrying the problem's detail. */
export async function call(c: Connection, method: string, path: string, body?: unknown): Promise<{ body: any; link: string | null }> {
  let res: Response;
  try {
    res = await fetch(c.url + path, {
      method,
      headers: { authorization: `Bearer ${c.token}`, ...(body !== undefined ? { 'content-type': 'application/json' } : {}) },
      body: body === undefined ? undefined : JSON.stringify(body),
    });
  } catch (e) {
    throw new HttpFailure(0, `cannot reach ${c.url}: ${(e as Error & { cause?: Error }).cause?.message ?? (e as Error).message}`, null);
  }
  const text = await res.text();
  const parsed = text ? safeJson(text) : null;
  if (!res.ok) {
    const detail = parsed && typeof parsed === 'object' && 'detail' in parsed ? String(parsed.detail) : text.slice(0, 200);
    const id = res.headers.get('x-request-id');
    throw new HttpFailure(res.status, `${res.status} ${detail}${id ? ` (request ${id})` : ''}`, parsed);
  }
  return { body: parsed, link: res.headers.get('link') };
}

function safeJson(text: string): unknown {
  try {
    return JSON.parse(text);
  } catch {
    return text;
  }
}
