import path from 'node:path';
import { Worker } from 'node:worker_threads';
import { AppError, type ErrorData } from '../../../src/contract/errors';
import type { Signer } from '../signer';
import type { CertificateObject, GeneratedKey, LoginOptions, StoredCertificate, TokenDescriptor } from './token-driver';
import { TokenHost, type TokenOp, type TokenOps } from './token-host';

/** How token calls reach a TokenHost: a worker thread in the app, or this thread in tests. */
export interface TokenTransport {
  call<O extends TokenOp>(library: string, op: O, args: TokenOps[O]): Promise<unknown>;
  close(): Promise<void>;
}

/** The built worker beside the other bundles (dist/worker/), unpacked from an asar. */
export function defaultWorkerFile(): string {
  const base = typeof __dirname === 'string' ? path.resolve(__dirname, '..') : path.resolve('dist');
  return path.join(base, 'worker', 'pkcs11-worker.cjs').replace(`app.asar${path.sep}`, `app.asar.unpacked${path.sep}`);
}

/** Token calls on a worker thread, started on first use, one call at a time. */
export class WorkerTransport implements TokenTransport {
  private worker: Worker | undefined;
  private nextId = 1;
  private readonly pending = new Map<number, { resolve(value: unknown): void; reject(error: unknown): void }>();

  constructor(private readonly file: string = defaultWorkerFile()) {}

  call<O extends TokenOp>(library: string, op: O, args: TokenOps[O]): Promise<unknown> {
    return this.send(library, op, args);
  }

  async close(): Promise<void> {
    if (!this.worker) return;
    await this.send('', 'shutdown', {}).catch(() => undefined);
    await this.worker.terminate();
    this.worker = undefined;
  }

  private send(library: string, op: string, args: unknown): Promise<unknown> {
    const worker = this.start();
    const id = this.nextId++;
    return new Promise((resolve, reject) => {
      this.pending.set(id, { resolve, reject });
      // A call in flight keeps the process alive; an idle worker does not.
      worker.ref();
      worker.postMessage({ id, library, op, args });
    });
  }

  private start(): Worker {
    if (this.worker) return this.worker;
    const worker = new Worker(this.file);
    worker.on('message', (message: { id: number; ok: boolean; value?: unknown; error?: ErrorData }) => {
      const waiting = this.pending.get(message.id);
      if (!waiting) return;
      this.pending.delete(message.id);
      if (this.pending.size === 0) worker.unref();
      if (message.ok) waiting.resolve(message.value);
      else waiting.reject(new AppError(message.error!.code, message.error!.detail === undefined ? {} : { detail: message.error!.detail }));
    });
    const fail = (error: unknown) => {
      for (const waiting of this.pending.values()) waiting.reject(new AppError('PKCS11_ERROR', { detail: String(error), cause: error, expected: false }));
      this.pending.clear();
      this.worker = undefined;
    };
    worker.on('error', fail);
    worker.on('exit', (code) => fail(`token worker exited (${code})`));
    worker.unref();
    this.worker = worker;
    return worker;
  }
}

/** Token calls on this thread, serialized: for tests and tools that want no worker. */
export class InProcessTransport implements TokenTransport {
  private queue: Promise<unknown> = Promise.resolve();

  constructor(readonly host: TokenHost = new TokenHost()) {}

  call<O extends TokenOp>(library: string, op: O, args: TokenOps[O]): Promise<unknown> {
    const run = this.queue.then(() => this.host.call(library, op, args));
    this.queue = run.catch(() => undefined);
    return run;
  }

  async close(): Promise<void> {
    this.host.closeAll();
  }
}

/** LoginOptions from what the user gave: only the fields that were given. */
export function loginOptions(serial: string, given: { pin?: string | undefined; confirmFinalTry?: boolean | undefined; newPin?: string | undefined }): LoginOptions {
  return {
    serial,
    ...(given.pin === undefined ? {} : { pin: given.pin }),
    ...(given.confirmFinalTry === undefined ? {} : { confirmFinalTry: given.confirmFinalTry }),
    ...(given.newPin === undefined ? {} : { newPin: given.newPin }),
  };
}

export interface TokenSession {
  library: string;
  ref: number;
  serial: string;
}

/** Typed token operations over a transport. */
export class TokenService {
  constructor(private readonly transport: TokenTransport = new WorkerTransport()) {}

  async listTokens(library: string): Promise<TokenDescriptor[]> {
    return (await this.transport.call(library, 'listTokens', {})) as TokenDescriptor[];
  }

  async login(library: string, options: LoginOptions): Promise<TokenSession> {
    const ref = (await this.transport.call(library, 'login', options)) as number;
    return { library, ref, serial: options.serial };
  }

  async logout(session: TokenSession): Promise<void> {
    await this.transport.call(session.library, 'logout', { ref: session.ref }).catch(() => undefined);
  }

  /** `subject`: the DER Name the certificate will have, for the key objects' CKA_SUBJECT. */
  async generateRsaKeyPair(session: TokenSession, options: { bits: number; label: string; subject?: Buffer }): Promise<GeneratedKey> {
    const key = (await this.transport.call(session.library, 'generateRsaKeyPair', { ref: session.ref, ...options })) as GeneratedKey;
    // Buffers arrive from a worker as plain Uint8Arrays.
    return { ...key, modulus: Buffer.from(key.modulus), exponent: Buffer.from(key.exponent) };
  }

  /** A Signer whose private key never leaves the token. */
  signer(session: TokenSession, key: Pick<GeneratedKey, 'id' | 'modulus' | 'exponent'>): Signer {
    return {
      publicKey: { modulus: key.modulus, exponent: key.exponent },
      signSha256: async (data) => Buffer.from((await this.transport.call(session.library, 'signSha256', { ref: session.ref, id: key.id, data })) as Uint8Array),
    };
  }

  async findKeyToken(library: string, key: { id: string; modulus: Buffer }): Promise<TokenDescriptor | undefined> {
    return ((await this.transport.call(library, 'findKeyToken', key)) as TokenDescriptor | null) ?? undefined;
  }

  /** The inserted token holding this key, or PKCS11_KEY_NOT_FOUND. */
  async holderOf(key: { library: string; id: string; modulus: Buffer }): Promise<TokenDescriptor> {
    const holder = await this.findKeyToken(key.library, key);
    if (!holder) throw new AppError('PKCS11_KEY_NOT_FOUND');
    return holder;
  }

  async writeCertificate(session: TokenSession, cert: CertificateObject): Promise<'written' | 'present'> {
    return (await this.transport.call(session.library, 'writeCertificate', { ref: session.ref, cert })) as 'written' | 'present';
  }

  async listCertificates(session: TokenSession): Promise<StoredCertificate[]> {
    const found = (await this.transport.call(session.library, 'listCertificates', { ref: session.ref })) as StoredCertificate[];
    return found.map((c) => ({ ...c, der: Buffer.from(c.der) }));
  }

  async labelCertificate(session: TokenSession, der: Buffer, label: string): Promise<boolean> {
    return (await this.transport.call(session.library, 'labelCertificate', { ref: session.ref, der, label })) as boolean;
  }

  /** Certificates and public keys' CKA_IDs on a token, without logging in. */
  async readPublicObjects(library: string, serial: string): Promise<{ certificates: StoredCertificate[]; keyIds: string[] }> {
    const found = (await this.transport.call(library, 'readPublicObjects', { serial })) as { certificates: StoredCertificate[]; keyIds: string[] };
    return { certificates: found.certificates.map((c) => ({ ...c, der: Buffer.from(c.der) })), keyIds: found.keyIds };
  }

  /** Destroys a certificate object, and the key pair with `keyId` when given. */
  async removeCertificate(session: TokenSession, der: Buffer, keyId?: string): Promise<{ removed: boolean; keyObjects: number }> {
    return (await this.transport.call(session.library, 'removeCertificate', { ref: session.ref, der, ...(keyId ? { keyId } : {}) })) as { removed: boolean; keyObjects: number };
  }

  close(): Promise<void> {
    return this.transport.close();
  }
}
