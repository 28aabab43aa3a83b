import { spawnSync } from 'node:child_process';
import { appendFile, mkdir, rm } from 'node:fs/promises';
import path from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { assertNothingLost, cli, flowArgs, mint, openBench, outcomes, type Bench, type KeyKind, printOutcomes } from './harness';

/**
 * A write that fails at every write of both flows: LOCK_TEST_WRITE_FAULT=N:CODE
 * makes the Nth write of the CLI process and every later one fail (a disk that
 * stays full), for N = 1, 2, … until the flow no longer reaches its Nth write.
 * Each failure must be a one-line FILE_WRITE_FAILED naming the cause; then the
 * disk is "freed" (no fault) and a retry must reach an issued certificate.
 */
// Every write fails once, the codes taking turns: both codes reach both flows, at half the cost.
const codeFor = (at: number) => (at % 2 === 1 ? 'ENOSPC' : 'EIO');

describe('write failures at every write', () => {
  let bench: Bench;
  let n = 0;
  beforeAll(async () => (bench = await openBench()));
  afterAll(async () => bench?.close());

  for (const flow of ['request', 'download'] as const) {
    {
      it(`${flow} (file key), ENOSPC or EIO at each write in turn, then a retry`, async () => {
        let writes = 0;
        for (let at = 1; at <= 20; at++) {
          const dataDir = path.join(bench.dir, `pc-${++n}`);
          const token = await mint(bench);
          const args = await flowArgs(bench, dataDir, token, 'file' as KeyKind);
          if (flow === 'download') expect((await cli(bench, args.request)).code).toBe(0);
          const code = codeFor(at);
          const result = await cli(bench, args[flow], { LOCK_TEST_WRITE_FAULT: `${at}:${code}` });
          if (result.code === 0) break;
          writes = at;
          expect(result.stderr.trim().split('\n').filter((l) => !l.startsWith('WARNING ')), result.stderr).toHaveLength(1);
          expect(result.stderr).toMatch(new RegExp(`^FILE_WRITE_FAILED: .*${code}`, 'm'));
          await assertNothingLost(bench, `${code} at every write`, `${flow}: write #${at} fails`, dataDir, token, 'file');
        }
        // request: claim, key file, entry, "sent"; download: files planned, .pem, .p12, two links, "downloaded".
        expect(writes, `${flow} writes covered`).toBeGreaterThanOrEqual(flow === 'request' ? 4 : 6);
      });
    }
  }

  it('a real full disk: a small tmpfs as the data folder, filled, then freed', async (ctx) => {
    const dataDir = path.join(bench.dir, 'tmpfs');
    await mkdir(dataDir, { recursive: true });
    const mounted = spawnSync('mount', ['-t', 'tmpfs', '-o', 'size=2m', 'tmpfs', dataDir], { encoding: 'utf8' });
    if (mounted.status !== 0) {
      console.warn(`\n*** SKIPPED: tmpfs full-disk case — mount -t tmpfs failed here (${(mounted.stderr || mounted.error?.message || '').trim()}). The injected ENOSPC/EIO cases above still ran. ***\n`);
      outcomes.push({ group: 'real full disk (tmpfs)', fault: 'SKIPPED: mount not permitted', burnt: 0, lost: 0 });
      ctx.skip();
      return;
    }
    try {
      const filler = path.join(dataDir, 'filler');
      const chunk = Buffer.alloc(16 * 1024);
      await appendFile(filler, chunk).then(async function fill(): Promise<void> {
        await appendFile(filler, chunk);
        return fill();
      }).catch((error: NodeJS.ErrnoException) => expect(error.code).toBe('ENOSPC'));
      const token = await mint(bench);
      const args = await flowArgs(bench, path.join(dataDir, 'app'), token, 'file');
      const full = await cli(bench, args.request);
      expect(full.code).toBe(1);
      expect(full.stderr).toMatch(/^FILE_WRITE_FAILED: /m);
      await rm(filler);
      await assertNothingLost(bench, 'real full disk (tmpfs)', 'request on a full tmpfs, then space freed', path.join(dataDir, 'app'), token, 'file');
    } finally {
      spawnSync('umount', ['-l', dataDir]);
    }
  });
});

afterAll(printOutcomes);
