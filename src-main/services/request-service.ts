import { randomUUID } from 'node:crypto';
import { promises as fs } from 'node:fs';
import path from 'node:path';
import type * as z from 'zod';
import type { EventPayload, Input, LookupResult, Output, statusResultSchema } from '../../src/contract/api';
import type { Employee } from '../../src/domain/employee';
import { AppError } from '../../src/contract/errors';
import { passwordStrength } from '../../src/domain/password';
import { normalizeServerUrl } from '../../src/domain/server-url';
import { normalizeToken } from '../../src/domain/token';
import type { AmsClient } from './ams-client';
import { publicView, requireKeyStore, tokenHash, tokenKeyOf, type RequestLedger, type StoredEntry } from './request-ledger';
import { writeFileAtomic } from './atomic-file';
import { setKeyAside } from './key-files';
import { sidecarPath, writeSidecar } from '../storage/entry-sidecar';
import { pausePoint } from '../storage/write-faults';
import { loginOptions, type TokenService } from './pkcs11/token-service';
import type { TokenVault } from './token-vault';

type SubmitInput = Input<'request.submit'>;
type StatusResult = z.infer<typeof statusResultSchema>;
type TokenKeyInput = Extract<SubmitInput, { keyStore: 'pkcs11' }>;

export type Progress = (event: EventPayload<'request.onDidProgress'>) => void;

export interface RequestServiceDeps {
  ams: AmsClient;
  ledger: RequestLedger;
  vault: TokenVault;
  /** USB tokens through PKCS#11. */
  tokens: TokenService;
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
  /** The AMS address in its one spelling: it keys the token hash. */
  private readonly server: string;

  constructor(private readonly deps: RequestServiceDeps) {
    this.now = deps.now ?? (() => new Date());
    this.server = normalizeServerUrl(deps.ams.baseUrl);
  }

  async lookup(pasted: string): Promise<LookupResult> {
    const token = normalizeToken(pasted);
    const info = await this.deps.ams.employee(token);
    const local = await this.deps.ledger.findByToken(this.server, token);
    const pending = local?.state === 'csr_ready';
    return { ...info, pendingLocally: pending, ...(pending ? { pendingKeyStore: local.keyStore } : {}) };
  }

  /** One submission per token at a time: a double click joins the running one. */
  submit(input: SubmitInput, progress: Progress = () => {}): Promise<Output<'request.submit'>> {
    const token = normalizeToken(input.token);
    const key = tokenHash(this.server, token);
    const running = this.inFlight.get(key);
    if (running) return running;
    const job = this.runSubmit(token, input, progress).finally(() => this.inFlight.delete(key));
    this.inFlight.set(key, job);
    return job;
  }

  /** AMS's status for a token (the CLI's status command); the ledger follows it. */
  async status(pasted: string): Promise<StatusResult> {
    const token = normalizeToken(pasted);
    const status = await this.deps.ams.status(token);
    const entry = await this.deps.ledger.findByToken(this.server, token);
    if (entry && entry.amsStatus !== status.status) {
      await this.deps.ledger.update(entry.id, () => ({ amsStatus: status.status, updatedAt: this.now().toISOString() }));
    }
    const { updatedAt: _updatedAt, product: _product, ...result } = status;
    return result;
  }

  private async runSubmit(token: string, input: SubmitInput, progress: Progress): Promise<Output<'request.submit'>> {
    if (input.keyStore === 'file' && input.password !== input.passwordConfirm) throw new AppError('PASSWORD_MISMATCH');

    const existing = await this.deps.ledger.findByToken(this.server, token);
    if (existing) return this.resend(existing, token, input, progress);

    if (input.keyStore === 'file' && !passwordStrength(input.password).acceptable) throw new AppError('PASSWORD_WEAK');
    progress({ step: 'lookup' });
    const info = await this.deps.ams.employee(token);
    if (info.status !== 'awaiting_csr') {
      // Another window or command may have sent it meanwhile: then this is a resend.
      const meanwhile = await this.deps.ledger.findByToken(this.server, token);
      if (meanwhile) return this.resend(meanwhile, token, input, progress);
      throw new AppError('TOKEN_ALREADY_USED');
    }

    // The claim, with the key it is about to make, is on disk before the key:
    // a second process with this token waits (REQUEST_IN_PROGRESS) instead of
    // making a second key, and a killed one's key is found again.
    const id = randomUUID();
    const keyPath = input.keyStore === 'file' ? path.join(this.deps.dataDir, 'keys', `${id}.pem`) : undefined;
    const label = `LOCK ${info.employee.name} ${info.requestId.slice(0, 8)}`.slice(0, 64);
    const plan = keyPath ? { id, keyPath } : { id, pkcs11: { library: (input as TokenKeyInput).library, label } };
    const claim = await this.deps.ledger.claim(this.server, token, plan, async (stale) => {
      // Set aside, not deleted: the discarded table lists them.
      for (const file of [stale.keyPath, sidecarPath(this.deps.dataDir, stale.id)]) if (file) await setKeyAside(this.deps.dataDir, file);
    });
    if (claim.kind === 'existing') return this.resend(claim.entry, token, input, progress);
    await pausePoint('request:claimed');

    let entry: StoredEntry;
    try {
      progress({ step: 'keygen' });
      const key = input.keyStore === 'file' ? await this.makeFileKey(keyPath!, info.employee, input.password, progress) : await this.makeTokenKey(info, input, label, progress);
      const stamp = this.now().toISOString();
      entry = {
        id,
        requestId: info.requestId,
        product: info.product,
        server: this.server,
        employee: info.employee,
        keyStore: input.keyStore,
        state: 'csr_ready',
        createdAt: stamp,
        updatedAt: stamp,
        tokenHash: tokenHash(this.server, token),
        ...key,
      };
      await pausePoint('request:key-written');
      await writeSidecar(this.deps.dataDir, entry);
      await this.deps.ledger.complete(entry);
    } catch (error) {
      // Nothing of this attempt reached AMS: its key file, sidecar and claim go.
      if (keyPath) await fs.rm(keyPath, { force: true }).catch(() => undefined);
      await fs.rm(sidecarPath(this.deps.dataDir, id), { force: true }).catch(() => undefined);
      await this.deps.ledger.release(id).catch(() => undefined);
      throw error;
    }
    await this.deps.vault.set(id, token);
    await pausePoint('request:csr-ready');
    return this.upload(entry, token, false, progress);
  }

  /** RSA key in this process, written encrypted before the CSR exists. */
  private async makeFileKey(keyPath: string, employee: Employee, password: string, progress: Progress): Promise<Pick<StoredEntry, 'keyPath' | 'csrPem'>> {
    const { buildCsr, encryptPrivateKey, generateSoftwareKey, softwareSigner } = await keyMaking();
    const privateKey = await generateSoftwareKey();
    await writeFileAtomic(keyPath, await encryptPrivateKey(privateKey, password, this.deps.keyIterations), { mode: 0o600, exclusive: true, faultable: true });
    progress({ step: 'csr' });
    return { keyPath, csrPem: await buildCsr(employee, softwareSigner(privateKey)) };
  }

  /** Key pair generated on the token and the CSR signed there; the PIN is used for this session only. */
  private async makeTokenKey(
    info: { requestId: string; employee: Employee },
    input: TokenKeyInput,
    label: string,
    progress: Progress,
  ): Promise<Pick<StoredEntry, 'pkcs11' | 'token' | 'csrPem'>> {
    const session = await this.deps.tokens.login(input.library, loginOptions(input.tokenSerial, input));
    try {
      const { buildCsr, subjectDer } = await keyMaking();
      const key = await this.deps.tokens.generateRsaKeyPair(session, { bits: input.keyBits ?? 2048, label, subject: subjectDer(info.employee) });
      progress({ step: 'csr' });
      const csrPem = await buildCsr(info.employee, this.deps.tokens.signer(session, key));
      const holder = await this.deps.tokens.findKeyToken(input.library, key);
      return {
        csrPem,
        token: { serial: input.tokenSerial, label: holder?.label ?? '' },
        pkcs11: { library: input.library, keyId: key.id, modulus: key.modulus.toString('base64'), label },
      };
    } finally {
      await this.deps.tokens.logout(session);
    }
  }

  /**
   * A key and CSR already exist for this token on this computer; the same CSR
   * is sent again. A file key must open with the password given (a user who
   * typed a new one would otherwise believe it protects the certificate); a
   * token key must still be on an inserted token.
   */
  private async resend(entry: StoredEntry, token: string, input: SubmitInput, progress: Progress): Promise<Output<'request.submit'>> {
    requireKeyStore(entry, input.keyStore);
    if (input.keyStore === 'file') await (await keyMaking()).openKeyFile(entry.keyPath, input.password);
    else await this.deps.tokens.holderOf(tokenKeyOf(entry));
    await this.deps.vault.set(entry.id, token);
    return this.upload(entry, token, true, progress);
  }

  private async upload(entry: StoredEntry, token: string, resent: boolean, progress: Progress): Promise<Output<'request.submit'>> {
    progress({ step: 'upload' });
    // Held while the CSR is on its way: a discard from another window or command meanwhile
    // would set aside the key of a CSR that AMS is taking (REQUEST_BUSY for whichever comes second).
    return this.deps.ledger.whileHeld(entry.id, async () => {
      await pausePoint('request:uploading');
      const status = await this.deps.ams.uploadCsr(token, entry.csrPem);
      await pausePoint('request:uploaded');
      // Only what the upload changed; a download recorded meanwhile keeps its state.
      const sent = await this.deps.ledger.update(entry.id, (current) => ({
        ...(current.state === 'csr_ready' ? { state: 'csr_sent' as const } : {}),
        amsStatus: status.status,
        updatedAt: this.now().toISOString(),
      }));
      progress({ step: 'done' });
      return { entry: publicView(sent ?? { ...entry, state: 'csr_sent', amsStatus: status.status }), resent };
    });
  }
}

/**
 * Key and CSR code (node-forge) loaded when a key is made or opened: the CLI's
 * `show` and `status` use this service too and never need it.
 */
async function keyMaking() {
  const [csr, keys] = await Promise.all([import('./csr-builder'), import('./software-key')]);
  return { ...csr, ...keys };
}
