import { existsSync, readFileSync, rmSync } from 'node:fs';
import { mkdir, readdir, writeFile } from 'node:fs/promises';
import path from 'node:path';
import { DatabaseSync } from 'node:sqlite';
import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import { AppError } from '../../src/contract/errors';
import { AmsClient } from '../../src-main/services/ams-client';
import { CertificateService } from '../../src-main/services/certificate-service';
import { InProcessTransport, TokenService } from '../../src-main/services/pkcs11/token-service';
import { RequestLedger, type StoredEntry } from '../../src-main/services/request-ledger';
import { RequestService } from '../../src-main/services/request-service';
import { buildCsr } from '../../src-main/services/csr-builder';
import { generateSoftwareKey, softwareSigner } from '../../src-main/services/software-key';
import { TokenVault } from '../../src-main/services/token-vault';
import { memoryKeychain, startFlow, STRONG_PASSWORD, type Flow } from '../support/flow';
import { deadPid } from '../support/tools';

// Recovery paths of the request and certificate services, in-process against the real mock over HTTP.
const MAMAN = 'maman@instansi.go.id';
let flow: Flow;
beforeEach(async () => {
  flow = await startFlow({ autoApprove: true });
});
afterEach(async () => flow.cleanup());

/** A CSR of Maman's made with a key of its own, as another computer would send it. */
async function otherCsr(): Promise<string> {
  return buildCsr(flow.mock.core.employeeOf(flow.mock.store.findUser(MAMAN)!), softwareSigner(await generateSoftwareKey()));
}

const fileInput = (token: string) => ({ token, keyStore: 'file' as const, password: STRONG_PASSWORD, passwordConfirm: STRONG_PASSWORD });

/** A CertificateService over the flow's ledger (or another view of it), the token kept in its vault. */
async function downloads(ledger: RequestLedger = flow.ledger) {
  const outputDir = path.join(flow.dataDir, '..', 'Documents');
  const vault = await TokenVault.open(async () => memoryKeychain());
  const tokens = new TokenService(new InProcessTransport());
  const certificates = new CertificateService({ ledger, vault, tokens, amsFor: (s) => new AmsClient(s), outputDir: async () => outputDir });
  return { certificates, vault, outputDir };
}

/** An issued request of Maman's: its ledger entry, and the token in the vault of `certificates`. */
async function issued(vault: TokenVault): Promise<{ entry: StoredEntry; token: string }> {
  const { token } = await flow.mock.mintToken(MAMAN);
  const { entry } = await flow.service.submit(fileInput(token));
  await vault.set(entry.id, token);
  return { entry: (await flow.ledger.get(entry.id))!, token };
}

describe('a request', () => {
  it("a claim a killed process left: its key and sidecar are set aside in keys/discarded, then the request goes ahead", async () => {
    const { token } = await flow.mock.mintToken(MAMAN);
    const keys = path.join(flow.dataDir, 'keys');
    const keyPath = path.join(keys, 'killed.pem');
    await flow.ledger.claim(flow.mock.url, token, { id: 'killed', keyPath }, async () => {});
    await mkdir(keys, { recursive: true });
    await writeFile(keyPath, 'the killed attempt’s key');
    await writeFile(path.join(keys, 'killed.json'), '{}');
    const db = new DatabaseSync(flow.ledger.file);
    db.prepare('UPDATE requests SET owner = ? WHERE id = ?').run(`pid:${deadPid()}`, 'killed');
    db.close();

    const { entry } = await flow.service.submit(fileInput(token));
    expect(entry.state).toBe('csr_sent');
    expect((await readdir(path.join(keys, 'discarded'))).sort()).toEqual(['killed.json', 'killed.pem']);
    expect(readFileSync(path.join(keys, 'discarded', 'killed.pem'), 'utf8')).toBe('the killed attempt’s key');
    expect(existsSync(keyPath)).toBe(false);
    expect((await flow.ledger.discarded()).map((d) => d.id)).toEqual(['killed']);
  });

  it('an entry another window discarded while the CSR was on its way: the answer still says sent, with AMS’s status', async () => {
    const { token } = await flow.mock.mintToken(MAMAN);
    /** An AMS client whose upload lands after the entry is gone from the ledger. */
    class DiscardingClient extends AmsClient {
      override async uploadCsr(amsToken: string, csr: string) {
        const status = await super.uploadCsr(amsToken, csr);
        const [entry] = await flow.ledger.list();
        await flow.ledger.discard(entry!.id, 'discarded by another window', () => true);
        return status;
      }
    }
    const vault = await TokenVault.open(async () => memoryKeychain());
    const tokens = new TokenService(new InProcessTransport());
    const service = new RequestService({ ams: new DiscardingClient(flow.mock.url), ledger: flow.ledger, vault, tokens, dataDir: flow.dataDir });
    const { entry, resent } = await service.submit(fileInput(token));
    expect(resent).toBe(false);
    expect(entry).toMatchObject({ state: 'csr_sent', amsStatus: flow.mock.store.findRequestByToken(token)!.status });
    expect(await flow.ledger.get(entry.id)).toBeUndefined();
    await tokens.close();
  });
});

describe('a request whose token AMS already used', () => {
  it('sent from another computer: TOKEN_ALREADY_USED before any key is made', async () => {
    const { token } = await flow.mock.mintToken(MAMAN);
    // Another computer's LOCK sent a CSR for this token.
    await new AmsClient(flow.mock.url).uploadCsr(token, await otherCsr());
    const steps: string[] = [];
    await expect(flow.service.submit(fileInput(token), (p) => steps.push(p.step))).rejects.toMatchObject({ code: 'TOKEN_ALREADY_USED' });
    expect(steps).not.toContain('keygen');
    expect(await flow.ledger.list()).toEqual([]);
  });

  it('sent by another window of this computer while this one looked it up: answered as a resend of that entry', async () => {
    const { token } = await flow.mock.mintToken(MAMAN);
    const { entry } = await flow.service.submit(fileInput(token));
    // This window's first look found nothing yet; the other window's entry is there by the second.
    let looks = 0;
    const ledger = Object.create(flow.ledger) as RequestLedger;
    ledger.findByToken = async (server, t) => (++looks === 1 ? undefined : flow.ledger.findByToken(server, t));
    const vault = await TokenVault.open(async () => memoryKeychain());
    const tokens = new TokenService(new InProcessTransport());
    const service = new RequestService({ ams: new AmsClient(flow.mock.url), ledger, vault, tokens, dataDir: flow.dataDir });
    expect(await service.submit(fileInput(token))).toMatchObject({ resent: true, entry: { id: entry.id } });
    await tokens.close();
  });
});

describe('a request whose entry only the claim finds', () => {
  it('(its first send failed; both look-ups missed it): answered as a resend of that entry, no second key', async () => {
    const { token } = await flow.mock.mintToken(MAMAN);
    /** The network drops the first upload. */
    class DroppingClient extends AmsClient {
      override async uploadCsr(): Promise<never> {
        throw new AppError('SERVER_UNREACHABLE');
      }
    }
    const failed = new RequestService({ ams: new DroppingClient(flow.mock.url), ledger: flow.ledger, vault: await TokenVault.open(async () => memoryKeychain()), tokens: new TokenService(new InProcessTransport()), dataDir: flow.dataDir });
    await expect(failed.submit(fileInput(token))).rejects.toMatchObject({ code: 'SERVER_UNREACHABLE' });
    const [pending] = await flow.ledger.list();
    expect(pending).toMatchObject({ state: 'csr_ready' });

    const ledger = Object.create(flow.ledger) as RequestLedger;
    ledger.findByToken = async () => undefined;
    const tokens = new TokenService(new InProcessTransport());
    const service = new RequestService({ ams: new AmsClient(flow.mock.url), ledger, vault: await TokenVault.open(async () => memoryKeychain()), tokens, dataDir: flow.dataDir });
    expect(await service.submit(fileInput(token))).toMatchObject({ resent: true, entry: { id: pending!.id, state: 'csr_sent' } });
    expect((await readdir(path.join(flow.dataDir, 'keys'))).filter((f) => f.endsWith('.pem'))).toEqual([`${pending!.id}.pem`]);
    await tokens.close();
  });
});

describe('a request that fails before its CSR is sent', () => {
  it('leaves nothing: its key file and sidecar are removed and its claim released; the next try goes ahead', async () => {
    const { token } = await flow.mock.mintToken(MAMAN);
    const ledger = Object.create(flow.ledger) as RequestLedger;
    ledger.complete = async () => {
      throw new AppError('FILE_WRITE_FAILED', { detail: 'ENOSPC: ledger.sqlite' });
    };
    const tokens = new TokenService(new InProcessTransport());
    const service = new RequestService({ ams: new AmsClient(flow.mock.url), ledger, vault: await TokenVault.open(async () => memoryKeychain()), tokens, dataDir: flow.dataDir });
    await expect(service.submit(fileInput(token))).rejects.toMatchObject({ code: 'FILE_WRITE_FAILED' });
    expect(await readdir(path.join(flow.dataDir, 'keys'))).toEqual([]);
    expect(await flow.ledger.claims()).toEqual([]);
    await expect(flow.service.submit(fileInput(token))).resolves.toMatchObject({ resent: false, entry: { state: 'csr_sent' } });
    await tokens.close();
  });
});

describe('a refresh', () => {
  it('lists the requests newest first', async () => {
    const { certificates, vault } = await downloads();
    const first = await issued(vault);
    const second = await issued(vault);
    expect((await certificates.refresh()).map((e) => e.id)).toEqual([second.entry.id, first.entry.id]);
  });

  it('does not ask AMS again about a request it called final (rejected, enrollment failed, revoked); keeps a note AMS no longer sends', async () => {
    let asked = 0;
    class CountingClient extends AmsClient {
      override async status(token: string) {
        asked += 1;
        return super.status(token);
      }
    }
    const vault = await TokenVault.open(async () => memoryKeychain());
    const certificates = new CertificateService({
      ledger: flow.ledger,
      vault,
      tokens: new TokenService(new InProcessTransport()),
      amsFor: (s) => new CountingClient(s),
      outputDir: async () => flow.dataDir,
    });
    // Waiting for the verifier: AMS's answer has no note.
    flow.mock.settings.autoApprove = false;
    const { entry } = await issued(vault);
    await flow.ledger.update(entry.id, () => ({ note: 'Catatan lama' }));
    const [kept] = await certificates.refresh();
    expect(asked).toBe(1);
    expect(kept).toMatchObject({ id: entry.id, amsStatus: 'csr_uploaded', note: 'Catatan lama' });

    for (const status of ['rejected', 'enroll_failed', 'revoked'] as const) {
      await flow.ledger.update(entry.id, () => ({ amsStatus: status }));
      const [final] = await certificates.refresh();
      expect(asked).toBe(1);
      expect(final).toMatchObject({ id: entry.id, amsStatus: status, tokenKnown: true });
    }
  });
});

describe('a download', () => {
  it('of an entry this computer does not have: REQUEST_NOT_FOUND', async () => {
    const { certificates } = await downloads();
    await expect(certificates.download({ entryId: 'no-such-entry', keyStore: 'file', password: STRONG_PASSWORD })).rejects.toMatchObject({ code: 'REQUEST_NOT_FOUND' });
  });

  it('a token sent again after its certificate was downloaded: the entry stays downloaded', async () => {
    const { certificates, vault } = await downloads();
    const { entry, token } = await issued(vault);
    await certificates.download({ entryId: entry.id, keyStore: 'file', password: STRONG_PASSWORD });
    expect(await flow.service.submit(fileInput(token))).toMatchObject({ resent: true, entry: { id: entry.id, state: 'downloaded' } });
    expect((await flow.ledger.get(entry.id))!.state).toBe('downloaded');
  });

  it('answered for the other key store: the one the key is in is named', async () => {
    const { certificates, vault } = await downloads();
    const { entry } = await issued(vault);
    await expect(certificates.download({ entryId: entry.id, keyStore: 'pkcs11', pin: '123456' })).rejects.toMatchObject({ code: 'EXISTING_KEY_IN_FILE' });
  });

  it('says each step as it goes, and records the files it will write before it writes them', async () => {
    // The ledger as the service sees it, with every change it asks for kept.
    const asked: Partial<StoredEntry>[] = [];
    const ledger = Object.create(flow.ledger) as RequestLedger;
    ledger.update = (id, change) => flow.ledger.update(id, (current) => {
      const made = change(current);
      if (made) asked.push(made);
      return made;
    });
    const { certificates, vault, outputDir } = await downloads(ledger);
    const { entry } = await issued(vault);
    const steps: string[] = [];
    const { files } = await certificates.download({ entryId: entry.id, keyStore: 'file', password: STRONG_PASSWORD }, (p) => steps.push(p.step));
    expect(steps).toEqual(['fetch', 'verify', 'write', 'done']);
    const planned = asked.find((c) => c.pendingFiles)?.pendingFiles;
    expect(planned?.sort()).toEqual([files.pem, files.p12].sort());
    expect(planned!.every((f) => path.dirname(f) === outputDir)).toBe(true);
  });

  it('a download again whose record fails keeps the files the earlier download recorded (it wrote the same names)', async () => {
    let failRecord = false;
    const ledger = Object.create(flow.ledger) as RequestLedger;
    ledger.update = (id, change) =>
      flow.ledger.update(id, (current) => {
        const made = change(current);
        if (failRecord && made?.state === 'downloaded') throw new Error('the record failed');
        return made;
      });
    const { certificates, vault } = await downloads(ledger);
    const { entry } = await issued(vault);
    const input = { entryId: entry.id, keyStore: 'file' as const, password: STRONG_PASSWORD };
    const { files } = await certificates.download(input);
    failRecord = true;
    await expect(certificates.download(input)).rejects.toThrow('the record failed');
    expect([existsSync(files.pem), existsSync(files.p12!)]).toEqual([true, true]);
    expect((await flow.ledger.get(entry.id))!.files).toEqual(files);
  });

  it('the same certificate again replaces its own files, each only while unchanged since; a .pem changed since is never overwritten', async () => {
    const { certificates, vault, outputDir } = await downloads();
    const { entry } = await issued(vault);
    const input = { entryId: entry.id, keyStore: 'file' as const, password: STRONG_PASSWORD };
    const first = (await certificates.download(input)).files;
    expect((await certificates.download(input)).files).toEqual(first);
    expect((await readdir(outputDir)).sort()).toEqual([path.basename(first.pem), path.basename(first.p12!)].sort());

    // Someone wrote their own text into the .pem: kept as it is, the download takes the next free names.
    await writeFile(first.pem, 'my notes\n');
    const second = (await certificates.download(input)).files;
    expect(second.pem).not.toBe(first.pem);
    expect(readFileSync(first.pem, 'utf8')).toBe('my notes\n');

    // The recorded .pem is gone: written again under its name, and the .p12 beside it, unchanged
    // since (its SHA-256 is the one recorded), is replaced: the set keeps its names.
    rmSync(second.pem);
    const third = (await certificates.download(input)).files;
    expect(third).toEqual(second);
    expect(existsSync(third.pem)).toBe(true);
  });

  it('a download recorded before file digests: its .pem is replaced only while it holds this certificate, its .p12 never', async () => {
    const { certificates, vault, outputDir } = await downloads();
    const { entry } = await issued(vault);
    const input = { entryId: entry.id, keyStore: 'file' as const, password: STRONG_PASSWORD };
    const first = (await certificates.download(input)).files;
    const olderVersion = () => flow.ledger.update(entry.id, () => ({ fileDigests: undefined }));
    await olderVersion();
    expect((await flow.ledger.get(entry.id))!.fileDigests).toBeUndefined();
    // Its .p12 cannot be told from one the user changed: kept, and the new set gets " (2)".
    const second = (await certificates.download(input)).files;
    expect(path.basename(second.pem)).toMatch(/ \(2\)\.pem$/);
    expect(existsSync(first.p12!)).toBe(true);
    // With no .p12 there, the .pem that still holds this certificate is replaced in place.
    await olderVersion();
    rmSync(second.p12!);
    expect((await certificates.download(input)).files).toEqual(second);
    // A .pem that no longer holds it is kept.
    await olderVersion();
    rmSync(second.p12!);
    await writeFile(second.pem, 'my notes\n');
    const fourth = (await certificates.download(input)).files;
    expect(path.basename(fourth.pem)).toMatch(/ \(3\)\.pem$/);
    expect(readFileSync(second.pem, 'utf8')).toBe('my notes\n');
    expect((await readdir(outputDir)).length).toBe(5);
  });

  it('files a killed download linked but never recorded are removed first; files the ledger records stay', async () => {
    const { certificates, vault, outputDir } = await downloads();
    const { entry } = await issued(vault);
    await mkdir(outputDir, { recursive: true });
    const leftover = path.join(outputDir, 'left by a killed download.pem');
    const recorded = path.join(outputDir, 'recorded earlier.pem');
    await writeFile(leftover, 'half');
    await writeFile(recorded, 'kept');
    await flow.ledger.update(entry.id, () => ({ pendingFiles: [leftover, recorded], files: { pem: recorded } }));
    const result = await certificates.download({ entryId: entry.id, keyStore: 'file', password: STRONG_PASSWORD });
    expect(existsSync(leftover)).toBe(false);
    expect(readFileSync(recorded, 'utf8')).toBe('kept');
    expect(existsSync(result.files.pem)).toBe(true);
    expect((await flow.ledger.get(entry.id))?.pendingFiles).toBeUndefined();
  });

  it('an entry discarded while its files were written: REQUEST_NOT_FOUND, and none of the new files is kept', async () => {
    // Another window discards the entry just before the download records its files.
    class DiscardingLedger extends RequestLedger {
      override async update(id: string, change: (current: StoredEntry) => Partial<StoredEntry> | undefined) {
        const now = await this.get(id);
        if (now && change(now)?.state === 'downloaded') await this.discard(id, 'discarded in another window', () => true);
        return super.update(id, change);
      }
    }
    const ledger = new DiscardingLedger(flow.dataDir);
    const { certificates, vault, outputDir } = await downloads(ledger);
    try {
      const { entry } = await issued(vault);
      await expect(certificates.download({ entryId: entry.id, keyStore: 'file', password: STRONG_PASSWORD })).rejects.toMatchObject({ code: 'REQUEST_NOT_FOUND' });
      expect((await readdir(outputDir)).filter((n) => !n.startsWith('.'))).toEqual([]);
    } finally {
      ledger.close();
    }
  });

  it('a certificate PEM without its final newline still makes a .pem of whole blocks, leaf then chain', async () => {
    const { certificates, vault } = await downloads();
    const { entry, token } = await issued(vault);
    const request = flow.mock.store.findRequestByToken(token)!;
    flow.mock.store.putRequest({ ...request, certificate: { ...request.certificate!, pem: request.certificate!.pem.trimEnd() } });
    const result = await certificates.download({ entryId: entry.id, keyStore: 'file', password: STRONG_PASSWORD });
    const text = readFileSync(result.files.pem, 'utf8');
    expect(text.match(/-----BEGIN CERTIFICATE-----[\s\S]+?-----END CERTIFICATE-----\n/g)).toHaveLength(3);
    expect(text).not.toContain('-----END CERTIFICATE----------BEGIN');
  });

  it('a certificate AMS sends that does not parse: SERVER_BAD_RESPONSE naming the certificate, nothing written', async () => {
    const { certificates, vault, outputDir } = await downloads();
    const { entry, token } = await issued(vault);
    const request = flow.mock.store.findRequestByToken(token)!;
    flow.mock.store.putRequest({ ...request, certificate: { ...request.certificate!, pem: '-----BEGIN CERTIFICATE-----\nbm90IGEgY2VydGlmaWNhdGU=\n-----END CERTIFICATE-----\n' } });
    await expect(certificates.download({ entryId: entry.id, keyStore: 'file', password: STRONG_PASSWORD })).rejects.toMatchObject({ code: 'SERVER_BAD_RESPONSE', detail: 'certificate' });
    expect(existsSync(outputDir)).toBe(false);
  });
});
