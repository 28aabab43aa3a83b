import path from 'node:path';
import { Worker } from 'node:worker_threads';
import { amsPaths, mintTokenResponseSchema, type MintTokenResponse } from '../../src/ams-api/schemas';
import { AppError, type ErrorData } from '../../src/contract/errors';
import { MockAdminClient } from './admin-client';

export interface MockWorkerOptions {
  dataDir: string;
  port?: number;
  host?: string;
  autoApprove?: boolean;
}

export type MockWorkerMessage =
  | { type: 'ready'; url: string; adminKey: string }
  | { type: 'problem'; error: ErrorData }
  | { type: 'failed'; message: string; code?: string; error?: ErrorData }
  | { type: 'closed' }
  | { type: 'memory'; usage: NodeJS.MemoryUsage };

/** What a shell holds of an embedded mock AMS running on its own thread. */
export interface EmbeddedMock {
  url: string;
  adminKey: string;
  /** A new LOCK request and its one-time token, through the admin API (demo.newRequest). */
  mintToken(email: string, product?: string): Promise<MintTokenResponse>;
  /** The process's RSS and the mock thread's own heap, after a full GC when --expose-gc is on (the bench). */
  memory(): Promise<NodeJS.MemoryUsage>;
  close(): Promise<void>;
}

export const MOCK_YOUNG_GENERATION_MB = 6;

/** The built worker beside the other bundles (dist/worker/), unpacked from an asar. */
export function mockWorkerFile(): string {
  const here = typeof __dirname === 'string' ? __dirname : '';
  const dist = path.basename(path.dirname(here)) === 'dist' ? path.dirname(here) : path.resolve('dist');
  return path.join(dist, 'worker', 'mock-worker.cjs').replace(`app.asar${path.sep}`, `app.asar.unpacked${path.sep}`);
}

/**
 * The other end of a mock running elsewhere — a worker thread here, an
 * Electron utility process in the app — speaking MockWorkerMessage.
 */
export interface MockEndpoint {
  postMessage(message: unknown): void;
  on(event: 'message', listener: (message: MockWorkerMessage) => void): unknown;
  off(event: 'message', listener: (message: MockWorkerMessage) => void): unknown;
  once(event: 'exit', listener: (code: number) => void): unknown;
}

/**
 * Resolves once the mock at `endpoint` listens (rejects when it cannot start,
 * with listen()'s errno as the cause). Damaged state it set aside is passed
 * to `onProblem`.
 */
export function connectMock(
  endpoint: MockEndpoint,
  /** Ends it without waiting (after `closed`, or when it failed to start). */
  stop: () => void,
  onProblem: (problem: AppError) => void = (p) => console.error(`mock AMS: ${p.message}`),
): Promise<EmbeddedMock> {
  let closing: Promise<void> | undefined;
  let exited = false;
  return new Promise((resolve, reject) => {
    let ready = false;
    // The errno (EADDRINUSE, EACCES) travels along, so a caller can fall back to another port.
    const failed = (reason: string, code?: string, coded?: ErrorData) => {
      const cause = code ? { cause: Object.assign(new Error(reason), { code }) } : {};
      reject(coded ? new AppError(coded.code, { ...(coded.detail === undefined ? {} : { detail: coded.detail }), ...cause }) : new AppError('INTERNAL', { detail: `mock AMS did not start: ${reason}`, expected: false, ...cause }));
    };
    endpoint.once('exit', (code) => {
      exited = true;
      if (!ready) failed(`exited (${code})`);
      else if (!closing) console.error(`mock AMS: exited (${code})`);
    });
    endpoint.on('message', (message) => {
      if (message.type === 'problem') onProblem(new AppError(message.error.code, message.error.detail === undefined ? {} : { detail: message.error.detail }));
      if (message.type === 'failed') {
        failed(message.message, message.code, message.error);
        stop();
      }
      if (message.type !== 'ready') return;
      ready = true;
      const admin = new MockAdminClient(message.url, message.adminKey);
      resolve({
        url: message.url,
        adminKey: message.adminKey,
        mintToken: async (email, product) =>
          mintTokenResponseSchema.parse(await admin.call(amsPaths.adminTokens, product === undefined ? { email } : { email, product })),
        memory: () =>
          new Promise((answer) => {
            const listener = (m: MockWorkerMessage) => {
              if (m.type !== 'memory') return;
              endpoint.off('message', listener);
              answer(m.usage);
            };
            endpoint.on('message', listener);
            endpoint.postMessage({ type: 'memory' });
          }),
        close: () =>
          (closing ??= new Promise<void>((done) => {
            if (exited) return done();
            endpoint.once('exit', () => done());
            endpoint.on('message', (m) => m.type === 'closed' && stop());
            endpoint.postMessage({ type: 'close' });
          })),
      });
    });
  });
}

/** Starts the mock AMS on a worker thread of this process (the test host, the CLI, tests). */
export function startMockThread(
  options: MockWorkerOptions & { workerFile?: string; onProblem?: (problem: AppError) => void },
): Promise<EmbeddedMock> {
  const { workerFile = mockWorkerFile(), onProblem, ...workerData } = options;
  // A small young generation: the mock allocates short-lived garbage per request, and V8's default
  // lets the semi-spaces grow to well over 100 MB of resident memory that a full GC never returns.
  const worker = new Worker(workerFile, { workerData, name: 'mock-ams', resourceLimits: { maxYoungGenerationSizeMb: MOCK_YOUNG_GENERATION_MB } });
  // An uncaught error ends the thread: connectMock hears the exit (before `ready`: a failed start).
  worker.once('error', (error) => console.error('mock AMS: worker failed', error));
  return connectMock(worker, () => void worker.terminate(), onProblem);
}
