import { describe, expect, it } from 'vitest';
import type { AppError } from '../../src/contract/errors';
import { normalizeToken } from '../../src/domain/token';

const TOKEN = '61DD1BB3958C5175A64D3FD284D66A9CBAE9B249';

describe('normalizeToken', () => {
  it.each([
    ['as copied', TOKEN, TOKEN],
    ['spaces around', `   ${TOKEN}\t`, TOKEN],
    ['wrapped over lines', `${TOKEN.slice(0, 20)}\r\n${TOKEN.slice(20)}`, TOKEN],
    ['double quotes', `"${TOKEN}"`, TOKEN],
    ['typographic quotes', `\u201C${TOKEN}\u201D`, TOKEN],
    ['single quotes and backticks', `'\`${TOKEN}\`'`, TOKEN],
    ['zero-width and BOM', `\uFEFF${TOKEN}\u200B`, TOKEN],
    ['base64url', 'abc-DEF_123.xyz~+/=AAAA', 'abc-DEF_123.xyz~+/=AAAA'],
  ])('%s', (_name, pasted, want) => {
    expect(normalizeToken(pasted)).toBe(want);
  });

  it.each([
    ['empty', '', 'TOKEN_EMPTY'],
    ['only quotes and spaces', ' "" \n ', 'TOKEN_EMPTY'],
    ['too short', 'ABC123', 'TOKEN_MALFORMED'],
    ['markup', '<b>61DD1BB3958C5175A64D</b>', 'TOKEN_MALFORMED'],
    ['a sentence', 'Silakan salin token berikut: 61DD1BB3958C5175', 'TOKEN_MALFORMED'],
    ['too long', 'A'.repeat(600), 'TOKEN_MALFORMED'],
  ])('%s → %s', (_name, pasted, code) => {
    expect(() => normalizeToken(pasted)).toThrow(expect.objectContaining({ code }) as AppError);
  });
});
