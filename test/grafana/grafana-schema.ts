// Grafana's own OpenAPI description of /api/serviceaccounts* and /api/auth/keys (vendored in test/fixtures), as a
// validator: every response a test sees on those routes is checked against the schema Grafana publishes for it.
import { readFileSync } from 'node:fs';
import { Ajv } from 'ajv';
import addFormats from 'ajv-formats';
import { expect } from 'vitest';

const DOC = JSON.parse(readFileSync(new URL('../fixtures/grafana-service-accounts.openapi.json', import.meta.url), 'utf8'));
const ajv = addFormats.default(new Ajv({ strict: false, allErrors: true }));
for (const f of ['int64', 'int32', 'double', 'float']) ajv.addFormat(f, true);
ajv.addSchema(DOC, 'grafana');

/** Path templates, literal ones first, so `/serviceaccounts/search` is not read as `/serviceaccounts/{serviceAccountId}`. */
const TEMPLATES = Object.keys(DOC.paths)
  .map((t) => ({ t, re: new RegExp(`^/api${t.replace(/\{[^}]+\}/g, '[^/]+')}$`), params: (t.match(/\{/g) ?? []).length }))
  .sort((a, b) => a.params - b.params);

const validators = new Map<string, ReturnType<typeof ajv.compile>>();
function validatorFor(pointer: string) {
  let v = validators.get(pointer);
  if (!v) validators.set(pointer, (v = ajv.compile({ $ref: `grafana#${pointer}` })));
  return v;
}

/** How many responses were checked, per operation and status: the test asserts every route was covered. */
export const checked = new Set<string>();

/**
 * Validates one response against Grafana's schema for its route, method and status. A status Grafana does not
 * document for the route must still be an error in Grafana's shape (ErrorResponseBody); an undocumented 2xx fails.
 */
export function expectGrafanaSchema(method: string, url: string, status: number, body: unknown): void {
  const path = url.split('?')[0];
  const route = TEMPLATES.find((r) => r.re.test(path));
  if (!route) return;
  const op = DOC.paths[route.t][method.toLowerCase()];
  expect(op, `${method} ${route.t} is not in Grafana's description`).toBeDefined();
  const documented = op.responses[String(status)];
  if (!documented) {
    expect(status, `${method} ${route.t} answered an undocumented success ${status}`).toBeGreaterThanOrEqual(400);
  }
  const responseName = documented ? (documented.$ref as string).split('/').pop()! : 'badRequestError';
  let pointer = `/components/responses/${responseName}/content/application~1json/schema`;
  let value = body;
  // Grafana's listTokensResponse names one TokenDTO although the route answers an array of them.
  if (responseName === 'listTokensResponse') {
    expect(Array.isArray(body), 'GET tokens answers an array').toBe(true);
    for (const item of body as unknown[]) expectValid(pointer, item, `${method} ${route.t} ${status} item`);
    checked.add(`${method.toUpperCase()} ${route.t} ${status}`);
    return;
  }
  expectValid(pointer, value, `${method} ${route.t} ${status}`);
  checked.add(`${method.toUpperCase()} ${route.t} ${status}`);
}

function expectValid(pointer: string, value: unknown, what: string): void {
  const validate = validatorFor(pointer);
  const ok = validate(value);
  expect(ok, `${what}: ${JSON.stringify(validate.errors)} in ${JSON.stringify(value)}`).toBe(true);
}
