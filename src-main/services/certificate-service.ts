import { createHash, verify, type X509Certificate } from 'node:crypto';
import type { EventPayload, Input, LedgerEntry, Output } from '../../src/contract/api';
import { AppError } from '../../src/contract/errors';
import { normalizeServerUrl } from '../../src/domain/server-url';
import { normalizeToken } from '../../src/domain/token';
import type { AmsClient } from './ams-client';
import { promises as fs } from 'node:fs';
import { pausePoint } from '../storage/write-faults';
import { cleanStaleTemps } from './atomic-file';
import { certificateFileBase, writeNewFiles } from './output-files';
import { inProcessCrypto, type CryptoRunner } from './crypto-runner';
import { loginOptions, type TokenService } from './pkcs11/token-service';
import { publicView, requireKeyStore, tokenKeyOf, type RequestLedger, type StoredEntry } from './request-ledger';
import type { Signer } from './signer';
import { openKeyFile, softwareSigner } from './software-key';
import type { TokenVault } from './token-vault';
import { realUseCheck } from './real-use-check';
import { writeCertificateWithChain } from './token-chain';
import { certificateModulus, commonName, orderChain, parseCertificate, splitPem } from './x509-parts';

export type DownloadProgress = (event: EventPayload<'download.onDidProgress'>) => void;
/** Something worth a desktop notification about one request. */
export type Notify = (notice: { kind: 'issued' | 'rejected' | 'expiring'; entry: LedgerEntry }) => void;
/** Renewal opens, and the reminder comes, 30 days before expiry ("H-30"). */
const RENEWAL_WINDOW_MS = 30 * 24 * 60 * 60 * 1000;
type DownloadInput = Input<'download.run'>;

export interface CertificateServiceDeps {
  ledger: RequestLedger;
  vault: TokenVault;
  tokens: TokenService;
  /** The AMS a request was made with: entries remember their server. */
  amsFor(server: string): AmsClient;
  outputDir(): Promise<string>;
  now?: () => Date;
  /** Where the .p12 is built: a worker in the app, this thread by default. */
  crypto?: CryptoRunner;
}

/**
 * Tab "Download Sertifikat Elektronik": this computer's requests with their live
 * status, and the download that stores an issued certificate with its key —
 * .pem and .p12 for a file key, the certificate object on the token for a
 * token key — after checking that certificate and key belong together.
 */
export class CertificateService {
  private readonly now: () => Date;
  /** Entries already reminded of their expiry in this run: once is enough. */
  private readonly reminded = new Set<string>();

  constructor(private readonly deps: CertificateServiceDeps) {
    this.now = deps.now ?? (() => new Date());
  }

  /**
   * Every request with its status from AMS, where this computer still has the
   * request's token: a few AMS calls at a time, requests AMS has finished with
   * (rejected, failed, revoked, or a certificate past its end) not asked again,
   * and every change written in one transaction. `notify` hears of a request
   * that became issued or rejected since the last look, and of an Issued
   * certificate within 30 days of expiry.
   */
  async refresh(notify: Notify = () => {}): Promise<LedgerEntry[]> {
    const entries = await this.deps.ledger.list();
    const changes = new Map<string, (current: StoredEntry) => Partial<StoredEntry> | undefined>();
    const refreshed = await mapLimit(entries, REFRESH_CONCURRENCY, (entry) => this.refreshOne(entry, changes, notify));
    try {
      await this.deps.ledger.updateMany(changes);
    } catch {
      // The list still shows AMS's answers; the next refresh writes them again.
    }
    return refreshed.sort((a, b) => b.createdAt.localeCompare(a.createdAt));
  }

  /** A pasted token: the request made with it on this computer, whose token is kept from now on. */
  async findByToken(pasted: string, server: string): Promise<LedgerEntry> {
    const token = normalizeToken(pasted);
    const entry = await this.deps.ledger.findByToken(normalizeServerUrl(server), token);
    if (!entry) throw new AppError('REQUEST_NOT_FOUND');
    await this.deps.vault.set(entry.id, token);
    const changes = new Map<string, (current: StoredEntry) => Partial<StoredEntry> | undefined>();
    const view = await this.refreshOne(entry, changes);
    await this.deps.ledger.updateMany(changes).catch(() => undefined);
    return view;
  }

  /** The token that holds a request's key now, for the PIN dialog. */
  async keyToken(entryId: string): Promise<Output<'download.keyToken'>> {
    const key = tokenKeyOf(await this.entry(entryId));
    return { library: key.library, token: await this.deps.tokens.holderOf(key) };
  }

  /** `library` overrides the PKCS#11 library recorded with the key (the CLI's --module). */
  async download(input: DownloadInput, progress: DownloadProgress = () => {}, options: { library?: string } = {}): Promise<Output<'download.run'>> {
    const entry = await this.entry(input.entryId);
    requireKeyStore(entry, input.keyStore);
    const token = await this.deps.vault.get(entry.id);
    if (!token) throw new AppError('TOKEN_NEEDED');

    progress({ step: 'fetch' });
    const issued = await this.deps.amsFor(entry.server).certificate(token);
    await pausePoint('download:fetched');
    let cert: X509Certificate;
    let chain: X509Certificate[];
    try {
      cert = parseCertificate(Buffer.from(issued.certificate));
      // AMS may list the chain in any order: sorted from the leaf up.
      chain = orderChain(cert, issued.chain.flatMap((pem) => splitPem(pem)).map((pem) => parseCertificate(Buffer.from(pem))));
    } catch (cause) {
      throw new AppError('SERVER_BAD_RESPONSE', { detail: 'certificate', cause });
    }
    const base = certificateFileBase(commonName(cert), cert.serialNumber);
    const outputDir = await this.deps.outputDir();
    await this.forgetKilledAttempt(entry, outputDir);
    const replaceable = await sameCertificateFiles(entry, cert.serialNumber, issued.certificate);
    const planned = async (paths: string[]) => {
      await this.deps.ledger.update(entry.id, () => ({ pendingFiles: paths }));
      await pausePoint('download:files-planned');
    };

    progress({ step: 'verify' });
    // Real use, before anything is written: the chain reaches the root and the CA's own OCSP/CRL does not say revoked.
    const realUse = await realUseCheck(cert, chain, this.now());
    // Leaf then chain (sorted, whatever order AMS sent): software that reads the .pem gets the path to the root.
    const pemText = [issued.certificate, ...chain.map((c) => c.toString())].map((p) => (p.endsWith('\n') ? p : `${p}\n`)).join('');
    let files: { pem: string; p12?: string };
    const fileDigests: Record<string, string> = {};
    let tokenCertificate: 'written' | 'present' | undefined;
    if (input.keyStore === 'file') {
      const key = await openKeyFile(entry.keyPath, input.password);
      // Before anything is written: the certificate must be for this key.
      if (!cert.checkPrivateKey(key)) throw new AppError('CERT_KEY_MISMATCH');
      await selfTest(softwareSigner(key), cert, this.now());
      const p12 = await (this.deps.crypto ?? inProcessCrypto).pkcs12({ key, certificates: [cert.raw, ...chain.map((c) => c.raw)], password: input.password, friendlyName: commonName(cert), profile: 'compatible' });
      progress({ step: 'write' });
      const [pem, p12Path] = await writeNewFiles(outputDir, base, [{ ext: '.pem', data: pemText }, { ext: '.p12', data: p12, mode: 0o600 }], planned, replaceable);
      files = { pem: pem!, p12: p12Path! };
      fileDigests[p12Path!] = sha256(p12);
    } else {
      const key = tokenKeyOf(entry, options.library);
      if (!certificateModulus(cert).equals(key.modulus)) throw new AppError('CERT_KEY_MISMATCH');
      const holder = await this.deps.tokens.holderOf(key);
      const session = await this.deps.tokens.login(key.library, loginOptions(holder.serial, input));
      try {
        const exponent = Buffer.from(cert.publicKey.export({ format: 'jwk' }).e ?? '', 'base64url');
        await selfTest(this.deps.tokens.signer(session, { id: key.id, modulus: key.modulus, exponent }), cert, this.now());
        progress({ step: 'write' });
        const revokedSerials = new Set((await this.deps.ledger.list()).flatMap((e) => (e.amsStatus === 'revoked' && e.certificate ? [e.certificate.serialNumber] : [])));
        tokenCertificate = await writeCertificateWithChain(this.deps.tokens, session, { cert, chain, key, revokedSerials });
      } finally {
        await this.deps.tokens.logout(session);
      }
      await pausePoint('download:token-written');
      const [pem] = await writeNewFiles(outputDir, base, [{ ext: '.pem', data: pemText }], planned, replaceable);
      files = { pem: pem! };
    }

    let done: StoredEntry | undefined;
    try {
      await pausePoint('download:linked');
      done = await this.deps.ledger.update(entry.id, () => ({
        state: 'downloaded',
        amsStatus: 'issued',
        certificate: { serialNumber: cert.serialNumber, notAfter: new Date(cert.validTo).toISOString() },
        files,
        fileDigests: { ...fileDigests, [files.pem]: sha256(pemText) },
        certificatePem: issued.certificate,
        chainPem: issued.chain,
        pendingFiles: undefined,
        updatedAt: this.now().toISOString(),
      }));
      if (!done) throw new AppError('REQUEST_NOT_FOUND');
    } catch (error) {
      // Not recorded, so not kept: the files go, and a retry writes them again.
      // (A replaced earlier download's files stay: the ledger still records them.)
      await Promise.all(Object.values(files).filter((f) => !replaceable.includes(f)).map((f) => fs.rm(f, { force: true }).catch(() => undefined)));
      throw error;
    }
    progress({ step: 'done' });
    return { entry: publicView(done!), files, outputDir, onToken: tokenCertificate !== undefined, selfTest: 'passed', realUse };
  }

  private async refreshOne(
    entry: StoredEntry,
    changes: Map<string, (current: StoredEntry) => Partial<StoredEntry> | undefined>,
    notify: Notify = () => {},
  ): Promise<LedgerEntry> {
    if (isFinal(entry, this.now())) return { ...publicView(entry), tokenKnown: (await this.deps.vault.get(entry.id)) !== undefined };
    const token = await this.deps.vault.get(entry.id);
    if (!token) return { ...publicView(entry), tokenKnown: false };
    try {
      const status = await this.deps.amsFor(entry.server).status(token);
      const fields: Partial<StoredEntry> = {
        amsStatus: status.status,
        ...(status.note === undefined ? {} : { note: status.note }),
        ...(status.certificate ? { certificate: status.certificate } : {}),
      };
      const updated: StoredEntry = { ...entry, ...fields };
      const changed = updated.amsStatus !== entry.amsStatus || updated.note !== entry.note || updated.certificate?.status !== entry.certificate?.status;
      if (changed) {
        // Only AMS's fields, against the row as it is when written: a download
        // finishing meanwhile keeps its state and files.
        changes.set(entry.id, () => ({ ...fields, updatedAt: this.now().toISOString() }));
      }
      if (updated.amsStatus !== entry.amsStatus && (updated.amsStatus === 'issued' || updated.amsStatus === 'rejected')) {
        notify({ kind: updated.amsStatus, entry: publicView(updated) });
      }
      const cert = updated.certificate;
      if (cert && cert.status !== 'Renew' && cert.status !== 'Revoke' && !this.reminded.has(entry.id)) {
        const left = Date.parse(cert.notAfter) - this.now().getTime();
        if (left > 0 && left <= RENEWAL_WINDOW_MS) {
          this.reminded.add(entry.id);
          notify({ kind: 'expiring', entry: publicView(updated) });
        }
      }
      return { ...publicView(updated), tokenKnown: true };
    } catch (error) {
      // AMS out of reach: show what the ledger knows, say so; the next refresh tries again.
      return { ...publicView(entry), tokenKnown: true, refreshError: error instanceof AppError ? error.toData() : { code: 'INTERNAL' } };
    }
  }

  /** Files a killed download had linked but never recorded: removed before writing again. */
  private async forgetKilledAttempt(entry: StoredEntry, outputDir: string): Promise<void> {
    await cleanStaleTemps(outputDir);
    if (!entry.pendingFiles?.length) return;
    const recorded = new Set(Object.values(entry.files ?? {}));
    await Promise.all(entry.pendingFiles.filter((f) => !recorded.has(f)).map((f) => fs.rm(f, { force: true }).catch(() => undefined)));
  }

  private async entry(id: string): Promise<StoredEntry> {
    const entry = await this.deps.ledger.get(id);
    if (!entry) throw new AppError('REQUEST_NOT_FOUND');
    return entry;
  }
}

/**
 * A second download of the same certificate replaces the files the first one wrote
 * (the ledger recorded them and their SHA-256), so the folder keeps one copy instead of
 * "… (2).pem". Files of any other certificate, or changed since, are never replaced: the
 * new set then gets the next free name.
 */
async function sameCertificateFiles(entry: StoredEntry, serialNumber: string, leafPem: string): Promise<string[]> {
  if (!entry.files || entry.certificate?.serialNumber.toUpperCase() !== serialNumber.toUpperCase()) return [];
  const recorded = Object.values(entry.files).filter((f): f is string => typeof f === 'string');
  const body = leafPem.replace(/-----[^-]+-----|\s/g, '');
  const unchanged = await Promise.all(
    recorded.map(async (file) => {
      const onDisk = await fs.readFile(file).catch(() => undefined);
      if (!onDisk) return false;
      const digest = entry.fileDigests?.[file];
      if (digest) return sha256(onDisk) === digest;
      // Recorded before digests were: only a .pem that still holds this certificate (a .p12 is DER,
      // never the certificate's base64 text).
      return onDisk.toString('utf8').replace(/\s/g, '').includes(body);
    }),
  );
  return recorded.filter((_, i) => unchanged[i]);
}

const sha256 = (data: string | Buffer) => createHash('sha256').update(data).digest('hex');

// Six, as browsers open per host: at four, 1,000 unchanged rows took 0.56–0.60 s in the bench (median of
// five), at six 0.41–0.57 s, at eight 0.41–0.44 s; more only queues at the server.
const REFRESH_CONCURRENCY = 6;
const FINAL_STATUSES = new Set(['rejected', 'enroll_failed', 'revoked']);

/** AMS will not change this request any more: rejected, failed, revoked, or its certificate has ended. */
function isFinal(entry: StoredEntry, now: Date): boolean {
  if (entry.amsStatus && FINAL_STATUSES.has(entry.amsStatus)) return true;
  return entry.certificate !== undefined && Date.parse(entry.certificate.notAfter) < now.getTime();
}

/** `work` over `items`, at most `limit` at a time, results in order. */
async function mapLimit<T, R>(items: T[], limit: number, work: (item: T) => Promise<R>): Promise<R[]> {
  const results = new Array<R>(items.length);
  let next = 0;
  const worker = async () => {
    while (next < items.length) {
      const i = next++;
      results[i] = await work(items[i]!);
    }
  };
  await Promise.all(Array.from({ length: Math.min(limit, items.length) }, worker));
  return results;
}

/** Signs a short message with the key (on the token, for token keys) and verifies it with the certificate. */
async function selfTest(signer: Signer, cert: X509Certificate, now: Date): Promise<void> {
  const message = Buffer.from(`LOCK Desktop self-test ${now.toISOString()}`);
  const signature = await signer.signSha256(message);
  if (!verify('sha256', message, cert.publicKey, signature)) throw new AppError('CERT_KEY_MISMATCH', { detail: 'self-test signature does not verify' });
}
