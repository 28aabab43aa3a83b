import { describe, expect, it } from 'vitest';
import { normalizeSerial, serialVariants } from '../../src/domain/serial';

/** One certificate serial, however a tool printed it, compares equal: upper-case hex, whole bytes, no sign byte. */
describe('normalizeSerial', () => {
  it.each([
    ['0a1b', '0A1B'], // upper case
    ['0a:1b', '0A1B'], // colons as openssl x509 -text prints them
    [' 0a 1b\n', '0A1B'], // spaces and line breaks
    ['abc', '0ABC'], // an odd number of digits gets its leading zero
    ['AB', 'AB'], // an even number stays as it is
    ['00ABCD', 'ABCD'], // the DER sign byte
    ['00:00:AB', 'AB'], // every leading zero byte
    ['0ab', 'AB'], // padded to 00AB, then the sign byte goes
    ['AB00', 'AB00'], // zero bytes at the end are the number's own
    ['AB0000CD', 'AB0000CD'], // and so are those in the middle
    ['00', '00'], // the serial zero keeps one byte
    ['0000', '00'],
    ['0', '00'],
    ['000', '00'],
    ['', ''],
  ])('%j → %j', (text, serial) => {
    expect(normalizeSerial(text)).toBe(serial);
  });

  it('every form of one serial gives the same string', () => {
    const forms = ['1f2e3d', '1F:2E:3D', '001F2E3D', '00:1f:2e:3d', '0000 1F2E3D'];
    expect(new Set(forms.map(normalizeSerial))).toEqual(new Set(['1F2E3D']));
  });
});

describe('serialVariants: the forms earlier versions may have stored', () => {
  it('the plain serial first, then with one and two sign bytes', () => {
    expect(serialVariants('00:ab')).toEqual(['AB', '00AB', '0000AB']);
    expect(serialVariants('1f2e3d')).toEqual(['1F2E3D', '001F2E3D', '00001F2E3D']);
  });
});
