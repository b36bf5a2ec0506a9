// The `keymint` command: serve, migrate, mint-root-key, and the HTTP commands of src/cli/commands.ts. With no command
// it prints the usage and exits 2: a bare `npx keymint` must not silently start a server.
import { HTTP_GROUPS, httpCommandsHelp, runHttpCommand } from './cli/commands.js';
// The server's modules are loaded only by the commands that run it, so HTTP commands start quickly.

const USAGE = `Usage: keymint <command>

  serve           start the server (configured by KEYMINT_* environment variables)
  migrate         apply database migrations and exit (safe to run from several nodes at once)
  mint-root-key   print a new root key, for KEYMINT_ROOT_KEY

Over HTTP (KEYMINT_URL and KEYMINT_TOKEN, or --url/--token, or a profile; --json for scripts):
${httpCommandsHelp()}

\`keymint <command> --help\` says more about each.
`;

async function main(argv: string[]): Promise<number> {
  const command = argv[0];
  if (command === undefined) {
    process.stderr.write(USAGE);
    return 2;
  }
  if (HTTP_GROUPS.includes(command)) return runHttpCommand(command, argv.slice(1), { out: process.stdout, err: process.stderr, env: process.env });
  if ((command === 'serve' || command === 'migrate' || command === 'mint-root-key') && (argv.includes('--help') || argv.includes('-h'))) {
    process.stdout.write(USAGE);
    return 0;
  }
  const { ConfigError, loadConfig } = await import('./config.js');
  if (command === 'mint-root-key') {
    const { mintKey, ROOT_PREFIX } = await import('./keys/material.js');
    process.stdout.write(mintKey(ROOT_PREFIX).plaintext + '\n');
    return 0;
  }
  if (command !== 'serve' && command !== 'migrate') {
    process.stderr.write(command === 'help' || command === '--help' ? USAGE : `Unknown command ${JSON.stringify(command)}\n\n${USAGE}`);
    return command === 'help' || command === '--help' ? 0 : 2;
  }
  let config;
  try {
    config = loadConfig();
  } catch (e) {
    if (e instanceof ConfigError) {
      process.stderr.write(`keymint: ${e.message}\n`);
      return 2;
    }
    throw e;
  }
  const { migrate, openStore } = await import('./store/db.js');
  if (command === 'migrate') {
    const store = openStore(config.databaseUrl);
    try {
      for (const note of await migrate(store)) process.stdout.write(`${note}\n`);
      process.stdout.write('migrations are current\n');
    } finally {
      await store.close();
    }
    return 0;
  }
  const { ListenError, startServer } = await import('./server.js');
  const { RedisUnreachable } = await import('./limits/redis.js');
  const { withoutPassword } = await import('./util/url-password.js');
  let server;
  try {
    server = await startServer(config);
  } catch (e) {
    if (e instanceof ListenError || e instanceof RedisUnreachable) throw e; // they name their own variables
    throw new Error(`could not start on the store named by KEYMINT_DATABASE_URL (${withoutPassword(config.databaseUrl)}): ${(e as Error).message}`);
  }
  const shutdown = (signal: string) => {
    server.app.log.info({ signal }, 'shutting down');
    server.stop().then(
      () => process.exit(0),
      (e) => {
        process.stderr.write(`keymint: shutdown failed: ${(e as Error).message}\n`);
        process.exit(1);
      },
    );
  };
  process.once('SIGTERM', () => shutdown('SIGTERM'));
  process.once('SIGINT', () => shutdown('SIGINT'));
  return -1;
}

main(process.argv.slice(2)).then(
  (code) => {
    if (code >= 0) process.exit(code);
  },
  (e) => {
    process.stderr.write(`keymint: ${(e as Error).message}\n`);
    process.exit(1);
  },
);

