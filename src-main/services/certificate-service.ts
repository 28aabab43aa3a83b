import { verify, type X509Certificate } from 'node:crypto';
import type { EventPayload, Input, LedgerEntry, Output } from '../../src/contract/api';
import { AppError } from '../../src/contract/errors';
import { normalizeToken } from '../../src/domain/token';
import type { AmsClient } from './ams-client';
import { certificateFileBase, writeNewFile } from './output-files';
import { buildPkcs12 } from './p12/pkcs12-builder';
import { loginOptions, type TokenService } from './pkcs11/token-service';
import { publicView, requireKeyStore, tokenKeyOf, type RequestLedger, type StoredEntry } from './request-ledger';
import type { Signer } from './signer';
import { openKeyFile, softwareSigner } from './software-key';
import type { TokenVault } from './token-vault';
import { realUseCheck } from './real-use-check';
import { writeCertificateWithChain } from './token-chain';
import { certificateModulus, commonName, orderChain, parseCertificate, splitPem } from './x509-parts';

export type DownloadProgress = (event: EventPayload<'download.onDidProgress'>) => void;
type DownloadInput = Input<'download.run'>;

export interface CertificateServiceDeps {
  ledger: RequestLedger;
  vault: TokenVault;
  tokens: TokenService;
  /** The AMS a request was made with: entries remember their server. */
  amsFor(server: string): AmsClient;
  outputDir(): Promise<string>;
  now?: () => Date;
}

/**
 * Tab "Download Sertifikat Elektronik": this computer's requests with their live
 * status, and the download that stores an issued certificate with its key —
 * .pem and .p12 for a file key, the certificate object on the token for a
 * token key — after checking that certificate and key belong together.
 */
export class CertificateService {
  private readonly now: () => Date;

  constructor(private readonly deps: CertificateServiceDeps) {
    this.now = deps.now ?? (() => new Date());
  }

  /** Every request with its status from AMS, where this computer still has the request's token. */
  async refresh(): Promise<LedgerEntry[]> {
    const entries = await this.deps.ledger.list();
    const refreshed = await Promise.all(entries.map((entry) => this.refreshOne(entry)));
    return refreshed.sort((a, b) => b.createdAt.localeCompare(a.createdAt));
  }

  /** A pasted token: the request made with it on this computer, whose token is kept from now on. */
  async findByToken(pasted: string, server: string): Promise<LedgerEntry> {
    const token = normalizeToken(pasted);
    const entry = await this.deps.ledger.findByToken(server, token);
    if (!entry) throw new AppError('REQUEST_NOT_FOUND');
    await this.deps.vault.set(entry.id, token);
    return this.refreshOne(entry);
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

    progress({ step: 'verify' });
    // Real use, before anything is written: the chain reaches the root and the CA's own OCSP/CRL does not say revoked.
    const realUse = await realUseCheck(cert, chain, this.now());
    let files: { pem: string; p12?: string };
    let tokenCertificate: 'written' | 'present' | undefined;
    if (input.keyStore === 'file') {
      const key = await openKeyFile(entry.keyPath, input.password);
      // Before anything is written: the certificate must be for this key.
      if (!cert.checkPrivateKey(key)) throw new AppError('CERT_KEY_MISMATCH');
      await selfTest(softwareSigner(key), cert, this.now());
      const p12 = await buildPkcs12({ key, certificates: [cert.raw, ...chain.map((c) => c.raw)], password: input.password, friendlyName: commonName(cert), profile: 'compatible' });
      progress({ step: 'write' });
      const pem = await writeNewFile(outputDir, base, '.pem', issued.certificate);
      files = { pem, p12: await writeNewFile(outputDir, base, '.p12', p12, 0o600) };
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
      // Leaf then chain (sorted, whatever order AMS sent): software that reads the .pem gets the path to the root.
      files = { pem: await writeNewFile(outputDir, base, '.pem', [issued.certificate, ...chain.map((c) => c.toString())].map((p) => (p.endsWith('\n') ? p : `${p}\n`)).join('')) };
    }

    const done: StoredEntry = {
      ...entry,
      state: 'downloaded',
      amsStatus: 'issued',
      certificate: { serialNumber: cert.serialNumber, notAfter: new Date(cert.validTo).toISOString() },
      files,
      certificatePem: issued.certificate,
      chainPem: issued.chain,
      updatedAt: this.now().toISOString(),
    };
    await this.deps.ledger.put(done);
    progress({ step: 'done' });
    return { entry: publicView(done), files, outputDir, onToken: tokenCertificate !== undefined, selfTest: 'passed', realUse };
  }

  private async refreshOne(entry: StoredEntry): Promise<LedgerEntry> {
    const token = await this.deps.vault.get(entry.id);
    if (!token) return { ...publicView(entry), tokenKnown: false };
    try {
      const status = await this.deps.amsFor(entry.server).status(token);
      const updated: StoredEntry = { ...entry, amsStatus: status.status, ...(status.note === undefined ? {} : { note: status.note }) };
      if (updated.amsStatus !== entry.amsStatus || updated.note !== entry.note) await this.deps.ledger.put({ ...updated, updatedAt: this.now().toISOString() });
      return { ...publicView(updated), tokenKnown: true };
    } catch {
      // AMS out of reach: show what the ledger knows; the next refresh tries again.
      return { ...publicView(entry), tokenKnown: true };
    }
  }

  private async entry(id: string): Promise<StoredEntry> {
    const entry = await this.deps.ledger.get(id);
    if (!entry) throw new AppError('REQUEST_NOT_FOUND');
    return entry;
  }
}

/** Signs a short message with the key (on the token, for token keys) and verifies it with the certificate. */
async function selfTest(signer: Signer, cert: X509Certificate, now: Date): Promise<void> {
  const message = Buffer.from(`LOCK Desktop self-test ${now.toISOString()}`);
  const signature = await signer.signSha256(message);
  if (!verify('sha256', message, cert.publicKey, signature)) throw new AppError('CERT_KEY_MISMATCH', { detail: 'self-test signature does not verify' });
}
