import { parentPort, workerData } from 'node:worker_threads';
import { AppError } from '../../src/contract/errors';
import { startMockAms } from './server';
import type { MockWorkerOptions, MockWorkerMessage } from './mock-thread';

/**
 * The embedded mock AMS on its own thread: its HTTP server, CA signing, CSR
 * checks and database writes run on this thread's event loop, never the
 * window's. Started by startMockThread; answers `close` by closing the server.
 */
const port = parentPort!;
const send = (message: MockWorkerMessage) => port.postMessage(message);

startMockAms({ ...(workerData as MockWorkerOptions), onProblem: (problem) => send({ type: 'problem', error: problem.toData() }) }).then(
  (mock) => {
    send({ type: 'ready', url: mock.url, adminKey: mock.adminKey });
    port.on('message', (message: { type: string }) => {
      if (message.type === 'close') void mock.close().finally(() => send({ type: 'closed' }));
      if (message.type === 'memory') void memoryAfterGc().then((usage) => send({ type: 'memory', usage }));
    });
  },
  (error: unknown) => {
    const code = (error as NodeJS.ErrnoException).code;
    send({ type: 'failed', message: error instanceof AppError ? error.message : `${code ?? ''} ${String(error)}`.trim(), ...(code ? { code } : {}) });
  },
);

/** For the bench: the memory after two full collections (when the process runs with --expose-gc). */
async function memoryAfterGc(): Promise<NodeJS.MemoryUsage> {
  const gc = (globalThis as { gc?: () => void }).gc;
  gc?.();
  // The sweeper hands freed pages back asynchronously.
  await new Promise((resolve) => setTimeout(resolve, 200));
  gc?.();
  return process.memoryUsage();
}
