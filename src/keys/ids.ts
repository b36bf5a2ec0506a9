import { randomBytes } from 'node:crypto';
import { randomBase62 } from './base62.js';

// Stable prefixed ids (Stripe style): the prefix says what an id names.
export const newProjectId = () => `prj_${randomBase62(16)}`;
export const newEnvironmentId = () => `env_${randomBase62(16)}`;
export const newKeyId = () => `key_${randomBase62(20)}`;
export const newEventId = () => `evt_${randomBase62(20)}`;
export const newWorkspaceId = () => `g-${randomBytes(5).toString('hex')}`;
