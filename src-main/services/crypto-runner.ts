import { createPrivateKey, type KeyObject } from 'node:crypto';
import path from 'node:path';
import { Worker } from 'node:worker_threads';
import { AppError, isErrorCode } from '../../src/contract/errors';
import { buildPkcs12, type Pkcs12Input } from './p12/pkcs12-builder';
import { openWithOpenSsl } from './software-key';

/**
 * Where the CPU-bound steps of bundle.create and download.run run: the PKCS#12
 * key derivations, MAC and encryption, and OpenSSL's synchronous key
 * decryption. The app and the test host use a worker thread so the window's
 * event loop never waits on them; the CLI, with no window, runs them in place.
 */
export interface CryptoRunner {
  pkcs12(input: Pkcs12Input): Promise<Buffer>;
  /** A key in a scheme decryptPrivateKey does not derive itself (legacy PEM, PKCS#12 PBE). */
  openKey(input: string | Buffer, password: string): Promise<KeyObject>;
  close(): Promise<void>;
}

export const inProcessCrypto: CryptoRunner = {
  pkcs12: (input) => buildPkcs12(input),
  openKey: async (input, password) => openWithOpenSsl(input, password),
  close: async () => {},
};

/** What crosses to the worker: the key as PKCS#8 DER (a KeyObject is rebuilt on each side). */
type CryptoCall = { op: 'pkcs12'; input: Omit<Pkcs12Input, 'key'> & { keyDer: Uint8Array } } | { op: 'openKey'; input: string | Uint8Array; password: string };
export type CryptoRequest = CryptoCall & { id: number };
export type CryptoReply = { id: number; ok: true; value: Uint8Array } | { id: number; ok: false; code?: string; message: string };

/** The built worker beside the other bundles (dist/worker/), unpacked from an asar. */
export function cryptoWorkerFile(): string {
  const here = typeof __dirname === 'string' ? __dirname : '';
  const dist = path.basename(path.dirname(here)) === 'dist' ? path.dirname(here) : path.resolve('dist');
  return path.join(dist, 'worker', 'crypto-worker.cjs').replace(`app.asar${path.sep}`, `app.asar.unpacked${path.sep}`);
}

/** A CryptoRunner on one worker thread, started on first use; calls queue on it. */
export class WorkerCrypto implements CryptoRunner {
  private worker: Worker | undefined;
  private nextId = 1;
  private readonly pending = new Map<number, { resolve(value: Uint8Array): void; reject(error: unknown): void }>();

  constructor(private readonly file: string = cryptoWorkerFile()) {}

  async pkcs12(input: Pkcs12Input): Promise<Buffer> {
    const { key, ...rest } = input;
    const keyDer = key.export({ type: 'pkcs8', format: 'der' });
    return Buffer.from(await this.send({ op: 'pkcs12', input: { ...rest, keyDer } }));
  }

  async openKey(input: string | Buffer, password: string): Promise<KeyObject> {
    const der = await this.send({ op: 'openKey', input, password });
    return createPrivateKey({ key: Buffer.from(der), format: 'der', type: 'pkcs8' });
  }

  async close(): Promise<void> {
    const worker = this.worker;
    this.worker = undefined;
    await worker?.terminate();
  }

  private send(request: CryptoCall): Promise<Uint8Array> {
    const worker = this.start();
    const id = this.nextId++;
    return new Promise((resolve, reject) => {
      this.pending.set(id, { resolve, reject });
      worker.ref();
      worker.postMessage({ ...request, id });
    });
  }

  private start(): Worker {
    if (this.worker) return this.worker;
    const worker = new Worker(this.file, { name: 'crypto' });
    worker.on('message', (reply: CryptoReply) => {
      const waiting = this.pending.get(reply.id);
      if (!waiting) return;
      this.pending.delete(reply.id);
      if (this.pending.size === 0) worker.unref();
      if (reply.ok) waiting.resolve(reply.value);
      else waiting.reject(isErrorCode(reply.code) ? new AppError(reply.code) : new Error(reply.message));
    });
    const fail = (reason: unknown) => {
      for (const waiting of this.pending.values()) waiting.reject(new AppError('INTERNAL', { detail: `crypto worker: ${String(reason)}`, expected: false }));
      this.pending.clear();
      if (this.worker === worker) this.worker = undefined;
    };
    worker.on('error', fail);
    worker.on('exit', (code) => fail(`exited (${code})`));
    worker.unref();
    this.worker = worker;
    return worker;
  }
}
