import { act, cleanup, fireEvent, render, screen, waitFor, within } from '@testing-library/react';
import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import type { LedgerEntry, Output, TokenCertificate } from '../../src/contract/api';
import { DownloadSuccess } from '../../src-renderer/components/DownloadDialogs';
import { TokenCertificatesButton } from '../../src-renderer/components/TokenCertificates';
import { useLockStore } from '../../src-renderer/store';
import { tokenInfo } from '../support/token-info';

/** "Sertifikat di token" and the download result's real-use lines, at the contract boundary (window.lock records calls). */
const calls: { channel: string; input: unknown }[] = [];
let answers: Record<string, (input: unknown) => unknown> = {};

const ENTRY_ID = '3f2b8c1e-9a4d-4e6f-8b1a-2c3d4e5f6a7b';
const token = tokenInfo({ manufacturer: 'SoftHSM', model: 'SoftHSM v2', slotDescription: 'slot' });
const cert = (over: Partial<TokenCertificate>): TokenCertificate => ({
  fingerprint: 'a'.repeat(64),
  label: 'MAMAN',
  keyId: '01',
  commonName: 'MAMAN',
  serialNumber: '0A',
  notBefore: '2026-01-01T00:00:00.000Z',
  notAfter: '2027-01-01T00:00:00.000Z',
  category: 'holder',
  state: 'current',
  removable: false,
  removesKey: false,
  ...over,
});
const current = cert({ fingerprint: 'c'.repeat(64), serialNumber: '0C' });
const replaced = cert({ fingerprint: 'b'.repeat(64), label: 'MAMAN 2025-01-01..2026-01-01 replaced', serialNumber: '0B', keyId: '02', state: 'replaced', removable: true, removesKey: true });
const root = cert({ fingerprint: 'd'.repeat(64), label: 'LOCK Root', commonName: 'LOCK Root', category: 'authority', keyId: 'dd' });
const entry = { id: ENTRY_ID, keyStore: 'pkcs11', certificate: { serialNumber: '0C', notAfter: '2027-01-01T00:00:00.000Z' } } as LedgerEntry;

describe('Sertifikat di token', () => {
  beforeEach(() => {
    calls.length = 0;
    act(() => useLockStore.setState({ lang: 'id', dialog: undefined }));
    let listed = [current, replaced, root];
    answers = {
      'download.keyToken': () => ({ ok: true, value: { library: '/usr/lib/softhsm/libsofthsm2.so', token } }),
      'download.tokenCertificates': () => ({ ok: true, value: listed }),
      'download.removeTokenCertificate': (input) => {
        if ((input as { pin: string }).pin !== '123456') return { ok: false, error: { code: 'PKCS11_PIN_INCORRECT' } };
        listed = listed.filter((c) => c !== replaced);
        return { ok: true, value: { removed: replaced, keyRemoved: true } };
      },
    };
    window.lock = new Proxy({} as typeof window.lock, {
      get: (_target, channel: string) => async (input: unknown) => {
        calls.push({ channel, input });
        return answers[channel]!(input);
      },
    });
  });
  afterEach(cleanup);

  it('lists the states, offers removal only for the replaced one, confirms (cannot be undone, key too), asks the PIN, removes', async () => {
    render(<TokenCertificatesButton entry={entry} />);
    fireEvent.click(screen.getByTestId('token-certs-open'));
    const list = await screen.findByTestId('token-certs');
    expect(within(list).getAllByTestId('token-cert-state').map((c) => c.textContent)).toEqual(['Berlaku (dipakai)', 'Sudah diganti', 'Sertifikat CA']);
    const removes = within(list).getAllByTestId('token-cert-remove');
    expect(removes).toHaveLength(1);
    expect(removes[0]!.closest('tr')!.dataset['fingerprint']).toBe(replaced.fingerprint);
    expect(calls.map((c) => c.channel)).toEqual(['download.keyToken', 'download.tokenCertificates']);
    expect(calls[1]!.input).toEqual({ library: '/usr/lib/softhsm/libsofthsm2.so', tokenSerial: 'A1B2C3' });

    fireEvent.click(removes[0]!);
    const confirm = screen.getByTestId('token-certs-confirm');
    expect(confirm.textContent).toContain('tidak dapat dibatalkan');
    expect(confirm.textContent).toContain('Kunci privat dan kunci publiknya juga dihapus');
    expect(calls).toHaveLength(2);
    fireEvent.click(screen.getByTestId('token-certs-confirm-yes'));

    fireEvent.change(screen.getByTestId('token-certs-pin-input'), { target: { value: '000000' } });
    fireEvent.submit(screen.getByTestId('token-certs-pin-input').closest('form')!);
    expect(await screen.findByTestId('inline-error')).toHaveProperty('textContent', expect.stringContaining('PIN'));
    fireEvent.change(screen.getByTestId('token-certs-pin-input'), { target: { value: '123456' } });
    fireEvent.submit(screen.getByTestId('token-certs-pin-input').closest('form')!);

    const removed = await screen.findByTestId('token-certs-removed');
    expect(removed.textContent).toContain('dihapus dari token');
    expect(removed.textContent).toContain('Kunci privat dan kunci publiknya juga dihapus');
    expect(calls.filter((c) => c.channel === 'download.removeTokenCertificate').map((c) => c.input)).toEqual([
      { library: '/usr/lib/softhsm/libsofthsm2.so', tokenSerial: 'A1B2C3', fingerprint: replaced.fingerprint, pin: '000000' },
      { library: '/usr/lib/softhsm/libsofthsm2.so', tokenSerial: 'A1B2C3', fingerprint: replaced.fingerprint, pin: '123456' },
    ]);
    fireEvent.click(screen.getByText('Kembali ke daftar'));
    expect(within(screen.getByTestId('token-certs')).getAllByTestId('token-cert-state').map((c) => c.textContent)).toEqual(['Berlaku (dipakai)', 'Sertifikat CA']);
    expect(screen.queryByTestId('token-cert-remove')).toBeNull();
  });

  it('cancelling the confirmation removes nothing; English labels come from the catalogue', async () => {
    act(() => useLockStore.setState({ lang: 'en' }));
    render(<TokenCertificatesButton entry={entry} />);
    fireEvent.click(screen.getByText('Certificates on the token'));
    fireEvent.click(await screen.findByRole('button', { name: /Remove from token: MAMAN 2025/ }));
    expect(screen.getByTestId('token-certs-confirm').textContent).toContain('This cannot be undone.');
    fireEvent.click(screen.getByRole('button', { name: 'Cancel' }));
    await screen.findByTestId('token-certs');
    expect(calls.some((c) => c.channel === 'download.removeTokenCertificate')).toBe(false);
  });

  it('a key no longer on an inserted token is the coded error, no list', async () => {
    answers['download.keyToken'] = () => ({ ok: false, error: { code: 'PKCS11_KEY_NOT_FOUND' } });
    render(<TokenCertificatesButton entry={entry} />);
    fireEvent.click(screen.getByTestId('token-certs-open'));
    await waitFor(() => expect(useLockStore.getState().dialog).toEqual({ kind: 'error', error: { code: 'PKCS11_KEY_NOT_FOUND' } }));
    expect(screen.queryByTestId('token-certs')).toBeNull();
  });
});

describe('the download result states the real-use self-test', () => {
  afterEach(cleanup);
  const result = (realUse: Output<'download.run'>['realUse']): Output<'download.run'> =>
    ({ entry: {} as LedgerEntry, files: { pem: '/out/MAMAN.pem' }, outputDir: '/out', onToken: true, selfTest: 'passed', ...(realUse ? { realUse } : {}) }) as Output<'download.run'>;
  const shown = (realUse: Output<'download.run'>['realUse']) => {
    act(() => useLockStore.setState({ lang: 'id' }));
    render(<DownloadSuccess dialog={{ kind: 'dlSuccess', result: result(realUse) }} />);
    const chain = screen.queryByTestId('real-use-chain')?.textContent;
    const revocation = screen.queryByTestId('real-use-revocation')?.textContent;
    cleanup();
    return [chain, revocation];
  };

  it.each([
    [{ chain: 'verified', revocation: 'good', via: 'ocsp' }, 'sampai CA root', 'menurut OCSP CA'],
    [{ chain: 'verified', revocation: 'good', via: 'crl' }, 'sampai CA root', 'menurut CRL CA'],
    [{ chain: 'verified', revocation: 'unavailable' }, 'sampai CA root', 'tidak diperiksa'],
    [{ chain: 'verified', revocation: 'unknown' }, 'sampai CA root', 'tidak dikenal'],
    [{ chain: 'missing', revocation: 'unavailable' }, 'tidak lengkap', 'tanpa sertifikat CA penerbit dari AMS'],
  ] as const)('%o', (realUse, chain, revocation) => {
    const [c, r] = shown(realUse);
    expect(c).toContain(chain);
    expect(r).toContain(revocation);
  });

  it('an older main side without realUse: no lines, the rest as before', () => {
    expect(shown(undefined)).toEqual([undefined, undefined]);
  });

  it('English', () => {
    act(() => useLockStore.setState({ lang: 'en' }));
    render(<DownloadSuccess dialog={{ kind: 'dlSuccess', result: result({ chain: 'verified', revocation: 'good', via: 'ocsp' }) }} />);
    expect(screen.getByTestId('real-use').textContent).toContain('verified up to the root CA');
    expect(screen.getByTestId('real-use-revocation').textContent).toContain('good (not revoked), says the CA’s OCSP');
  });
});
