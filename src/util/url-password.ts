// Connection URLs (KEYMINT_DATABASE_URL, KEYMINT_REDIS_URL) carry passwords: messages name them without.

/** `postgres://user:***@host/db`; parses nothing, so it also serves a URL that was refused as malformed. */
export function withoutPassword(url: string): string {
  return url.replace(/^([a-z][a-z0-9+.-]*:\/\/[^:/@]*):[^/]*@/i, '$1:***@');
}
