import { mkdtemp, readFile, rm } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import path from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { createVitest, type Vitest } from 'vitest/node';
import { keepAlivePool } from '../support/keep-alive-pool';

/**
 * The mutation runs' pool (vitest.mutation.config.ts) keeps its process between vitest runs; what it promises is
 * that each run still sees the project as a fresh process would. Three runs of one fixture test, as Stryker makes
 * them (one Vitest, `start` per mutant), with Stryker's namespace provided as its runner provides it.
 */
describe('the keep-alive pool of mutation runs', () => {
  let dir: string;
  let vitest: Vitest;
  const runs: { pid: number; evaluation: number; mutantAtImport: string | null }[] = [];

  beforeAll(async () => {
    dir = await mkdtemp(path.join(tmpdir(), 'lock-keep-alive-'));
    process.env['KEEP_ALIVE_REPORT'] = path.join(dir, 'report.jsonl');
    vitest = await createVitest('test', {
      config: false,
      root: process.cwd(),
      include: ['tests/support/keep-alive-fixture/probe.fixture.ts'],
      pool: keepAlivePool(),
      isolate: false,
      maxWorkers: 1,
      watch: false,
      reporters: [],
    });
    vitest.provide('globalNamespace' as never, '__stryker__' as never);
    for (let n = 0; n < 3; n++) {
      await vitest.start();
      expect(vitest.state.getCountOfFailedTests()).toBe(0);
    }
    runs.push(...(await readFile(process.env['KEEP_ALIVE_REPORT'], 'utf8')).trim().split('\n').map((line) => JSON.parse(line)));
  }, 60_000);

  afterAll(async () => {
    await vitest?.close();
    delete process.env['KEEP_ALIVE_REPORT'];
    await rm(dir, { recursive: true, force: true });
  });

  it('runs every run in the same process (no new Node, no new imports of node_modules)', () => {
    expect(runs).toHaveLength(3);
    expect(new Set(runs.map((r) => r.pid)).size).toBe(1);
    expect(runs[0]!.pid).not.toBe(process.pid);
  });

  it("evaluates the project's modules afresh in each run (module-level code sees that run's mutant)", () => {
    expect(runs.map((r) => r.evaluation)).toEqual([1, 2, 3]);
  });

  it("imports nothing with the last run's mutant still switched on", () => {
    expect(runs.map((r) => r.mutantAtImport)).toEqual([null, null, null]);
  });
});
