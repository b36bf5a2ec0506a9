// The dashboard is typed against web/src/api/schema.ts, generated from /openapi.json: an API change that was not
// carried into it would leave the dashboard compiling against routes and fields that no longer exist.
import { readFileSync } from 'node:fs';
import { expect, it } from 'vitest';
import { generateApiTypes, SCHEMA_FILE } from '../../scripts/openapi-types.js';

it('web/src/api/schema.ts is what /openapi.json generates now (else: npm run openapi:types)', async () => {
  const fresh = await generateApiTypes();
  expect(fresh).toContain("'/v1/api-keys'".replace(/'/g, '"'));
  expect(readFileSync(SCHEMA_FILE, 'utf8') === fresh, 'web/src/api/schema.ts is stale: run npm run openapi:types and commit it').toBe(true);
});
