import { existsSync } from 'node:fs';
import { writeFile } from 'node:fs/promises';
import { createServer } from 'node:net';
import path from 'node:path';
import { afterEach, beforeAll, describe, expect, it } from 'vitest';
import { amsPaths } from '../../src/ams-api/schemas';
import type { AppError } from '../../src/contract/errors';
import { PORT_FILE, startOnStablePort } from '../../src-main/mock-ams/embedded-port';
import { startMockThread } from '../../src-main/mock-ams/mock-thread';
import { AmsClient } from '../../src-main/services/ams-client';
import { tempDir } from '../support/tools';

const WORKER = path.resolve('dist/worker/mock-worker.cjs');
const cleanups: (() => Promise<void>)[] = [];
afterEach(async () => {
  while (cleanups.length) await cleanups.pop()!();
});

async function dataDir(): Promise<string> {
  const temp = await tempDir();
  cleanups.push(temp.cleanup);
  return temp.dir;
}

describe('embedded mock AMS on a worker thread', () => {
  beforeAll(() => {
    expect(existsSync(WORKER), 'run `npm run build` first').toBe(true);
  });

  it('serves the LOCK API from its thread, mints demo tokens through the admin API, and stops on close', async () => {
    const mock = await startMockThread({ dataDir: await dataDir(), autoApprove: true, workerFile: WORKER });
    expect(new URL(mock.url).hostname).toBe('127.0.0.1');
    expect(mock.adminKey.length).toBeGreaterThan(20);
    const { token, requestId } = await mock.mintToken('maman@instansi.go.id');
    const seen = await new AmsClient(mock.url).employee(token);
    expect(seen).toMatchObject({ requestId, status: 'awaiting_csr', employee: { name: 'MAMAN' } });

    await mock.close();
    await mock.close(); // twice is harmless
    await expect(fetch(`${mock.url}${amsPaths.caChain}`)).rejects.toThrow();
  });

  it('reports damaged state it set aside, and keeps serving', async () => {
    const dir = await dataDir();
    await writeFile(path.join(dir, 'state.json'), '{"version":1,');
    const problems: AppError[] = [];
    const mock = await startMockThread({ dataDir: dir, workerFile: WORKER, onProblem: (p) => problems.push(p) });
    cleanups.push(mock.close);
    expect(problems.map((p) => p.code)).toEqual(['MOCK_STATE_DAMAGED']);
    expect(problems[0]!.detail).toContain('state.json');
    expect((await mock.mintToken('maman@instansi.go.id')).token).toMatch(/^[0-9A-F]{40}$/);
  });

  it('refuses to start with a clear error when its port is taken, and leaves no thread behind', async () => {
    const blocker = createServer();
    await new Promise<void>((resolve) => blocker.listen(0, '127.0.0.1', resolve));
    cleanups.push(() => new Promise<void>((resolve) => blocker.close(() => resolve())));
    const port = (blocker.address() as { port: number }).port;
    await expect(startMockThread({ dataDir: await dataDir(), port, workerFile: WORKER })).rejects.toMatchObject({
      code: 'MOCK_LISTEN_FAILED',
      detail: `EADDRINUSE: 127.0.0.1:${port}`,
      cause: { code: 'EADDRINUSE' },
    });
  });

  it('falls back to a free port for the session when its saved port is taken, as the app starts it', async () => {
    const blocker = createServer();
    await new Promise<void>((resolve) => blocker.listen(0, '127.0.0.1', resolve));
    cleanups.push(() => new Promise<void>((resolve) => blocker.close(() => resolve())));
    const taken = (blocker.address() as { port: number }).port;
    const dir = await dataDir();
    await writeFile(path.join(dir, PORT_FILE), JSON.stringify({ port: taken }));
    const warnings: string[] = [];
    const mock = await startOnStablePort(dir, (port) => startMockThread({ dataDir: dir, port, workerFile: WORKER }), (m) => warnings.push(m));
    cleanups.push(() => mock.close());
    expect(Number(new URL(mock.url).port)).not.toBe(taken);
    expect(warnings.join()).toContain(`Port ${taken}`);
  });
});
