// The CLI's HTTP commands (projects, envs, keys, audit, verifier-keys): each a call of the v1 API, printed as a table or --json.
// Exit codes: 0 done, 1 failed (the server refused, could not be reached, or a verified key is not valid), 2 usage.
import { readFileSync } from 'node:fs';
import { Args, parseArgs, UsageError } from './args.js';
import { call, type Connection, connection, HttpFailure } from './connection.js';
import { parseImportFile } from './import-file.js';
import { json, Progress, record, table } from './output.js';

interface Io {
  out: NodeJS.WriteStream;
  err: NodeJS.WriteStream;
  env: NodeJS.ProcessEnv;
}

interface Command {
  usage: string;
  summary: string;
  run(a: Args, c: () => Connection, io: Io): Promise<number>;
}

const KEY_COLUMNS = ['id', 'name', 'key_prefix', 'role', 'scopes', 'status', 'expires_at', 'environment_id'];
const q = encodeURIComponent;

/** Prints `value` as JSON, or through `human` for people. */
function show(a: Args, io: Io, value: unknown, human: (v: any) => string): number {
  io.out.write(a.json ? json(value) : human(value));
  return 0;
}

/** Every page of a listing (`Link: rel="next"`), or just the first. */
async function listAll(c: Connection, path: string, all: boolean): Promise<any[]> {
  const out: any[] = [];
  let next: string | null = path;
  while (next !== null) {
    const res: { body: any; link: string | null } = await call(c, 'GET', next);
    out.push(...res.body);
    const m = all && res.link ? /<([^>]+)>;\s*rel="next"/.exec(res.link) : null;
    next = m ? m[1] : null;
  }
  return out;
}

const COMMANDS: Record<string, Record<string, Command>> = {
  projects: {
    create: {
      usage: 'keymint projects create <name> [--json]',
      summary: 'create a project (root key)',
      async run(a, c, io) {
        const name = a.positional(0, 'name');
        a.done(1);
        return show(a, io, (await call(c(), 'POST', '/v1/projects', { name })).body, record);
      },
    },
    list: {
      usage: 'keymint projects list [--json]',
      summary: 'list projects (root key)',
      async run(a, c, io) {
        a.done(0);
        return show(a, io, (await call(c(), 'GET', '/v1/projects')).body, (v) => table(v, ['id', 'name', 'org_id', 'workspace_id', 'created_at']));
      },
    },
    get: {
      usage: 'keymint projects get <id> [--json]',
      summary: 'show a project',
      async run(a, c, io) {
        const id = a.positional(0, 'id');
        a.done(1);
        return show(a, io, (await call(c(), 'GET', `/v1/projects/${q(id)}`)).body, record);
      },
    },
    delete: {
      usage: 'keymint projects delete <id>',
      summary: 'delete a project; its keys stop verifying at once',
      async run(a, c, io) {
        const id = a.positional(0, 'id');
        a.done(1);
        await call(c(), 'DELETE', `/v1/projects/${q(id)}`);
        return show(a, io, { deleted: id }, () => `deleted project ${id}\n`);
      },
    },
  },
  envs: {
    create: {
      usage: 'keymint envs create --project <id> <name> [--key-prefix km_live] [--json]',
      summary: 'create an environment',
      async run(a, c, io) {
        const project = a.required('project', 'id');
        const name = a.positional(0, 'name');
        const prefix = a.flag('key-prefix');
        a.done(1);
        return show(a, io, (await call(c(), 'POST', `/v1/projects/${q(project)}/environments`, { name, ...(prefix ? { key_prefix: prefix } : {}) })).body, record);
      },
    },
    list: {
      usage: 'keymint envs list --project <id> [--json]',
      summary: 'list a project\'s environments',
      async run(a, c, io) {
        const project = a.required('project', 'id');
        a.done(0);
        return show(a, io, (await call(c(), 'GET', `/v1/projects/${q(project)}/environments`)).body, (v) => table(v, ['id', 'name', 'key_prefix', 'created_at']));
      },
    },
    delete: {
      usage: 'keymint envs delete --project <id> <env-id>',
      summary: 'delete an environment (refused while live keys use it)',
      async run(a, c, io) {
        const project = a.required('project', 'id');
        const env = a.positional(0, 'env-id');
        a.done(1);
        await call(c(), 'DELETE', `/v1/projects/${q(project)}/environments/${q(env)}`);
        return show(a, io, { deleted: env }, () => `deleted environment ${env}\n`);
      },
    },
  },
  keys: {
    create: {
      usage: 'keymint keys create --project <id> --name <name> [--scopes a,b] [--role None|Viewer|Editor|Admin] [--env <id>] [--expires-in-days N] [--json]',
      summary: 'create a key; its plaintext is printed once',
      async run(a, c, io) {
        const body: Record<string, unknown> = { project_id: a.required('project', 'id'), name: a.required('name', 'name') };
        const scopes = a.list('scopes');
        const role = a.flag('role');
        const env = a.flag('env');
        const days = a.integer('expires-in-days');
        if (scopes) body.scopes = scopes;
        if (role) body.role = role;
        if (env) body.environment_id = env;
        if (days !== undefined) body.expires_in_days = days;
        a.done(0);
        const created = (await call(c(), 'POST', '/v1/api-keys', body)).body;
        return show(a, io, created, (v) => `${record({ id: v.id, name: v.name, role: v.role, scopes: v.scopes, expires_at: v.expires_at })}\nkey: ${v.key}\n(shown once: store it now)\n`);
      },
    },
    list: {
      usage: 'keymint keys list --project <id> [--env <id>] [--include-revoked] [--limit N] [--all] [--json]',
      summary: 'list a project\'s keys, newest first (--all: every page)',
      async run(a, c, io) {
        const params = new URLSearchParams({ project_id: a.required('project', 'id') });
        const env = a.flag('env');
        const limit = a.integer('limit');
        if (env) params.set('environment_id', env);
        if (a.bool('include-revoked')) params.set('include_revoked', 'true');
        if (limit !== undefined) params.set('limit', String(limit));
        const all = a.bool('all');
        a.done(0);
        return show(a, io, await listAll(c(), `/v1/api-keys?${params}`, all), (v) => table(v, KEY_COLUMNS));
      },
    },
    get: {
      usage: 'keymint keys get <key-id> [--json]',
      summary: 'show a key',
      async run(a, c, io) {
        const id = a.positional(0, 'key-id');
        a.done(1);
        return show(a, io, (await call(c(), 'GET', `/v1/api-keys/${q(id)}`)).body, record);
      },
    },
    rotate: {
      usage: 'keymint keys rotate <key-id> [--grace-minutes N] [--json]',
      summary: 'rotate a key: a successor now, the old key valid for the grace period (default 60 minutes)',
      async run(a, c, io) {
        const id = a.positional(0, 'key-id');
        const grace = a.integer('grace-minutes');
        a.done(1);
        const r = (await call(c(), 'POST', `/v1/api-keys/${q(id)}/rotate`, grace === undefined ? {} : { grace_period_minutes: grace })).body;
        return show(a, io, r, (v) => `${record({ old_key_id: v.old_key_id, new_key_id: v.new_key_id, grace_expires_at: v.grace_expires_at })}\nkey: ${v.key}\n(shown once: store it now)\n`);
      },
    },
    revoke: {
      usage: 'keymint keys revoke <key-id>',
      summary: 'revoke a key at once',
      async run(a, c, io) {
        const id = a.positional(0, 'key-id');
        a.done(1);
        await call(c(), 'DELETE', `/v1/api-keys/${q(id)}`);
        return show(a, io, { revoked: id }, () => `revoked ${id}\n`);
      },
    },
    verify: {
      usage: 'keymint keys verify <key> [--scopes a,b] [--env <id>] [--json]',
      summary: 'verify a key (exit 1 when it is not valid)',
      async run(a, c, io) {
        const key = a.positional(0, 'key');
        const scopes = a.list('scopes');
        const env = a.flag('env');
        a.done(1);
        const r = (await call(c(), 'POST', '/v1/keys/verify', { key, ...(scopes ? { required_scopes: scopes } : {}), ...(env ? { environment_id: env } : {}) })).body;
        show(a, io, r, record);
        return r.valid ? 0 : 1;
      },
    },
    import: {
      usage: 'keymint keys import --project <id> <file.json|file.csv> [--env <id>] [--batch N] [--json]',
      summary: 'import keys of another system by SHA-256 digest (idempotent: safe to run again)',
      async run(a, c, io) {
        const project = a.required('project', 'id');
        const file = a.positional(0, 'file');
        const env = a.flag('env');
        const batch = a.integer('batch') ?? 500;
        if (batch < 1 || batch > 1000) throw new UsageError('--batch must be 1..1000');
        a.done(1);
        let text: string;
        try {
          text = readFileSync(file, 'utf8');
        } catch (e) {
          throw new UsageError(`cannot read ${file}: ${(e as Error).message}`);
        }
        const entries = parseImportFile(text, file);
        const conn = c();
        const progress = new Progress(entries.length, io.err);
        const summary = { total: entries.length, created: 0, existing: 0, failed: 0, errors: [] as string[] };
        progress.update(0);
        for (let i = 0; i < entries.length; i += batch) {
          const part = entries.slice(i, i + batch);
          try {
            const r = (await call(conn, 'POST', '/v1/api-keys/import', { project_id: project, ...(env ? { environment_id: env } : {}), keys: part })).body;
            summary.created += r.created;
            summary.existing += r.existing;
          } catch (e) {
            if (!(e instanceof HttpFailure) || e.status === 0 || e.status === 401 || e.status === 403 || e.status === 404) throw e;
            summary.failed += part.length;
            summary.errors.push(`entries ${i + 1}-${i + part.length}: ${e.message}`);
          }
          progress.update(Math.min(i + batch, entries.length));
        }
        show(a, io, summary, (s) => `imported ${s.total} keys: ${s.created} created, ${s.existing} already there, ${s.failed} failed\n${s.errors.map((m: string) => `  ${m}\n`).join('')}`);
        return summary.failed ? 1 : 0;
      },
    },
  },
  audit: {
    list: {
      usage: 'keymint audit [list] [--project <id>] [--limit N] [--all] [--json]',
      summary: 'who did what, newest first',
      async run(a, c, io) {
        const params = new URLSearchParams();
        const project = a.flag('project');
        const limit = a.integer('limit');
        if (project) params.set('project_id', project);
        if (limit !== undefined) params.set('limit', String(limit));
        const all = a.bool('all');
        a.done(0);
        const events = await listAll(c(), `/v1/audit-events?${params}`, all);
        return show(a, io, events, (v) =>
          table(v.map((e: any) => ({ ...e, actor: `${e.actor.type}:${e.actor.id}`, target: `${e.target.type}:${e.target.id}` })), ['at', 'action', 'actor', 'target', 'project_id', 'ip']),
        );
      },
    },
  },
  'verifier-keys': {
    create: {
      usage: 'keymint verifier-keys create (--project <id> | --all-projects) [--name <name>] [--json]',
      summary: 'create a verify-only key (root key): it verifies keys, and streams them for a local verifier; printed once',
      async run(a, c, io) {
        const project = a.flag('project');
        const everywhere = a.bool('all-projects');
        if ((project === undefined) === !everywhere) throw new UsageError('name one of --project <id> or --all-projects');
        const name = a.flag('name') ?? (project ? `verifier-${project}` : 'verifier-all-projects');
        a.done(0);
        const created = (await call(c(), 'POST', '/v1/verifier-keys', { name, project_id: project ?? null })).body;
        return show(a, io, created, (v) => `${record({ id: v.id, name: v.name, project_id: v.project_id ?? '(every project)', key_prefix: v.key_prefix })}\nkey: ${v.key}\n(shown once: store it now)\n`);
      },
    },
    list: {
      usage: 'keymint verifier-keys list [--project <id>] [--json]',
      summary: 'list live verifier keys, newest first (root key); --project: only that project\'s',
      async run(a, c, io) {
        const project = a.flag('project');
        a.done(0);
        // The route lists every verifier key; the filter is the CLI's (a project's list is short).
        const rows = ((await call(c(), 'GET', '/v1/verifier-keys')).body as any[]).filter((v) => project === undefined || v.project_id === project);
        return show(a, io, rows, (v) => table(v, ['id', 'name', 'project_id', 'key_prefix', 'created_at']));
      },
    },
    revoke: {
      usage: 'keymint verifier-keys revoke <id>',
      summary: 'revoke (delete) a verifier key: it stops working at once, on every node (root key)',
      async run(a, c, io) {
        const id = a.positional(0, 'id');
        a.done(1);
        await call(c(), 'DELETE', `/v1/verifier-keys/${q(id)}`);
        return show(a, io, { revoked: id }, () => `revoked verifier key ${id}\n`);
      },
    },
  },
};

/** Groups whose one command runs without naming it (`keymint audit`). */
const DEFAULT_SUB: Record<string, string> = { audit: 'list' };

export const HTTP_GROUPS = Object.keys(COMMANDS);

const CONNECTION_HELP = `Connection: --url and --token, else KEYMINT_URL and KEYMINT_TOKEN, else the profile named by --profile or
KEYMINT_PROFILE (default "default") in KEYMINT_PROFILE_FILE (default ~/.config/keymint/profiles.json), a JSON
object such as {"default": {"url": "http://127.0.0.1:8080", "token": "km_root_..."}}.
Output: tables; --json prints the API's JSON. Exit codes: 0 done, 1 failed, 2 usage.`;

export function groupHelp(group: string): string {
  const subs = COMMANDS[group];
  return `Usage: keymint ${group} <command>\n\n${Object.values(subs).map((s) => `  ${s.usage}\n      ${s.summary}`).join('\n')}\n\n${CONNECTION_HELP}\n`;
}

export function httpCommandsHelp(): string {
  return Object.entries(COMMANDS)
    .map(([g, subs]) => `  ${g.padEnd(14)}  ${Object.keys(subs).join(', ')}`)
    .join('\n');
}

/** Runs `keymint <group> ...`; returns the exit code. */
export async function runHttpCommand(group: string, argv: string[], io: Io): Promise<number> {
  const subs = COMMANDS[group];
  let sub = argv[0] && !argv[0].startsWith('-') ? argv[0] : undefined;
  let rest = sub ? argv.slice(1) : argv;
  if (sub && !subs[sub] && DEFAULT_SUB[group]) {
    sub = undefined;
    rest = argv;
  }
  sub ??= DEFAULT_SUB[group];
  const wantsHelp = rest.includes('--help') || rest.includes('-h');
  if (!sub || !subs[sub]) {
    if (wantsHelp || sub === 'help' || !sub) {
      (wantsHelp || sub === 'help' ? io.out : io.err).write(groupHelp(group));
      return wantsHelp || sub === 'help' ? 0 : 2;
    }
    io.err.write(`keymint ${group}: unknown command ${JSON.stringify(sub)}\n\n${groupHelp(group)}`);
    return 2;
  }
  const command = subs[sub];
  if (wantsHelp) {
    io.out.write(`Usage: ${command.usage}\n\n${command.summary}\n\n${CONNECTION_HELP}\n`);
    return 0;
  }
  let args: Args;
  try {
    args = new Args(parseArgs(rest));
    const flags = { url: args.flag('url'), token: args.flag('token'), profile: args.flag('profile') };
    return await command.run(args, () => connection(flags, io.env), io);
  } catch (e) {
    if (e instanceof UsageError) {
      io.err.write(`keymint ${group} ${sub}: ${e.message}\nUsage: ${command.usage}\n`);
      return 2;
    }
    if (e instanceof HttpFailure) {
      io.err.write(`keymint ${group} ${sub}: ${e.message}\n`);
      return 1;
    }
    throw e;
  }
}
