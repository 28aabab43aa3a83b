import { describe, expect, it } from 'vitest';
import type { StatusResponse } from '../../src/ams-api/schemas';
import { CertificateService, type CertificateServiceDeps, type Notify } from '../../src-main/services/certificate-service';
import { noticeText } from '../../src-main/services/notices';
import type { StoredEntry } from '../../src-main/services/request-ledger';

const NOW = new Date('2026-11-30T10:00:00Z');
const DAY = 86_400_000;

const stored = (change: Partial<StoredEntry> = {}): StoredEntry => ({
  id: '00000000-0000-4000-8000-000000000001',
  requestId: 'r1',
  product: 'Tanda Tangan Elektronik',
  server: 'http://ams.invalid',
  employee: { name: 'MAMAN', unit: 'U', organization: 'O', email: 'maman@instansi.go.id', locality: 'L', province: 'P', country: 'ID' },
  keyStore: 'file',
  state: 'csr_sent',
  amsStatus: 'submitted',
  createdAt: NOW.toISOString(),
  updatedAt: NOW.toISOString(),
  tokenHash: 'h',
  csrPem: 'csr',
  ...change,
});

/** The real service over an in-memory ledger and a scripted AMS status. */
function service(entries: StoredEntry[], answer: () => StatusResponse | Error) {
  const deps = {
    ledger: {
      list: async () => entries,
      // The ledger's batched write: each change applied to the row as it is now.
      updateMany: async (changes: Map<string, (current: StoredEntry) => Partial<StoredEntry> | undefined>) => {
        entries.forEach((e, i) => {
          const change = changes.get(e.id)?.(e);
          if (change) entries[i] = { ...e, ...change };
        });
      },
    },
    vault: { get: async () => 'TOKEN' },
    tokens: {},
    amsFor: () => ({
      status: async () => {
        const a = answer();
        if (a instanceof Error) throw a;
        return a;
      },
    }),
    outputDir: async () => '/tmp',
    now: () => NOW,
  } as unknown as CertificateServiceDeps;
  return new CertificateService(deps);
}

const status = (change: Partial<StatusResponse>): StatusResponse => ({ requestId: 'r1', product: 'Tanda Tangan Elektronik', status: 'submitted', updatedAt: NOW.toISOString(), ...change });

describe('notices about watched requests', () => {
  it('announces an issuance once, when the status changes', async () => {
    const heard: Parameters<Notify>[0][] = [];
    const certificate = { serialNumber: 'AB', notAfter: new Date(NOW.getTime() + 365 * DAY).toISOString(), status: 'Issued' as const };
    const svc = service([stored()], () => status({ status: 'issued', certificate }));
    await svc.refresh((n) => heard.push(n));
    await svc.refresh((n) => heard.push(n));
    expect(heard.map((n) => n.kind)).toEqual(['issued']);
    expect(noticeText(heard[0]!, 'id')).toMatchObject({ title: 'Sertifikat terbit', body: expect.stringContaining('MAMAN') });
  });

  it('announces a rejection with the verifier’s note', async () => {
    const heard: Parameters<Notify>[0][] = [];
    await service([stored()], () => status({ status: 'rejected', note: 'Surat tidak sesuai' })).refresh((n) => heard.push(n));
    expect(noticeText(heard[0]!, 'en')).toMatchObject({ kind: 'rejected', title: 'Request rejected', body: expect.stringContaining('Surat tidak sesuai') });
  });

  it('reminds from 30 days before expiry (H-30), once per run, not for a renewed certificate', async () => {
    const soon = { serialNumber: 'AB', notAfter: new Date(NOW.getTime() + 20 * DAY).toISOString(), status: 'Issued' as const };
    const heard: Parameters<Notify>[0][] = [];
    const svc = service([stored({ amsStatus: 'issued', certificate: soon })], () => status({ status: 'issued', certificate: soon }));
    await svc.refresh((n) => heard.push(n));
    await svc.refresh((n) => heard.push(n));
    expect(heard.map((n) => n.kind)).toEqual(['expiring']);
    expect(noticeText(heard[0]!, 'id').body).toContain('Permohonan Pembaruan');

    const renewed = { ...soon, status: 'Renew' as const };
    const none: unknown[] = [];
    await service([stored({ amsStatus: 'issued', certificate: renewed })], () => status({ status: 'issued', certificate: renewed })).refresh((n) => none.push(n));
    expect(none).toEqual([]);
  });

  it('a refresh AMS does not answer is reported on the row, not hidden', async () => {
    const [row] = await service([stored()], () => new Error('ECONNREFUSED')).refresh();
    expect(row!.refreshError).toEqual({ code: 'INTERNAL' });
    expect(row!.amsStatus).toBe('submitted');
  });
});
