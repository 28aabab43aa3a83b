import { AppError } from '../../src/contract/errors';
import { startMockAms } from './server';
import type { MockWorkerMessage, MockWorkerOptions } from './mock-thread';

/** How the mock's own side talks to the process that started it (a worker's parentPort, a utility process's). */
export interface MockParent {
  send(message: MockWorkerMessage): void;
  onMessage(listener: (message: { type: string }) => void): void;
}

/**
 * The embedded mock AMS off the app's main thread: its HTTP server, CA
 * signing, CSR checks and database writes run on this loop, never the
 * window's. Says `ready` (or `failed`), then answers `close` and `memory`.
 */
export function hostMock(parent: MockParent, options: MockWorkerOptions, onClosed: () => void = () => {}): void {
  startMockAms({ ...options, onProblem: (problem) => parent.send({ type: 'problem', error: problem.toData() }) }).then(
    (mock) => {
      parent.send({ type: 'ready', url: mock.url, adminKey: mock.adminKey });
      parent.onMessage((message) => {
        if (message.type === 'close')
          void mock.close().finally(() => {
            parent.send({ type: 'closed' });
            onClosed();
          });
        if (message.type === 'memory') void memoryAfterGc().then((usage) => parent.send({ type: 'memory', usage }));
      });
    },
    (error: unknown) => {
      if (error instanceof AppError) {
        // A coded failure (a port taken, a data folder that is a file) crosses as such, with the system's errno.
        const errno = (error.cause as NodeJS.ErrnoException | undefined)?.code;
        parent.send({ type: 'failed', message: error.message, error: error.toData(), ...(errno ? { code: errno } : {}) });
        return;
      }
      const code = (error as NodeJS.ErrnoException).code;
      parent.send({ type: 'failed', message: `${code ?? ''} ${String(error)}`.trim(), ...(code ? { code } : {}) });
    },
  );
}

/** For the bench: the memory after two full collections (when the process runs with --expose-gc). */
async function memoryAfterGc(): Promise<NodeJS.MemoryUsage> {
  const gc = (globalThis as { gc?: () => void }).gc;
  gc?.();
  // The sweeper hands freed pages back asynchronously.
  await new Promise((resolve) => setTimeout(resolve, 200));
  gc?.();
  return process.memoryUsage();
}
