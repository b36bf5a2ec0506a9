// One running node: the app listening, background work started, and a graceful stop on SIGTERM/SIGINT.
import type { FastifyInstance } from 'fastify';
import { buildApp } from './app.js';
import type { Config } from './config.js';
import { createKeymint, type Keymint, type KeymintOptions } from './keymint.js';
import { startTracing } from './observability/tracing.js';

export interface RunningServer {
  app: FastifyInstance;
  km: Keymint;
  url: string;
  stop(): Promise<void>;
}

export async function startServer(config: Config, options: KeymintOptions = {}): Promise<RunningServer> {
  const km = await createKeymint(config, options);
  const tracing = await startTracing();
  const app = await buildApp(km, { logger: { level: config.logLevel }, tracing: tracing?.plugin });
  if (km.bootstrapRootKey) {
    // Printed once, to the terminal, not through the logger: this is the only copy there will be.
    process.stdout.write(
      `\nKeymint created a root key. Store it now; it will not be shown again:\n\n  ${km.bootstrapRootKey}\n\nUse it as: Authorization: Bearer <root key>\n\n`,
    );
  }
  let address: string;
  try {
    address = await app.listen({ port: config.port, host: config.host });
  } catch (e) {
    await app.close();
    await km.close();
    await tracing?.shutdown();
    throw new ListenError(`could not listen on ${config.host}:${config.port} (KEYMINT_HOST, KEYMINT_PORT): ${(e as Error).message}`);
  }
  let stopping: Promise<void> | null = null;
  return {
    app,
    km,
    url: address,
    // Stop accepting, let in-flight requests finish, flush batched usage, close the store.
    stop: () => (stopping ??= app.close().then(() => km.close()).then(() => tracing?.shutdown())),
  };
}

/** The socket could not be bound; any other start failure but RedisUnreachable is about the store. */
export class ListenError extends Error {}
