// One `api_key.rotated` message: its body, its Standard Webhooks signature, and what an answer means.
import { Webhook } from 'standardwebhooks';
import { iso } from '../util/instant.js';

export interface RotatedEventData {
  old_key_id: string;
  new_key_id: string;
  new_key: string;
  new_key_prefix: string;
  project_id: string;
  environment_id: string | null;
  grace_expires_at: number | null;
  rotated_at: number;
}

/** The JSON body: `{"type":"api_key.rotated","timestamp","data":{...}}`. */
export function rotatedEventBody(d: RotatedEventData, at: number): string {
  return JSON.stringify({
    type: 'api_key.rotated',
    timestamp: iso(at),
    data: {
      old_key_id: d.old_key_id,
      new_key_id: d.new_key_id,
      new_key: d.new_key,
      new_key_prefix: d.new_key_prefix,
      project_id: d.project_id,
      environment_id: d.environment_id,
      grace_expires_at: iso(d.grace_expires_at),
      rotated_at: iso(d.rotated_at),
    },
  });
}

/**
 * `webhook-id`, `webhook-timestamp`, `webhook-signature` signed with the key's `whsec_` secret.
 * `sentAt` is the real time of sending: receivers compare it with their own clock to refuse replays.
 */
export function signedHeaders(secret: string, webhookId: string, sentAt: Date, body: string): Record<string, string> {
  return {
    'webhook-id': webhookId,
    'webhook-timestamp': String(Math.floor(sentAt.getTime() / 1000)),
    'webhook-signature': new Webhook(secret).sign(webhookId, sentAt, body),
  };
}

export type Verdict = 'delivered' | 'retry' | 'abandon';

/** Only a 2xx delivers; 410 Gone says "stop"; anything else (3xx included) is tried again while attempts remain. */
export function verdict(status: number | null, retriesLeft: boolean): Verdict {
  if (status !== null && status >= 200 && status < 300) return 'delivered';
  if (status === 410 || !retriesLeft) return 'abandon';
  return 'retry';
}
