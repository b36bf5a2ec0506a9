import { describe, expect, it } from 'vitest';
import { withoutPassword } from '../../src/util/url-password.js';

describe('withoutPassword', () => {
  it.each([
    ['postgres://keymint:s3cret@db:5432/keymint', 'postgres://keymint:***@db:5432/keymint'],
    ['postgresql://u:p@ss@w0rd@db/k', 'postgresql://u:***@db/k'],
    ['redis://:s3cret@cache:6379', 'redis://:***@cache:6379'],
    ['rediss://default:s3cret@cache:6380/0', 'rediss://default:***@cache:6380/0'],
    ['postgress://keymint:s3cret@db/keymint', 'postgress://keymint:***@db/keymint'],
  ])('masks the password of %s', (url, shown) => {
    expect(withoutPassword(url)).toBe(shown);
  });

  it('leaves URLs without a password as they are', () => {
    for (const url of ['postgres://keymint@db/keymint', 'redis://cache:6379', 'sqlite:./data/keymint.db', 'mysql://db/x?user=a@b']) expect(withoutPassword(url)).toBe(url);
  });
});
