import { describe, expect, it } from 'vitest';
import { MAX_ATTEMPTS, retryDelay, RETRY_DELAYS_MS } from '../../src/rotation/retry.js';

describe('retry schedule', () => {
  it('waits 5 s, 5 min, 30 min, 2 h, 5 h, 10 h, 10 h, each within 10% jitter, then stops', () => {
    expect(RETRY_DELAYS_MS).toEqual([5_000, 300_000, 1_800_000, 7_200_000, 18_000_000, 36_000_000, 36_000_000]);
    expect(MAX_ATTEMPTS).toBe(8);
    RETRY_DELAYS_MS.forEach((base, i) => {
      expect(retryDelay(i + 1, 0)).toBe(Math.round(base * 0.9));
      expect(retryDelay(i + 1, 0.5)).toBe(base);
      expect(retryDelay(i + 1, 1)).toBe(Math.round(base * 1.1));
    });
    expect(retryDelay(MAX_ATTEMPTS, 0.5)).toBeNull();
  });
});
