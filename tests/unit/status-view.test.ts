import { describe, expect, it } from 'vitest';
import type { LedgerEntry } from '../../src/contract/api';
import { translateWindow } from '../../src/i18n/window-catalogue';
import { rowView } from '../../src-renderer/status-view';

const NOW = new Date('2026-11-30T10:00:00Z');
const DAY = 86_400_000;
const at = (days: number) => new Date(NOW.getTime() + days * DAY).toISOString();

const entry = (change: Partial<LedgerEntry>): LedgerEntry => ({
  id: '00000000-0000-4000-8000-000000000001',
  requestId: 'r1',
  product: 'Tanda Tangan Elektronik',
  server: 'http://ams.invalid',
  employee: { name: 'MAMAN', unit: 'U', organization: 'O', email: 'maman@instansi.go.id', locality: 'L', province: 'P', country: 'ID' },
  keyStore: 'file',
  state: 'csr_sent',
  tokenKnown: true,
  createdAt: at(-10),
  updatedAt: at(-10),
  ...change,
});

const issuedCert = (days: number, status?: 'Issued' | 'Renew' | 'Revoke' | 'Expired') => ({ serialNumber: 'AB12', notAfter: at(days), ...(status ? { status } : {}) });

/** Every status AMS and this computer know: what the row says, what it advises, whether Download is offered. */
describe('Download-tab rows tell the truth', () => {
  it.each<[string, Partial<LedgerEntry>, string, boolean]>([
    ['token not kept here', { tokenKnown: false, amsStatus: 'issued' }, 'token_unknown', false],
    ['CSR made, never reached AMS', { state: 'csr_ready' }, 'csr_ready', false],
    ['CSR made, AMS still waiting', { state: 'csr_ready', amsStatus: 'awaiting_csr' }, 'csr_ready', false],
    ['sent, status not read yet', {}, 'csr_sent', false],
    ['Sudah Upload', { amsStatus: 'csr_uploaded' }, 'csr_uploaded', false],
    ['waiting for the verifier', { amsStatus: 'submitted' }, 'submitted', false],
    ['rejected', { amsStatus: 'rejected', note: 'Data tidak sesuai' }, 'rejected', false],
    ['enrollment failed', { amsStatus: 'enroll_failed' }, 'enroll_failed', false],
    ['revoked (request status)', { amsStatus: 'revoked', certificate: issuedCert(300) }, 'revoked', false],
    ['Issued', { amsStatus: 'issued', certificate: issuedCert(300, 'Issued') }, 'issued', true],
    ['Issued, already downloaded', { amsStatus: 'issued', state: 'downloaded', certificate: issuedCert(300, 'Issued') }, 'downloaded', true],
    ['Issued, within H-30', { amsStatus: 'issued', certificate: issuedCert(12, 'Issued') }, 'issued', true],
    ['Renew (replaced by a renewal)', { amsStatus: 'issued', certificate: issuedCert(12, 'Renew') }, 'renewed', false],
    ['Revoke (portal certificate status)', { amsStatus: 'issued', certificate: issuedCert(200, 'Revoke') }, 'revoked', false],
    ['Expired (portal certificate status)', { amsStatus: 'issued', certificate: issuedCert(5, 'Expired') }, 'expired', false],
    ['expired by date, AMS silent', { amsStatus: 'issued', certificate: issuedCert(-1) }, 'expired', false],
  ])('%s', (_name, change, status, download) => {
    const view = rowView(entry(change), NOW);
    expect(view.status).toBe(status);
    expect(view.download).toBe(download);
    // Every row names a next step, in both languages.
    for (const lang of ['id', 'en'] as const) expect(translateWindow(lang, view.next as never, view.vars)).not.toMatch(/\{|undefined/);
  });

  it('counts the days left from H-30 and links the advice to renewal', () => {
    const view = rowView(entry({ amsStatus: 'issued', certificate: issuedCert(12, 'Issued') }), NOW);
    expect(view.next).toBe('next_expiring');
    expect(translateWindow('id', 'next_expiring', view.vars)).toBe('Berakhir dalam 12 hari: ajukan Permohonan Pembaruan di portal AMS.');
  });
});
