import { describe, expect, it } from 'vitest';
import catalogue from '../../native/pkcs11-drivers.json';
import { isWindowKey, translateWindow, type WindowKey } from '../../src/i18n/window-catalogue';
import { preselectDriver } from '../../src-renderer/driver-choice';

const opensc = { id: 'opensc', name: 'OpenSC', path: '/usr/lib/opensc-pkcs11.so', tokens: [] };
const softhsm = { id: 'softhsm2', name: 'SoftHSM2', path: '/usr/lib/softhsm/libsofthsm2.so', tokens: ['ST3'] };

describe('driver dialog preselection', () => {
  it('starts on the driver that sees a token, not the first found', () => {
    expect(preselectDriver([opensc, softhsm], undefined)).toBe(softhsm.path);
  });
  it('keeps the remembered driver', () => {
    expect(preselectDriver([opensc, softhsm], '/opt/other.so')).toBe('/opt/other.so');
  });
  it('falls back to the first found when no driver sees a token or none could be asked', () => {
    expect(preselectDriver([opensc, { ...softhsm, tokens: [] }], undefined)).toBe(opensc.path);
    const { tokens: _a, ...unasked } = softhsm;
    expect(preselectDriver([{ ...opensc, tokens: undefined as never }, unasked], undefined)).toBe(opensc.path);
    expect(preselectDriver([], undefined)).toBe('');
  });
});

describe('driver descriptions', () => {
  it('every catalogue driver is described in Indonesian and English', () => {
    for (const { id } of catalogue.drivers) {
      const key = `driver_${id}`;
      expect(isWindowKey(key), key).toBe(true);
      const [idText, enText] = [translateWindow('id', key as WindowKey), translateWindow('en', key as WindowKey)];
      expect(idText).not.toBe('');
      expect(enText).not.toBe(idText);
    }
  });
});
