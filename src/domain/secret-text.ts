import { AppError } from '../contract/errors';

/** A text's first line, without a UTF-8 byte-order mark or the line ending. */
export const firstLineOf = (text: string): string => text.replace(/^\uFEFF/, '').split(/\r\n|\n|\r/)[0] ?? '';

/** Limits for secrets typed into files by people (the contract holds the app's dialogs to the same). */
export const SECRET_FILE_MAX_BYTES = 4096;
export const PASSWORD_MAX_CHARS = 1024;

export type SecretKind = 'token' | 'password' | 'pin';

/**
 * A secret as a person writes it in a file: a UTF-8 byte-order mark and the
 * line ending (LF, CRLF or CR) removed, only the first line kept. Spaces are
 * kept: they may be part of a password.
 */
export function secretFromText(text: string, kind: SecretKind): string {
  const firstLine = firstLineOf(text);
  if (kind === 'password' && [...firstLine].length > PASSWORD_MAX_CHARS) {
    throw new AppError('PASSWORD_TOO_LONG', { detail: `max ${PASSWORD_MAX_CHARS} characters` });
  }
  if (kind === 'pin' && firstLine === '') throw new AppError('PKCS11_PIN_INVALID', { detail: 'empty PIN' });
  return firstLine;
}

/**
 * A PIN is never sent empty, and must fit the token's own ulMinPinLen/ulMaxPinLen
 * (counted in bytes, as PKCS#11 counts them); a token reporting no bounds (0) gets none.
 */
export function checkPin(pin: string | undefined, bounds: { minPinLen?: number | undefined; maxPinLen?: number | undefined }): string {
  if (pin === undefined || pin === '') throw new AppError('PKCS11_PIN_INVALID', { detail: 'empty PIN' });
  const bytes = utf8Length(pin);
  const min = bounds.minPinLen && bounds.minPinLen > 0 ? bounds.minPinLen : 1;
  const max = bounds.maxPinLen && bounds.maxPinLen >= min ? bounds.maxPinLen : Infinity;
  if (bytes < min || bytes > max) throw new AppError('PKCS11_PIN_INVALID', { detail: `this token takes a PIN of ${min}–${max === Infinity ? '…' : max} characters` });
  return pin;
}

function utf8Length(text: string): number {
  let bytes = 0;
  for (const ch of text) {
    const cp = ch.codePointAt(0)!;
    bytes += cp < 0x80 ? 1 : cp < 0x800 ? 2 : cp < 0x10000 ? 3 : 4;
  }
  return bytes;
}
