import { spawn } from 'node:child_process';
import { existsSync } from 'node:fs';
import { readdir, writeFile } from 'node:fs/promises';
import path from 'node:path';
import { expect } from 'vitest';
import { startMockAms, type MockAms } from '../../src-main/mock-ams/server';
import { AmsClient } from '../../src-main/services/ams-client';
import { RequestLedger } from '../../src-main/services/request-ledger';
import { STRONG_PASSWORD } from '../support/flow';
import { createSoftHsm, USER_PIN, type SoftHsm } from '../support/softhsm';
import { run, tempDir, type RunResult } from '../support/tools';

/** The built CLI, as a user runs it. */
export const BIN = path.resolve('bin/lock-desktop.cjs');
export const EMAIL = 'maman@instansi.go.id';

/** One fault case's outcome, for the README matrix (printed by the suite). */
export const outcomes: { group: string; fault: string; burnt: number; lost: number }[] = [];

export interface Bench {
  dir: string;
  mock: MockAms;
  passwordFile: string;
  pinFile: string;
  hsm?: SoftHsm;
  env: NodeJS.ProcessEnv;
  close(): Promise<void>;
}

/** A real mock AMS (loopback, ephemeral port) and secret files in a temp folder. */
export async function openBench(options: { softhsm?: boolean } = {}): Promise<Bench> {
  expect(existsSync('dist/cli'), 'run `npm run build` first').toBe(true);
  const { dir, cleanup } = await tempDir('lock-reliability-');
  const mock = await startMockAms({ dataDir: path.join(dir, 'mock'), autoApprove: true });
  const passwordFile = path.join(dir, 'password.txt');
  const pinFile = path.join(dir, 'pin.txt');
  await writeFile(passwordFile, `${STRONG_PASSWORD}\n`, { mode: 0o600 });
  await writeFile(pinFile, `${USER_PIN}\n`, { mode: 0o600 });
  const hsm = options.softhsm ? await createSoftHsm() : undefined;
  const env: NodeJS.ProcessEnv = { ...process.env, ...(hsm ? { SOFTHSM2_CONF: hsm.conf } : {}) };
  delete env['LOCK_TEST_WRITE_FAULT'];
  delete env['LOCK_TEST_PAUSE_AT'];
  return {
    dir,
    mock,
    passwordFile,
    pinFile,
    ...(hsm ? { hsm } : {}),
    env,
    close: async () => {
      await mock.close();
      await hsm?.cleanup();
      await cleanup();
    },
  };
}

let tokenFileFlag: boolean | undefined;
/** `--token-file F` where the CLI has it (secrets off argv), `--token T` otherwise. */
async function tokenArgs(bench: Bench, token: string): Promise<string[]> {
  tokenFileFlag ??= (await run(process.execPath, [BIN, '--help'])).stdout.includes('request  --server URL --token-file');
  if (!tokenFileFlag) return ['--token', token];
  const file = path.join(bench.dir, `token-${token.slice(0, 8)}.txt`);
  await writeFile(file, token, { mode: 0o600 });
  return ['--token-file', file];
}

export async function mint(bench: Bench): Promise<string> {
  return (await bench.mock.mintToken(EMAIL)).token;
}

export type KeyKind = 'file' | 'pkcs11';

/** The CLI arguments of `request` and `download` for one data folder and token. */
export async function flowArgs(bench: Bench, dataDir: string, token: string, kind: KeyKind, server = bench.mock.url) {
  const common = ['--data-dir', dataDir];
  const tokenFlag = await tokenArgs(bench, token);
  const key = kind === 'file' ? ['--key-store', 'file', '--password-file', bench.passwordFile] : ['--key-store', 'pkcs11', '--module', bench.hsm!.library, '--pin-file', bench.pinFile];
  const secret = kind === 'file' ? ['--password-file', bench.passwordFile] : ['--pin-file', bench.pinFile];
  return {
    request: [...common, 'request', '--server', server, ...tokenFlag, ...key],
    download: [...common, 'download', '--server', server, ...tokenFlag, '--out', path.join(dataDir, '..', `out-${path.basename(dataDir)}`), ...secret, '--json'],
  };
}

export function cli(bench: Bench, args: string[], env: NodeJS.ProcessEnv = {}): Promise<RunResult> {
  return run(process.execPath, [BIN, ...args], { env: { ...bench.env, ...env } });
}

/**
 * Runs the CLI and kill -9s it when it reaches `step` (the LOCK_TEST_PAUSE_AT
 * seam) or when `when` (polled) says so; `meanwhile` runs while it waits at
 * `step` (another process's command), before the kill. Resolves with what was seen.
 */
export function killAt(
  bench: Bench,
  args: string[],
  at: { step?: string; when?: () => Promise<boolean>; meanwhile?: () => Promise<void> },
): Promise<{ killed: boolean; stderr: string; code: number | null }> {
  return new Promise((resolve, reject) => {
    const env = { ...bench.env, ...(at.step ? { LOCK_TEST_PAUSE_AT: at.step } : {}) };
    const child = spawn(process.execPath, [BIN, ...args], { env, stdio: ['ignore', 'pipe', 'pipe'] });
    let stderr = '';
    let killed = false;
    let paused = false;
    const kill = () => {
      if (killed || child.exitCode !== null) return;
      killed = true;
      child.kill('SIGKILL');
    };
    child.stderr.setEncoding('utf8').on('data', (chunk: string) => {
      stderr += chunk;
      if (!at.step || paused || !stderr.includes(`LOCK_TEST_PAUSED ${at.step}`)) return;
      paused = true;
      (at.meanwhile ?? (async () => {}))().then(kill, (error: unknown) => {
        kill();
        reject(error);
      });
    });
    child.stdout.resume();
    let polling = true;
    const poll = async () => {
      while (polling && at.when) {
        if (await at.when().catch(() => false)) return kill();
        await new Promise((r) => setTimeout(r, 15));
      }
    };
    void poll();
    child.once('error', reject);
    child.once('exit', (code) => {
      polling = false;
      resolve({ killed, stderr, code });
    });
  });
}

/** The ledger as another process sees it now (a fresh connection each time). */
export async function ledgerState(dataDir: string) {
  const ledger = RequestLedger.inDataDir(dataDir);
  try {
    return { entries: await ledger.list(), claims: await ledger.claims(), discarded: await ledger.discarded() };
  } finally {
    ledger.close();
  }
}

/** Every data folder of this bench that has a ledger (each case has its own). */
async function ledgerDirs(bench: Bench): Promise<string[]> {
  const names = await readdir(bench.dir, { withFileTypes: true });
  return names.filter((d) => d.isDirectory() && existsSync(path.join(bench.dir, d.name, 'ledger.sqlite'))).map((d) => path.join(bench.dir, d.name));
}

async function tokenKeyLabels(bench: Bench): Promise<string[]> {
  if (!bench.hsm) return [];
  const listed = await run('pkcs11-tool', ['--module', bench.hsm.library, '--login', '--pin', USER_PIN, '--list-objects', '--type', 'privkey'], { env: bench.env });
  return [...listed.stdout.matchAll(/^\s*label:\s*(.*)$/gm)].map((m) => m[1]!.trim());
}

/**
 * No key lost: every key file in keys/ is an entry's or a live claim's, every
 * file in keys/discarded/ and every token key is accounted for by an entry, a
 * claim or a discarded row. Returns the number of keys lost (0), for the matrix.
 */
export async function assertNoKeyLost(bench: Bench, dataDir: string): Promise<number> {
  const { entries, claims, discarded } = await ledgerState(dataDir);
  const referenced = new Set([...entries.map((e) => e.keyPath), ...claims.map((c) => c.keyPath)].filter(Boolean));
  const files = (await readdir(path.join(dataDir, 'keys')).catch(() => [] as string[])).filter((n) => n.endsWith('.pem'));
  const lost = files.filter((n) => !referenced.has(path.join(dataDir, 'keys', n)));
  const discardedIds = new Set(discarded.map((d) => d.id));
  const asideFiles = (await readdir(path.join(dataDir, 'keys', 'discarded')).catch(() => [] as string[])).filter((n) => n.endsWith('.pem'));
  lost.push(...asideFiles.filter((n) => !discardedIds.has(n.replace(/\.pem$/, ''))));
  // The bench's one SoftHSM2 token holds the keys of every case so far: any data folder's ledger may account for a key.
  const labels = new Set<string>();
  for (const dir of await ledgerDirs(bench)) {
    const state = dir === dataDir ? { entries, claims, discarded } : await ledgerState(dir);
    for (const e of [...state.entries, ...state.claims, ...state.discarded.map((d) => d.entry)]) if (e.pkcs11?.label) labels.add(e.pkcs11.label);
  }
  lost.push(...(await tokenKeyLabels(bench)).filter((label) => !labels.has(label)).map((l) => `token key "${l}"`));
  expect(lost, 'keys no ledger row accounts for').toEqual([]);
  return lost.length;
}

/**
 * Token not burnt: a retry from the same data folder reaches an issued
 * certificate whose .p12 (file key) openssl opens, or that sits on the token.
 */
export async function assertRetryIssues(bench: Bench, dataDir: string, token: string, kind: KeyKind, server = bench.mock.url): Promise<number> {
  const args = await flowArgs(bench, dataDir, token, kind, server);
  const sent = await cli(bench, args.request);
  const downloaded = sent.code === 0 ? await cli(bench, args.download) : sent;
  if (downloaded.code !== 0) {
    expect.soft(`${sent.stderr}${downloaded.stderr}`, 'retry after the fault').toBe('');
    return 1;
  }
  const { files, onToken } = JSON.parse(downloaded.stdout) as { files: { pem: string; p12?: string }; onToken: boolean };
  if (kind === 'file') {
    const opened = await run('openssl', ['pkcs12', '-info', '-noout', '-in', files.p12!, '-passin', `file:${bench.passwordFile}`]);
    expect(opened.code, opened.stderr).toBe(0);
  } else {
    expect(onToken).toBe(true);
  }
  const status = await new AmsClient(bench.mock.url).status(token);
  expect(status.status).toBe('issued');
  return 0;
}

/** Both promises of the issue for one case, recorded for the matrix. */
export async function assertNothingLost(bench: Bench, group: string, fault: string, dataDir: string, token: string, kind: KeyKind): Promise<void> {
  const lostBefore = await assertNoKeyLost(bench, dataDir);
  const burnt = await assertRetryIssues(bench, dataDir, token, kind);
  const lostAfter = await assertNoKeyLost(bench, dataDir);
  outcomes.push({ group, fault, burnt, lost: lostBefore + lostAfter });
}

/** The file's rows of the README matrix, on the console after its last case. */
export function printOutcomes(): void {
  const sum = (key: 'burnt' | 'lost') => outcomes.reduce((total, o) => total + o[key], 0);
  console.log(`reliability: ${outcomes.length} fault cases, ${sum('burnt')} tokens burnt, ${sum('lost')} keys lost`);
  for (const o of outcomes) console.log(`  ${o.group} | ${o.fault} | burnt ${o.burnt} | lost ${o.lost}`);
}
