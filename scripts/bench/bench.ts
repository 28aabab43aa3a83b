/**
 * `npm run bench [-- --check]`: LOCK Desktop's costs, each row beside the
 * like-for-like anchor measured in the same run (whole cold process against
 * whole cold process, in-process against the same library doing the same
 * steps, a size against the smallest size), and a verdict against its target.
 * `--check` exits 1 when any row misses its target. BENCH_ONLY=crypto,process,
 * token,mock,stall,refresh,renderer runs a subset; BENCH_ROUNDS sets the rounds.
 */
import { cpus, totalmem, tmpdir } from 'node:os';
import { mkdtempSync, readdirSync, readFileSync, rmSync } from 'node:fs';
import path from 'node:path';
import { gzipSync } from 'node:zlib';
import { execFileSync } from 'node:child_process';
import { p12Fixture, p12Rows, softwareKeyRows } from './crypto-rows';
import { refreshRows, stallRows } from './app-rows';
import { met, ROUNDS, table, type Row } from './measure';
import { mockRows } from './mock-rows';
import { processRows } from './process-rows';
import { tokenRows } from './token-rows';

const only = new Set((process.env['BENCH_ONLY'] ?? 'crypto,process,token,mock,stall,refresh,renderer').split(','));

function rendererRow(): Row {
  const dir = path.resolve('dist', 'renderer', 'assets');
  const bytes = readdirSync(dir)
    .filter((f) => f.endsWith('.js'))
    .reduce((sum, f) => sum + gzipSync(readFileSync(path.join(dir, f)), { level: 9 }).length, 0);
  return { name: 'renderer JavaScript, gzipped', ours: bytes / 1024, unit: 'KB', target: { kind: 'max', max: 250 } };
}

function machine(): string {
  const openssl = execFileSync('openssl', ['version'], { encoding: 'utf8' }).trim();
  return `${cpus().length} × ${cpus()[0]?.model ?? 'CPU'}, ${(totalmem() / 2 ** 30).toFixed(0)} GiB, Node ${process.version} (OpenSSL ${process.versions.openssl}), ${openssl}, ${ROUNDS} rounds`;
}

async function main(): Promise<void> {
  const check = process.argv.includes('--check');
  const dir = mkdtempSync(path.join(tmpdir(), 'lock-bench-'));
  const rows: Row[] = [];
  const section = async (name: string, make: () => Promise<Row[]>) => {
    if (!only.has(name)) return;
    const started = Date.now();
    const made = await make();
    rows.push(...made);
    console.error(`bench: ${name} done in ${((Date.now() - started) / 1000).toFixed(0)} s`);
  };
  let stopMock: (() => unknown) | undefined;
  try {
    const fixture = await p12Fixture(dir);
    await section('crypto', async () => [...(await softwareKeyRows()), ...(await p12Rows(fixture, dir))]);
    let show: { url: string; token: string } | undefined;
    await section('mock', async () => {
      const result = await mockRows(dir);
      stopMock = result.stop;
      show = result.show;
      return result.rows;
    });
    await section('process', async () => {
      if (!show) throw new Error('the process rows need the mock rows (BENCH_ONLY=mock,process)');
      return processRows(fixture, dir, show);
    });
    stopMock?.();
    await section('token', () => tokenRows(dir));
    await section('stall', () => stallRows(dir, fixture));
    await section('refresh', () => refreshRows(dir));
    await section('renderer', async () => [rendererRow()]);
  } finally {
    stopMock?.();
    rmSync(dir, { recursive: true, force: true });
  }
  console.log(`LOCK Desktop bench — ${machine()}\n`);
  console.log(table(rows));
  const missed = rows.filter((row) => !met(row));
  console.log(`\n${rows.length - missed.length} of ${rows.length} rows meet their targets.`);
  if (check && missed.length) process.exit(1);
  process.exit(0);
}

main().catch((error: unknown) => {
  console.error(error);
  process.exit(2);
});
