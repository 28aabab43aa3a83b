import { randomUUID } from 'node:crypto';
import { promises as fs } from 'node:fs';
import path from 'node:path';
import type { EventPayload, Input, LookupResult, Output } from '../../src/contract/api';
import { AppError } from '../../src/contract/errors';
import { passwordStrength } from '../../src/domain/password';
import { normalizeToken } from '../../src/domain/token';
import type { AmsClient } from './ams-client';
import { buildCsr } from './csr-builder';
import { publicView, tokenHash, type RequestLedger, type StoredEntry } from './request-ledger';
import { decryptPrivateKey, encryptPrivateKey, generateSoftwareKey, softwareSigner } from './software-key';
import { writeFileAtomic } from './atomic-file';
import type { TokenVault } from './token-vault';

export type Progress = (event: EventPayload<'request.onDidProgress'>) => void;

export interface RequestServiceDeps {
  ams: AmsClient;
  ledger: RequestLedger;
  vault: TokenVault;
  /** Folder of the app's data; software keys go to its keys/ folder. */
  dataDir: string;
  now?: () => Date;
  /** Test seam: PBKDF2 iterations of new key files. */
  keyIterations?: number;
}

/**
 * The "Permintaan Sertifikat" flow: look a token up, then generate a key, build
 * the CSR and send it — once per token. The ledger entry (key path + CSR) is
 * written before the upload, so a lost answer or a crash is repaired by
 * submitting again, which resends the very same CSR.
 */
export class RequestService {
  private readonly inFlight = new Map<string, Promise<Output<'request.submit'>>>();
  private readonly now: () => Date;

  constructor(private readonly deps: RequestServiceDeps) {
    this.now = deps.now ?? (() => new Date());
  }

  async lookup(pasted: string): Promise<LookupResult> {
    const token = normalizeToken(pasted);
    const info = await this.deps.ams.employee(token);
    const local = await this.deps.ledger.findByToken(this.deps.ams.baseUrl, token);
    return { ...info, pendingLocally: local?.state === 'csr_ready' };
  }

  /** One submission per token at a time: a double click joins the running one. */
  submit(input: Input<'request.submit'>, progress: Progress = () => {}): Promise<Output<'request.submit'>> {
    const token = normalizeToken(input.token);
    const key = tokenHash(this.deps.ams.baseUrl, token);
    const running = this.inFlight.get(key);
    if (running) return running;
    const job = this.runSubmit(token, input, progress).finally(() => this.inFlight.delete(key));
    this.inFlight.set(key, job);
    return job;
  }

  async status(pasted: string): Promise<Output<'request.status'>> {
    const token = normalizeToken(pasted);
    const status = await this.deps.ams.status(token);
    const entry = await this.deps.ledger.findByToken(this.deps.ams.baseUrl, token);
    if (entry && entry.amsStatus !== status.status) {
      await this.deps.ledger.put({ ...entry, amsStatus: status.status, updatedAt: this.now().toISOString() });
    }
    const { updatedAt: _updatedAt, product: _product, ...result } = status;
    return result;
  }

  async list(): Promise<Output<'ledger.list'>> {
    return (await this.deps.ledger.list()).map(publicView);
  }

  private async runSubmit(token: string, input: Input<'request.submit'>, progress: Progress): Promise<Output<'request.submit'>> {
    if (input.keyStore !== 'file') throw new AppError('KEYSTORE_UNSUPPORTED');
    if (input.password !== input.passwordConfirm) throw new AppError('PASSWORD_MISMATCH');

    const existing = await this.deps.ledger.findByToken(this.deps.ams.baseUrl, token);
    if (existing) return this.resend(existing, token, input.password, progress);

    if (!passwordStrength(input.password).acceptable) throw new AppError('PASSWORD_WEAK');
    progress({ step: 'lookup' });
    const info = await this.deps.ams.employee(token);
    if (info.status !== 'awaiting_csr') throw new AppError('TOKEN_ALREADY_USED');

    progress({ step: 'keygen' });
    const privateKey = await generateSoftwareKey();
    const id = randomUUID();
    const keyPath = path.join(this.deps.dataDir, 'keys', `${id}.pem`);
    await writeFileAtomic(keyPath, await encryptPrivateKey(privateKey, input.password, this.deps.keyIterations), {
      mode: 0o600,
      exclusive: true,
    });

    progress({ step: 'csr' });
    const csrPem = await buildCsr(info.employee, softwareSigner(privateKey));
    const stamp = this.now().toISOString();
    const entry: StoredEntry = {
      id,
      requestId: info.requestId,
      product: info.product,
      server: this.deps.ams.baseUrl,
      employee: info.employee,
      keyStore: 'file',
      state: 'csr_ready',
      createdAt: stamp,
      updatedAt: stamp,
      tokenHash: tokenHash(this.deps.ams.baseUrl, token),
      keyPath,
      csrPem,
    };
    await this.deps.ledger.put(entry);
    await this.deps.vault.set(id, token);
    return this.upload(entry, token, false, progress);
  }

  /**
   * A key and CSR already exist for this token on this computer. The password
   * must open that key: a user who typed a new one would otherwise believe it
   * protects the certificate.
   */
  private async resend(entry: StoredEntry, token: string, password: string, progress: Progress): Promise<Output<'request.submit'>> {
    if (!entry.keyPath) throw new AppError('KEY_MISSING');
    let pem: string;
    try {
      pem = await fs.readFile(entry.keyPath, 'utf8');
    } catch (cause) {
      throw new AppError('KEY_MISSING', { detail: entry.keyPath, cause });
    }
    await decryptPrivateKey(pem, password);
    await this.deps.vault.set(entry.id, token);
    return this.upload(entry, token, true, progress);
  }

  private async upload(entry: StoredEntry, token: string, resent: boolean, progress: Progress): Promise<Output<'request.submit'>> {
    progress({ step: 'upload' });
    const status = await this.deps.ams.uploadCsr(token, entry.csrPem);
    const sent: StoredEntry = { ...entry, state: 'csr_sent', amsStatus: status.status, updatedAt: this.now().toISOString() };
    await this.deps.ledger.put(sent);
    progress({ step: 'done' });
    return { entry: publicView(sent), resent };
  }
}
