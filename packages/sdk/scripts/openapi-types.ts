// Generates src/generated/openapi.ts from the server's own OpenAPI document: the app is built in process (no
// listen, a throwaway SQLite file) and its /openapi.json turned into types by openapi-typescript.
// `npm run sdk:types` writes the file; a test fails when the committed file is stale.
import { mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { fileURLToPath } from 'node:url';
import openapiTS, { astToString } from 'openapi-typescript';
import { buildApp } from '../../../src/app.js';
import { loadConfig } from '../../../src/config.js';
import { createKeymint } from '../../../src/keymint.js';
import { mintKey, ROOT_PREFIX } from '../../../src/keys/material.js';

export const TYPES_FILE = fileURLToPath(new URL('../src/generated/openapi.ts', import.meta.url));

export async function openApiDocument(): Promise<Record<string, unknown>> {
  const dir = mkdtempSync(join(tmpdir(), 'keymint-openapi-'));
  const km = await createKeymint(
    loadConfig({ KEYMINT_DATABASE_URL: `sqlite:${join(dir, 'k.db')}`, KEYMINT_ROOT_KEY: mintKey(ROOT_PREFIX).plaintext, KEYMINT_ENCRYPTION_KEY: '00'.repeat(32) }),
  );
  try {
    const app = await buildApp(km);
    await app.ready();
    const res = await app.inject({ method: 'GET', url: '/openapi.json' });
    await app.close();
    return res.json();
  } finally {
    await km.close();
    rmSync(dir, { recursive: true, force: true });
  }
}

export async function renderTypes(): Promise<string> {
  const ast = await openapiTS((await openApiDocument()) as never);
  return `// Generated from Keymint's /openapi.json by scripts/openapi-types.ts: do not edit (npm run sdk:types).\n\n${astToString(ast)}`;
}

if (process.argv[1] && fileURLToPath(import.meta.url) === process.argv[1]) {
  writeFileSync(TYPES_FILE, await renderTypes());
  process.stdout.write(`wrote ${TYPES_FILE}\n`);
}
