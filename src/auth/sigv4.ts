// AWS Signature Version 4 verification: parse the Authorization header, check its scope, date and
// payload hash, then re-sign the request with the SDK's own signer and compare in constant time.
import { createHash, timingSafeEqual } from 'node:crypto';
import type { IncomingHttpHeaders } from 'node:http';
import { Hash } from '@smithy/hash-node';
import { HttpRequest } from '@smithy/protocol-http';
import { SignatureV4 } from '@smithy/signature-v4';
import type { AwsSecret } from '../service/aws-credentials.js';

export const SIGV4_ALGORITHM = 'AWS4-HMAC-SHA256';
/** How far `x-amz-date` may be from the server's clock, either way (AWS's rule). */
export const MAX_CLOCK_SKEW_MS = 5 * 60_000;

/** The request as it came off the wire: the path and query still percent-encoded, the body as bytes. */
export interface WireRequest {
  method: string;
  path: string;
  query: string;
  headers: IncomingHttpHeaders;
  body: Buffer | undefined;
}

/** `missing`: no signature; `unknown`: access key id not known; `invalid`: anything else wrong. */
export type SigV4Failure = 'missing' | 'unknown' | 'invalid';

export type SigV4Result = { ok: true; accessKeyId: string; projectId: string | null } | { ok: false; failure: SigV4Failure; message: string };

const fail = (failure: SigV4Failure, message: string): SigV4Result => ({ ok: false, failure, message });

const header = (headers: IncomingHttpHeaders, name: string): string | undefined => {
  const v = headers[name];
  return Array.isArray(v) ? v.join(',') : v;
};

/** `20260101T000000Z` -> ms, or null. */
export function parseAmzDate(s: string): number | null {
  const m = /^(\d{4})(\d{2})(\d{2})T(\d{2})(\d{2})(\d{2})Z$/.exec(s);
  if (!m) return null;
  const t = Date.UTC(+m[1], +m[2] - 1, +m[3], +m[4], +m[5], +m[6]);
  return Number.isNaN(t) || formatAmzDate(t) !== s ? null : t;
}

export function formatAmzDate(ms: number): string {
  return new Date(ms).toISOString().replace(/\.\d{3}Z$/, 'Z').replace(/[-:]/g, '');
}

interface ParsedAuthorization {
  accessKeyId: string;
  date: string;
  region: string;
  service: string;
  signedHeaders: string[];
  signature: string;
}

function parseAuthorization(value: string): ParsedAuthorization | string {
  const fields = new Map<string, string>();
  for (const part of value.slice(SIGV4_ALGORITHM.length).split(',')) {
    const eq = part.indexOf('=');
    if (eq > 0) fields.set(part.slice(0, eq).trim(), part.slice(eq + 1).trim());
  }
  const credential = fields.get('Credential');
  const signedHeaders = fields.get('SignedHeaders');
  const signature = fields.get('Signature');
  if (!credential || !signedHeaders || !signature) {
    return 'Authorization header requires Credential, SignedHeaders and Signature: AWS4-HMAC-SHA256 Credential=AKID/YYYYMMDD/region/grafana/aws4_request, SignedHeaders=host;x-amz-date, Signature=<64 hex>';
  }
  const scope = credential.split('/');
  if (scope.length !== 5 || scope.some((s) => s === '') || scope[4] !== 'aws4_request') {
    return `Credential ${credential.length > 100 ? `${JSON.stringify(credential.slice(0, 100))}...` : JSON.stringify(credential)} is not AKID/YYYYMMDD/region/grafana/aws4_request`;
  }
  if (!/^[0-9a-f]{64}$/.test(signature)) return 'Signature must be 64 lower-case hexadecimal characters';
  const [accessKeyId, date, region, service] = scope;
  return { accessKeyId, date, region, service, signedHeaders: signedHeaders.split(';'), signature };
}

/** Canonical-request query input: decoded once; the signer encodes it again, as the client's signer did. */
function queryObject(query: string): Record<string, string | string[]> {
  const out: Record<string, string | string[]> = {};
  for (const pair of query.split('&')) {
    if (!pair) continue;
    const eq = pair.indexOf('=');
    const k = decodeURIComponent(eq < 0 ? pair : pair.slice(0, eq));
    const v = eq < 0 ? '' : decodeURIComponent(pair.slice(eq + 1));
    const prev = out[k];
    out[k] = prev === undefined ? v : Array.isArray(prev) ? [...prev, v] : [prev, v];
  }
  return out;
}

/**
 * Verifies a SigV4-signed request for `service` at instant `now` (ms).
 * `lookup` gives the secret of a known access key id, or null.
 */
export async function verifySigV4(req: WireRequest, service: string, now: number, lookup: (accessKeyId: string) => Promise<AwsSecret | null>): Promise<SigV4Result> {
  const authorization = header(req.headers, 'authorization');
  if (!authorization) {
    const presigned = /(^|&)X-Amz-Signature=/i.test(req.query);
    return fail('missing', presigned ? 'Missing Authentication Token: presigned URLs are not accepted, sign the Authorization header' : 'Missing Authentication Token: sign the request with AWS Signature Version 4 (Authorization: AWS4-HMAC-SHA256 ...)');
  }
  const scheme = authorization.split(' ', 1)[0];
  if (scheme !== SIGV4_ALGORITHM) {
    // Only a word shaped like a scheme is named back: a bare key or secret pasted as the header must not be echoed.
    const named = /^[A-Za-z][A-Za-z0-9-]{0,31}$/.test(scheme) ? scheme : 'a bare credential';
    return scheme.startsWith('AWS4-')
      ? fail('invalid', `Signing algorithm ${named} is not supported: sign with AWS4-HMAC-SHA256`)
      : fail('missing', `Missing Authentication Token: Authorization must be an AWS4-HMAC-SHA256 signature, not ${named}`);
  }
  const auth = parseAuthorization(authorization);
  if (typeof auth === 'string') return fail('invalid', auth);

  const secret = await lookup(auth.accessKeyId);
  if (!secret) return fail('unknown', `The security token included in the request is invalid: access key id ${auth.accessKeyId} is not known (or was revoked)`);

  if (auth.service !== service) return fail('invalid', `Credential should be scoped to correct service: '${service}', not '${auth.service}'`);
  for (const required of ['host', 'x-amz-date']) {
    if (!auth.signedHeaders.includes(required)) return fail('invalid', `SignedHeaders must include ${required}: ${auth.signedHeaders.join(';')}`);
  }
  const missing = auth.signedHeaders.find((h) => header(req.headers, h) === undefined);
  if (missing !== undefined) return fail('invalid', `Signed header ${missing} is not in the request`);

  const amzDate = header(req.headers, 'x-amz-date')!;
  const signedAt = parseAmzDate(amzDate);
  if (signedAt === null) return fail('invalid', `x-amz-date ${JSON.stringify(amzDate)} is not in the form YYYYMMDDTHHMMSSZ`);
  if (auth.date !== amzDate.slice(0, 8)) return fail('invalid', `Credential date ${auth.date} does not match the date of x-amz-date ${amzDate}`);
  if (signedAt < now - MAX_CLOCK_SKEW_MS) {
    return fail('invalid', `Signature expired: ${amzDate} is now earlier than ${formatAmzDate(now - MAX_CLOCK_SKEW_MS)} (${formatAmzDate(now)} - 5 min.)`);
  }
  if (signedAt > now + MAX_CLOCK_SKEW_MS) {
    return fail('invalid', `Signature not yet current: ${amzDate} is still later than ${formatAmzDate(now + MAX_CLOCK_SKEW_MS)} (${formatAmzDate(now)} + 5 min.)`);
  }

  const body = req.body ?? Buffer.alloc(0);
  const claimedHash = header(req.headers, 'x-amz-content-sha256');
  if (claimedHash !== undefined && claimedHash !== createHash('sha256').update(body).digest('hex')) {
    return fail('invalid', `x-amz-content-sha256 does not match the SHA-256 of the body${claimedHash === 'UNSIGNED-PAYLOAD' ? ' (UNSIGNED-PAYLOAD is not accepted)' : ''}`);
  }

  // Only the signed headers go into the canonical request.
  const headers: Record<string, string> = {};
  for (const name of auth.signedHeaders) headers[name] = header(req.headers, name)!;
  let query: Record<string, string | string[]>;
  try {
    query = queryObject(req.query);
  } catch {
    return fail('invalid', 'The query string is not valid percent-encoding');
  }
  const signer = new SignatureV4({
    credentials: { accessKeyId: auth.accessKeyId, secretAccessKey: secret.secretAccessKey },
    region: auth.region,
    service,
    sha256: Hash.bind(null, 'sha256'),
    // The non-S3 rule: the path is URI-encoded a second time.
    uriEscapePath: true,
    applyChecksum: false,
  });
  const resigned = await signer.sign(new HttpRequest({ method: req.method, protocol: 'http:', hostname: headers.host, path: req.path, query, headers, body }), {
    signingDate: new Date(signedAt),
    signableHeaders: new Set(auth.signedHeaders),
  });
  const m = /SignedHeaders=([^,]*), Signature=([0-9a-f]{64})$/.exec(String(resigned.headers.authorization));
  if (!m) return fail('invalid', 'The signature could not be computed');
  if (m[1] !== auth.signedHeaders.join(';')) {
    return fail('invalid', `SignedHeaders must be lower-case, sorted and signable: expected ${m[1]}, got ${auth.signedHeaders.join(';')} (sign x-amz-date, not date)`);
  }
  if (!timingSafeEqual(Buffer.from(m[2], 'hex'), Buffer.from(auth.signature, 'hex'))) {
    return fail('invalid', 'The request signature we calculated does not match the signature you provided. Check your AWS Secret Access Key and signing method.');
  }
  return { ok: true, accessKeyId: auth.accessKeyId, projectId: secret.projectId };
}
