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

describe('status labels', () => {
  it('every AMS and ledger status has a label in both languages', async () => {
    const { amsRequestStatuses, ledgerStates } = await import('../../src/domain/request-state');
    for (const status of [...amsRequestStatuses, ...ledgerStates]) {
      for (const lang of ['id', 'en'] as const) {
        expect(translate(lang, `status_${status}` as Parameters<typeof translate>[1]), `${lang} ${status}`).not.toMatch(/^status_|undefined/);
      }
    }
  });
});
