import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import { AmsClient } from '../../src-main/services/ams-client';
import { CertificateService, type Notify } from '../../src-main/services/certificate-service';
import { InProcessTransport, TokenService } from '../../src-main/services/pkcs11/token-service';
import type { StoredEntry } from '../../src-main/services/request-ledger';
import { TokenVault } from '../../src-main/services/token-vault';
import { memoryKeychain, startFlow, STRONG_PASSWORD, type Flow } from '../support/flow';

// What a status refresh writes and tells, in-process against the real mock over HTTP: a row is written only when
// AMS's answer changed it; issued and rejected are told once; an Issued certificate's last 30 days are told once.
const MAMAN = 'maman@instansi.go.id';
const DAY = 86_400_000;
let flow: Flow;
let vault: TokenVault;
beforeEach(async () => {
  flow = await startFlow({ autoApprove: false });
  vault = await TokenVault.open(async () => memoryKeychain());
});
afterEach(async () => flow.cleanup());

/** A CertificateService over the flow, with its own clock and an AMS client for each server (or the one given). */
function service(now: () => Date = () => new Date(), amsFor = (server: string) => new AmsClient(server, { retries: 0 })) {
  return new CertificateService({ ledger: flow.ledger, vault, tokens: new TokenService(new InProcessTransport()), amsFor, outputDir: async () => flow.dataDir, now });
}

/** A request sent to AMS (waiting for the verifier), its token in the vault. */
async function sent(): Promise<{ entry: StoredEntry; requestId: string }> {
  const { token } = await flow.mock.mintToken(MAMAN);
  const { entry } = await flow.service.submit({ token, keyStore: 'file', password: STRONG_PASSWORD, passwordConfirm: STRONG_PASSWORD });
  await vault.set(entry.id, token);
  return { entry: (await flow.ledger.get(entry.id))!, requestId: flow.mock.store.findRequestByToken(token)!.id };
}

/** A request approved at AMS and refreshed once, so the ledger has its certificate's end. */
async function issued(): Promise<{ requestId: string; notAfter: number }> {
  const { entry, requestId } = await sent();
  await flow.mock.core.decide(requestId, 'approve');
  await service().refresh();
  return { requestId, notAfter: Date.parse((await flow.ledger.get(entry.id))!.certificate!.notAfter) };
}

const told = () => {
  const notices: { kind: string; id: string }[] = [];
  const notify: Notify = (n) => notices.push({ kind: n.kind, id: n.entry.id });
  return { notices, notify };
};

describe('a refresh writes a row only when AMS changed it', () => {
  it('nothing changed: the row is not written again; a new note, a new status or a new certificate status each are', async () => {
    const certificates = service();
    const { entry, requestId } = await sent();
    await certificates.refresh();
    const first = (await flow.ledger.get(entry.id))!;
    await new Promise((resolve) => setTimeout(resolve, 5));
    await certificates.refresh();
    expect((await flow.ledger.get(entry.id))!.updatedAt).toBe(first.updatedAt);

    // Only the note.
    flow.mock.store.putRequest({ ...flow.mock.store.findRequest(requestId)!, note: 'Mohon lengkapi surat' });
    await certificates.refresh();
    expect((await flow.ledger.get(entry.id))!).toMatchObject({ note: 'Mohon lengkapi surat', amsStatus: first.amsStatus });

    // Only the status.
    await flow.mock.core.decide(requestId, 'approve', 'Mohon lengkapi surat');
    await certificates.refresh();
    const issued = (await flow.ledger.get(entry.id))!;
    expect(issued).toMatchObject({ amsStatus: 'issued', note: 'Mohon lengkapi surat', certificate: { status: 'Issued' } });

    // Only the certificate's status (renewed: AMS calls it Renew; the request stays issued).
    const request = flow.mock.store.findRequest(requestId)!;
    flow.mock.store.putRequest({ ...request, certificate: { ...request.certificate!, renewedAt: new Date().toISOString() } });
    await certificates.refresh();
    expect((await flow.ledger.get(entry.id))!).toMatchObject({ amsStatus: 'issued', certificate: { status: 'Renew' } });
  });
});

describe('a refresh tells', () => {
  it('issued and rejected once, when AMS first says so; no other change is told', async () => {
    const certificates = service();
    const a = await sent();
    const b = await sent();
    const { notices, notify } = told();
    await certificates.refresh(notify);
    expect(notices).toEqual([]);
    // Another change (letter and agreement: submitted) is not told.
    await flow.mock.core.uploadLetter(a.requestId, MAMAN, { bytes: Buffer.from('%PDF-1.4 surat'), name: 'surat.pdf' });
    await flow.mock.core.submit(a.requestId, MAMAN, true);
    await certificates.refresh(notify);
    expect((await flow.ledger.get(a.entry.id))!.amsStatus).toBe('submitted');
    expect(notices).toEqual([]);

    await flow.mock.core.decide(a.requestId, 'approve');
    await flow.mock.core.decide(b.requestId, 'reject', 'Data tidak lengkap');
    await certificates.refresh(notify);
    expect(notices.sort((x, y) => x.kind.localeCompare(y.kind))).toEqual([
      { kind: 'issued', id: a.entry.id },
      { kind: 'rejected', id: b.entry.id },
    ]);
    await certificates.refresh(notify);
    expect(notices).toHaveLength(2);
  });

  it('an Issued certificate from 30 days before its end, once: at exactly 30 days, not a millisecond earlier, not after its end', async () => {
    const { requestId, notAfter } = await issued();
    const remindedAt = async (at: number) => {
      const { notices, notify } = told();
      const certificates = service(() => new Date(at));
      await certificates.refresh(notify);
      await certificates.refresh(notify);
      return notices.map((n) => n.kind);
    };
    expect(await remindedAt(notAfter - 30 * DAY - 1)).toEqual([]);
    expect(await remindedAt(notAfter - 30 * DAY)).toEqual(['expiring']);
    expect(await remindedAt(notAfter - 1)).toEqual(['expiring']);
    expect(await remindedAt(notAfter)).toEqual([]);
    // Renewed: nothing more to remind.
    flow.mock.store.putRequest({ ...flow.mock.store.findRequest(requestId)!, certificate: { ...flow.mock.store.findRequest(requestId)!.certificate!, renewedAt: new Date().toISOString() } });
    expect(await remindedAt(notAfter - DAY)).toEqual([]);
  });
});

describe('a refresh asks AMS', () => {
  it('about an Issued certificate up to its last millisecond, not after it has ended', async () => {
    const { notAfter } = await issued();
    const askedAt = async (at: number) => {
      let asked = 0;
      const counting = (server: string) =>
        Object.assign(new AmsClient(server, { retries: 0 }), {
          status(this: AmsClient, token: string) {
            asked += 1;
            return AmsClient.prototype.status.call(this, token);
          },
        });
      await service(() => new Date(at), counting).refresh();
      return asked;
    };
    expect(await askedAt(notAfter)).toBe(1);
    expect(await askedAt(notAfter + 1)).toBe(0);
  });
});

describe('a refresh asks AMS a few at a time', () => {
  it('eight requests: at most six status calls at once, every one answered', async () => {
    for (let i = 0; i < 8; i++) await sent();
    let inFlight = 0;
    let most = 0;
    const counting = (server: string) =>
      Object.assign(new AmsClient(server, { retries: 0 }), {
        async status(this: AmsClient, token: string) {
          most = Math.max(most, ++inFlight);
          try {
            await new Promise((resolve) => setTimeout(resolve, 50));
            return await AmsClient.prototype.status.call(this, token);
          } finally {
            inFlight -= 1;
          }
        },
      });
    const shown = await service(undefined, counting).refresh();
    expect(shown.filter((e) => e.amsStatus === 'csr_uploaded' && !e.refreshError)).toHaveLength(8);
    expect(most).toBe(6);
  });
});

describe('a refresh with AMS out of reach', () => {
  it('shows the row as the ledger knows it, with the token still known and the reason', async () => {
    const { entry } = await sent();
    const certificates = service(undefined, () => new AmsClient('http://127.0.0.1:9', { retries: 0 }));
    const [shown] = await certificates.refresh();
    expect(shown).toMatchObject({ id: entry.id, tokenKnown: true, refreshError: { code: 'SERVER_UNREACHABLE' }, amsStatus: entry.amsStatus });
  });
});
