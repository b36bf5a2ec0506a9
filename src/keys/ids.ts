import { randomBytes } from 'node:crypto';
import { randomBase62 } from './base62.js';

// Stable prefixed ids (Stripe style): the prefix says what an id names.
export const newProjectId = () => `prj_${randomBase62(16)}`;
export const newEnvironmentId = () => `env_${randomBase62(16)}`;
export const newKeyId = () => `key_${randomBase62(20)}`;
export const newEventId = () => `evt_${randomBase62(20)}`;
export const newCreditPoolId = () => `crp_${randomBase62(20)}`;
export const newVerifierKeyId = () => `vk_${randomBase62(20)}`;
export const newWorkspaceId = () => `g-${randomBytes(5).toString('hex')}`;

/** Every id Keymint hands out is letters, digits, `_` and `-`: anything else names nothing (and never reaches the store). */
export const ID_PATTERN = '^[A-Za-z0-9_-]+$';
const ID_RE = new RegExp(ID_PATTERN);
export const isKeymintId = (s: string): boolean => s.length <= 64 && ID_RE.test(s);
