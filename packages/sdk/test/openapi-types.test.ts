// The SDK's types are generated from the server's /openapi.json: a route added or changed without regenerating
// them (npm run sdk:types) fails here, so the committed client never drifts from the server.
import { readFileSync } from 'node:fs';
import { expect, it } from 'vitest';
import { renderTypes, TYPES_FILE } from '../scripts/openapi-types.js';

it('src/generated/openapi.ts matches the server\'s OpenAPI document (else run npm run sdk:types)', async () => {
  expect(readFileSync(TYPES_FILE, 'utf8') === (await renderTypes()), 'packages/sdk/src/generated/openapi.ts is stale: run npm run sdk:types').toBe(true);
});
