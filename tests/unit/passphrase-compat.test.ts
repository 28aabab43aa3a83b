import { describe, expect, it } from 'vitest';
import { passphraseOpensEverywhere } from '../../src/domain/passphrase-compat';

/** Java's PKCS12 KeyStore derives keys from non-ASCII passphrases differently: only printable ASCII opens everywhere. */
describe('passphraseOpensEverywhere', () => {
  it.each([
    ['', true],
    ['Kunci#Rahasia2026', true],
    ['with spaces and ~!@#$%^&*()_+{}|:"<>?`-=[]\\;\',./', true],
    [' ', true], // 0x20, the first printable character
    ['~', true], // 0x7e, the last
    ['\x1f', false], // just below
    ['\x7f', false], // DEL, just above
    ['tab\there', false],
    ['line\nbreak', false],
    ['kata sandi é', false], // non-ASCII at the end
    ['ékata sandi', false], // at the start
    ['kata é sandi', false], // in the middle
    ['ñ', false],
    ['😀', false],
  ])('%j → %s', (passphrase, everywhere) => {
    expect(passphraseOpensEverywhere(passphrase)).toBe(everywhere);
  });
});
