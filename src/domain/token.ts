import { AppError } from '../contract/errors';

// Characters people drag along when copying: quotes of every kind, zero-width
// marks and the byte-order mark. Whitespace anywhere is dropped too, because
// mail clients and PDF viewers wrap long tokens.
const STRAY = /[\s"'`\u2018\u2019\u201C\u201D\u00AB\u00BB\u200B-\u200D\u2060\uFEFF]/g;
const TOKEN_SHAPE = /^[A-Za-z0-9._~+/=-]{16,512}$/;

/**
 * Turns whatever the user pasted into the token AMS issued, or throws
 * TOKEN_EMPTY / TOKEN_MALFORMED. The charset is deliberately broad (base64,
 * base64url, hex, UUID): AMS tokens are opaque to us.
 */
export function normalizeToken(pasted: string): string {
  const token = pasted.replace(STRAY, '');
  if (token === '') throw new AppError('TOKEN_EMPTY');
  if (!TOKEN_SHAPE.test(token)) throw new AppError('TOKEN_MALFORMED');
  return token;
}
