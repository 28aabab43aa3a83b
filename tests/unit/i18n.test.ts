import { describe, expect, it } from 'vitest';
import { translate } from '../../src/i18n/catalogue';

describe('renderer catalogue', () => {
  it('fills variables and keeps LOCK labels', () => {
    expect(translate('id', 'alreadyUsed', { status: 'issued' })).toContain('issued');
    expect(translate('id', 'generate')).toBe('(3) BANGKITKAN DAN KIRIM CSR');
    expect(translate('en', 'generate')).toBe('(3) GENERATE AND SEND CSR');
    expect(translate('id', 'tabRequest')).toBe('Permintaan Sertifikat');
  });
});
