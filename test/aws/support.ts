// A Keymint node listening on 127.0.0.1 for the real AWS SDK, with a project (workspace) and the root AWS pair.
import { GrafanaClient, type GrafanaClientConfig } from '@aws-sdk/client-grafana';
import { Hash } from '@smithy/hash-node';
import { HttpRequest } from '@smithy/protocol-http';
import { SignatureV4 } from '@smithy/signature-v4';
import { afterAll, beforeAll } from 'vitest';
import { ManualClock } from '../../src/util/clock.js';
import { type Client, client } from '../support/client.js';
import { type EngineName, type TestNode, testNode } from '../support/harness.js';

// The SDK warns once per process that its 2027 releases need Node 22; the suite runs on Node 20 by design.
process.env.AWS_SDK_JS_NODE_VERSION_SUPPORT_WARNING_DISABLED = 'true';

export const ROOT_PAIR = { accessKeyId: 'KMAKROOTPAIR00000001', secretAccessKey: 'root-secret-0123456789abcdefghijklmnopqrs' };
export const REGION = 'eu-west-1';

export interface AwsTestNode {
  node: TestNode;
  root: Client;
  endpoint: string;
  host: string;
  /** The first project: its workspace id and id. */
  workspaceId: string;
  projectId: string;
  sdk(credentials?: { accessKeyId: string; secretAccessKey: string }, config?: Partial<GrafanaClientConfig>): GrafanaClient;
  close(): Promise<void>;
}

export async function awsTestNode(engine: EngineName, env: Record<string, string> = {}): Promise<AwsTestNode> {
  // Signatures carry the real time, so the node's (movable) clock starts at it.
  const node = await testNode(engine, {
    clock: new ManualClock(Date.now()),
    env: { KEYMINT_AWS_ACCESS_KEY_ID: ROOT_PAIR.accessKeyId, KEYMINT_AWS_SECRET_ACCESS_KEY: ROOT_PAIR.secretAccessKey, ...env },
  });
  try {
    await node.app.listen({ host: '127.0.0.1', port: 0 });
    const { port } = node.app.server.address() as { port: number };
    const root = client(node.app, node.rootKey);
    const project = await root.post('/v1/projects', { name: 'workspace one' });
    const clients: GrafanaClient[] = [];
    const endpoint = `http://127.0.0.1:${port}`;
    return {
      node,
      root,
      endpoint,
      host: `127.0.0.1:${port}`,
      workspaceId: project.body.workspace_id,
      projectId: project.body.id,
      sdk(credentials = ROOT_PAIR, config = {}) {
        const c = new GrafanaClient({ region: REGION, endpoint, credentials, maxAttempts: 1, ...config });
        clients.push(c);
        return c;
      },
      async close() {
        for (const c of clients) c.destroy();
        await node.close();
      },
    };
  } catch (e) {
    await node.close();
    throw e;
  }
}

/** One node for the enclosing describe block: started before its tests, closed after (even when starting failed). */
export function withAwsTestNode(engine: EngineName, ready: (t: AwsTestNode) => void | Promise<void>, env: Record<string, string> = {}): void {
  let t: AwsTestNode | undefined;
  beforeAll(async () => {
    t = await awsTestNode(engine, env);
    await ready(t);
  });
  afterAll(() => t?.close());
}

/** The error a promise rejects with (fails the test when it resolves). */
export async function rejection(p: Promise<unknown>): Promise<any> {
  try {
    await p;
  } catch (e) {
    return e;
  }
  throw new Error('expected the call to fail, but it succeeded');
}

export interface RawRequest {
  method: string;
  /** Raw path and query, percent-encoded as it goes on the wire. */
  url: string;
  body?: string;
  headers?: Record<string, string>;
}

/** Signs a hand-made request the way the SDK does (or with the given changes), for cases the SDK cannot produce. */
export async function signRaw(
  host: string,
  req: RawRequest,
  options: { credentials?: typeof ROOT_PAIR; service?: string; signingDate?: Date; unsignableHeaders?: Set<string>; applyChecksum?: boolean } = {},
): Promise<Record<string, string>> {
  const [path, query = ''] = req.url.split('?');
  const signer = new SignatureV4({
    credentials: options.credentials ?? ROOT_PAIR,
    region: REGION,
    service: options.service ?? 'grafana',
    sha256: Hash.bind(null, 'sha256'),
    applyChecksum: options.applyChecksum ?? true,
  });
  const signed = await signer.sign(
    new HttpRequest({
      method: req.method,
      hostname: host.split(':')[0],
      path,
      query: Object.fromEntries([...new URLSearchParams(query)]),
      headers: { host, ...(req.body !== undefined ? { 'content-type': 'application/json' } : {}), ...req.headers },
      body: req.body,
    }),
    { signingDate: options.signingDate, unsignableHeaders: options.unsignableHeaders },
  );
  return signed.headers as Record<string, string>;
}

/** Sends a request over the app (no socket) and reads the restJson1 answer. */
export async function sendRaw(t: AwsTestNode, req: RawRequest, headers: Record<string, string>) {
  const res = await t.node.app.inject({ method: req.method as 'POST', url: req.url, payload: req.body, headers });
  let body: any;
  try {
    body = JSON.parse(res.body);
  } catch {
    body = undefined;
  }
  return { status: res.statusCode, headers: res.headers, body, text: res.body };
}
