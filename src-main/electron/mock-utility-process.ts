import { utilityProcess } from 'electron';
import path from 'node:path';
import type { AppError } from '../../src/contract/errors';
import { connectMock, type EmbeddedMock, type MockWorkerOptions } from '../mock-ams/mock-thread';

/**
 * The embedded mock AMS in an Electron utility process: a separate OS process,
 * so its CA signing, CSR checks and database writes share neither the window's
 * loop nor the main process's memory, and a crash there never takes the app
 * down. dist/worker/ is unpacked from the asar (electron-builder.yml).
 */
export function startMockUtility(distDir: string, options: MockWorkerOptions, onProblem?: (problem: AppError) => void): Promise<EmbeddedMock> {
  const file = path.join(distDir, 'worker', 'mock-utility.cjs').replace(`app.asar${path.sep}`, `app.asar.unpacked${path.sep}`);
  const child = utilityProcess.fork(file, [JSON.stringify(options)], { serviceName: 'LOCK Desktop mock AMS', stdio: 'inherit' });
  return connectMock(child, () => void child.kill(), onProblem);
}
