// One running node: the app listening, background work started, and a graceful stop on SIGTERM/SIGINT.
import type { FastifyInstance } from 'fastify';
import { buildApp } from './app.js';
import type { Config } from './config.js';
import { createKeymint, type Keymint } from './keymint.js';

export interface RunningServer {
  app: FastifyInstance;
  km: Keymint;
  url: string;
  stop(): Promise<void>;
}

export async function startServer(config: Config): Promise<RunningServer> {
  let km: Keymint;
  try {
    km = await createKeymint(config);
  } catch (e) {
    throw new Error(`could not open the store named by KEYMINT_DATABASE_URL (${withoutPassword(config.databaseUrl)}): ${(e as Error).message}`);
  }
  const app = await buildApp(km, { logger: { level: config.logLevel } });
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
    throw new Error(`could not listen on ${config.host}:${config.port} (KEYMINT_HOST, KEYMINT_PORT): ${(e as Error).message}`);
  }
  let stopping: Promise<void> | null = null;
  return {
    app,
    km,
    url: address,
    // Stop accepting, let in-flight requests finish, flush batched usage, close the store.
    stop: () => (stopping ??= app.close().then(() => km.close())),
  };
}

function withoutPassword(url: string): string {
  return url.replace(/^(postgres(?:ql)?:\/\/[^:/@]*):[^@]*@/, '$1:***@');
}
