// Which text both engines store exactly as sent: the rule under every surface's own name checks.

/** NUL, or a UTF-16 surrogate without its pair. */
const UNSTORABLE = /\u0000|[\ud800-\udbff](?![\udc00-\udfff])|(?<![\ud800-\udbff])[\udc00-\udfff]/;

/**
 * PostgreSQL text cannot hold NUL (the write fails), and a lone surrogate has no UTF-8 form (both
 * engines would store U+FFFD, so the name read back is not the name sent).
 */
export function isStorableText(s: string): boolean {
  return !UNSTORABLE.test(s);
}

export const UNSTORABLE_TEXT = 'must not contain the NUL character (U+0000) or unpaired UTF-16 surrogates';

/** Key, project and environment names, in characters (code points): the cap every surface keeps or lowers. */
export const MAX_NAME_LENGTH = 255;
