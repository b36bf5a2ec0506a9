// GET /v1/keys/stream: a project's keys as server-sent events (a snapshot, then every change), so a local verifier
// in the caller's process answers from a replica and still hears of a revocation within a second.
import type { FastifyPluginAsyncTypebox } from '@fastify/type-provider-typebox';
import type { ServerResponse } from 'node:http';
import { Type } from 'typebox';
import type { Keymint } from '../../keymint.js';
import type { ChangeRow } from '../../verify/change-feed.js';
import { changesAfter, keysByDigest, latestSeq, snapshotPages } from '../../verify/replica-source.js';
import { principalOf } from './context.js';
import { Id, problems } from './schemas.js';

/** A heartbeat this often lets a client tell a quiet stream from a dead one. */
export const HEARTBEAT_MS = 2_000;

const DESCRIPTION = `Server-sent events (\`text/event-stream\`) for a local verifier's replica of the project's keys: digests and states, never plaintext. Allowed to the root key, the project's Admin keys and a verifier key of the project (or of every project), so a service can run a local verifier on a verify-only credential.

Events, in order:
- \`reset\` (data \`{}\`): forget every key held; a snapshot follows.
- \`keys\` (data: an array of up to 5000 snapshot rows): part of a snapshot, or the whole project again after the project changed.
- \`ready\` (with an \`id\`): the snapshot (or the replay of a resumed stream) is complete; the replica is current.
- \`key\` (with an \`id\`, data: one key state): a key was created, changed, revoked or rotated.
- \`heartbeat\` (every ${HEARTBEAT_MS / 1000} s, data \`{"at"}\`): the stream is alive.

A key state (a \`key\` event) is \`{"digest","id","environment_id","name","role","scopes","expires_at","revoked_at","replaced_by_key_id","grace_expires_at","http_only"}\`; \`digest\` is the lowercase hex SHA-256 of the whole key. A snapshot row (in \`keys\`) is the same key, positional and compact for projects of millions of keys: \`[digest, id, environment_id, name, role, scopes, expires_at, grace_expires_at, flags]\`, where \`scopes\` is a JSON array as text, the instants are milliseconds since the epoch (or null), and \`flags\` adds 1 (revoked), 2 (replaced by a rotation) and 4 (\`http_only\`). \`http_only\` keys must be verified with POST /v1/keys/verify: keys with a rate limit or credits (every verification is counted or spent by the server), an IP allowlist (only the server sees the caller's address) or meta (not streamed), and keys of an identity (the stream does not carry the identity's state, so only the server answers \`DISABLED\` and the \`identity\`). A key verified from a replica has \`meta\`, \`credits\` and \`identity\` null.

Resume after a disconnect with \`Last-Event-ID\` set to the highest event id received: the changes since are replayed (a change may come twice; each carries the key's whole state). When that id is too old (changes are kept an hour), the stream starts again with \`reset\`.`;

function frame(event: string, data: unknown, id?: number): string {
  return `${id !== undefined ? `id: ${id}\n` : ''}event: ${event}\ndata: ${JSON.stringify(data)}\n\n`;
}

export const keyStreamRoutes =
  (km: Keymint): FastifyPluginAsyncTypebox =>
  async (app) => {
    const open = new Set<ServerResponse>();
    // Open streams would hold app.close() forever: end them first.
    app.addHook('preClose', async () => {
      for (const raw of open) raw.end();
    });

    app.get(
      '/keys/stream',
      {
        schema: {
          tags: ['verification'],
          summary: 'Stream a project\'s key digests and states (server-sent events), for local verification',
          description: DESCRIPTION,
          querystring: Type.Object({ project_id: Id }),
          headers: Type.Object({ 'last-event-id': Type.Optional(Type.String({ pattern: '^[0-9]{1,15}$', description: 'The highest event id received before a disconnect' })) }),
          response: {
            200: { description: 'An endless event stream', content: { 'text/event-stream': { schema: Type.String() } } },
            ...problems(400, 401, 403, 404),
          },
        },
        // One long request: no access-log line per heartbeat, and the serializer is never used.
        config: { verifierKeys: true },
        logLevel: app.log.level === 'info' ? 'warn' : undefined,
      },
      async (request, reply) => {
        const projectId = request.query.project_id;
        km.keys.requireVerifierOrManager(principalOf(request), projectId);
        await km.projects.get(projectId);
        const resumeAfter = request.headers['last-event-id'] === undefined ? null : Number(request.headers['last-event-id']);

        reply.hijack();
        const raw = reply.raw;
        raw.writeHead(200, { 'content-type': 'text/event-stream', 'cache-control': 'no-store', 'x-accel-buffering': 'no', connection: 'keep-alive' });
        open.add(raw);
        let closed = false;
        const write = async (text: string) => {
          if (closed) return;
          if (raw.write(text)) return;
          await new Promise<void>((resolve) => {
            const done = () => {
              raw.off('drain', done).off('close', done);
              resolve();
            };
            raw.on('drain', done).on('close', done);
          });
        };

        const sendProject = async (id?: number) => {
          let last: string | null = null;
          for await (const page of snapshotPages(km.store, projectId)) {
            if (last !== null) await write(`event: keys\ndata: ${last}\n\n`);
            last = JSON.stringify(page);
          }
          // The last page carries the event id, so a client that has it has the whole project.
          await write(`${id !== undefined ? `id: ${id}\n` : ''}event: keys\ndata: ${last ?? '[]'}\n\n`);
        };

        /** Sends what these changes did to this project's keys, in their order. */
        const apply = async (rows: ChangeRow[]) => {
          const digests = rows.filter((r) => r.kind === 'key').map((r) => r.ref);
          const keys = digests.length ? await keysByDigest(km.store, projectId, digests) : new Map();
          for (const r of rows) {
            if (r.kind === 'project' && r.ref === projectId) await sendProject(r.seq);
            else if (r.kind === 'key' && keys.has(r.ref)) await write(frame('key', keys.get(r.ref), r.seq));
          }
        };

        // Listen before reading anything: a change committed while the snapshot is read is sent after it.
        let work: Promise<void> = Promise.resolve();
        const fail = (e: unknown) => {
          request.log.warn({ err: e }, 'key stream ended by an error');
          raw.destroy();
        };
        const unsubscribe = km.feed.subscribe((rows) => {
          work = work.then(() => apply(rows)).catch(fail);
        });
        const heartbeat = setInterval(() => void write(frame('heartbeat', { at: new Date(km.clock.now()).toISOString() })), HEARTBEAT_MS);
        raw.once('close', () => {
          closed = true;
          open.delete(raw);
          unsubscribe();
          clearInterval(heartbeat);
        });

        work = work
          .then(async () => {
            const replay = resumeAfter === null ? null : await changesAfter(km.store, resumeAfter);
            if (replay !== null) {
              await apply(replay);
              await write(frame('ready', {}, replay.length ? Math.max(resumeAfter!, replay[replay.length - 1].seq) : resumeAfter!));
              return;
            }
            const seq = await latestSeq(km.store);
            await write(frame('reset', {}));
            await sendProject();
            await write(frame('ready', {}, seq));
          })
          .catch(fail);
      },
    );
  };
