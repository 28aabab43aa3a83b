import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import { AppError } from '../../src/contract/errors';
import { secretFromText } from '../../src/domain/secret-text';
import { normalizeToken } from '../../src/domain/token';
import { printable } from '../../src-main/cli/printable';
import { expectCode } from './support';

const GOOD = '0123456789ABCDEF0123456789ABCDEF01234567';

/** Pasted tokens as people and attackers produce them. */
const cases: [string, string, 'TOKEN_EMPTY' | 'TOKEN_MALFORMED' | 'OK'][] = [
  ['empty', '', 'TOKEN_EMPTY'],
  ['only spaces and newlines', ' \r\n\t ', 'TOKEN_EMPTY'],
  ['only quotes and zero-width marks', '""\u200B\u2060\uFEFF\u201C\u201D', 'TOKEN_EMPTY'],
  ['too short', 'ABC123', 'TOKEN_MALFORMED'],
  ['513 characters', 'A'.repeat(513), 'TOKEN_MALFORMED'],
  ['one megabyte', 'A'.repeat(1024 * 1024), 'TOKEN_MALFORMED'],
  ['NUL inside', `${GOOD.slice(0, 20)}\u0000${GOOD.slice(20)}`, 'TOKEN_MALFORMED'],
  ['ANSI escape', `\u001b[31m${GOOD}`, 'TOKEN_MALFORMED'],
  ['HTML', `<img src=x onerror=alert(1)>${GOOD}`, 'TOKEN_MALFORMED'],
  // Quotes and spaces are dropped as copy noise; what is left is token-shaped, sent only inside a JSON body, and AMS answers TOKEN_UNKNOWN.
  ['SQL (token-shaped once quotes go: deliberate success)', `${GOOD}' OR '1'='1`, 'OK'],
  ['path traversal (token-shaped, never used as a path: deliberate success)', `../../../../etc/passwd${GOOD}`, 'OK'],
  ['URL', `https://ams.example/?token=${GOOD}`, 'TOKEN_MALFORMED'],
  ['right-to-left override', `\u202E${GOOD}`, 'TOKEN_MALFORMED'],
  ['fullwidth digits', '０１２３４５６７８９０１２３４５６７', 'TOKEN_MALFORMED'],
  ['Cyrillic look-alikes', 'АВСЕНКМОРТХ0123456789', 'TOKEN_MALFORMED'],
  ['emoji', `${GOOD}🔑`, 'TOKEN_MALFORMED'],
  ['lone surrogate', `${GOOD}\uD800`, 'TOKEN_MALFORMED'],
  ['JSON object', `{"token":"${GOOD}"}`, 'TOKEN_MALFORMED'],
  ['two tokens with a comma', `${GOOD},${GOOD}`, 'TOKEN_MALFORMED'],
  ['wrapped by a mail client, quoted (deliberate success)', `"${GOOD.slice(0, 20)}\r\n${GOOD.slice(20)}"`, 'OK'],
  ['with a BOM and smart quotes (deliberate success)', `\uFEFF\u201C${GOOD}\u201D`, 'OK'],
];

describe('corpus: pasted tokens', () => {
  for (const [name, pasted, want] of cases) {
    it(`${name} → ${want}`, async () => {
      await expectCode(async () => normalizeToken(pasted), want);
    });
  }
});

describe('property: the token normaliser', () => {
  it('never throws anything but TOKEN_EMPTY / TOKEN_MALFORMED, and what it returns is clean and idempotent', () => {
    fc.assert(
      fc.property(fc.oneof(fc.string({ maxLength: 600 }), fc.string({ unit: 'binary', maxLength: 600 }), fc.stringMatching(/^[A-Za-z0-9+/=\s"']{0,600}$/)), (pasted) => {
        try {
          const token = normalizeToken(pasted);
          expect(token).toMatch(/^[A-Za-z0-9._~+/=-]{16,512}$/);
          expect(normalizeToken(token)).toBe(token);
        } catch (error) {
          expect(error).toBeInstanceOf(AppError);
          expect(['TOKEN_EMPTY', 'TOKEN_MALFORMED']).toContain((error as AppError).code);
        }
      }),
      { numRuns: 2_000 },
    );
  });

  it('whitespace and quotes sprinkled into a valid token never change it', () => {
    const noise = fc.constantFrom(' ', '\n', '\r\n', '\t', '"', "'", '\u200B', '\uFEFF', '\u201C', '\u201D');
    fc.assert(
      fc.property(fc.array(fc.tuple(fc.nat(GOOD.length), noise), { maxLength: 20 }), (inserts) => {
        let pasted = GOOD;
        for (const [at, mark] of inserts) pasted = pasted.slice(0, at) + mark + pasted.slice(at);
        expect(normalizeToken(pasted)).toBe(GOOD);
      }),
    );
  });
});

describe('property: secret files and printable server text', () => {
  it('a secret read from a file never keeps a BOM, CR or LF, and never grows', () => {
    fc.assert(
      fc.property(fc.string({ unit: 'binary', maxLength: 300 }), fc.constantFrom('', '\n', '\r\n', '\r'), fc.boolean(), (text, ending, bom) => {
        const secret = secretFromText(`${bom ? '\uFEFF' : ''}${text}${ending}`, 'token');
        expect(secret).not.toMatch(/[\r\n]/);
        expect(secret.startsWith('\uFEFF')).toBe(false);
        expect(secret.length).toBeLessThanOrEqual(text.length);
      }),
    );
  });

  it('printable() leaves no control character, escape or line break in server text', () => {
    fc.assert(
      fc.property(fc.string({ unit: 'binary', maxLength: 300 }), (text) => {
        // eslint-disable-next-line no-control-regex
        expect(printable(text)).not.toMatch(/[\u0000-\u001f\u007f-\u009f\u202a-\u202e\u2066-\u2069]/);
      }),
      { numRuns: 2_000 },
    );
  });
});
