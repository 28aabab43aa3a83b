import { execFileSync, fork, type Serializable } from 'node:child_process';
import { randomUUID } from 'node:crypto';
import { rmSync, writeFileSync } from 'node:fs';
import path from 'node:path';
import { connectMock, type EmbeddedMock, type MockWorkerOptions } from '../../src-main/mock-ams/mock-thread';
import { AmsClient } from '../../src-main/services/ams-client';
import { startCore, type Core, DEMO_EMAIL } from '../../src-main/services/core';
import { tokenHash, type StoredEntry } from '../../src-main/services/request-ledger';
import { TokenVault } from '../../src-main/services/token-vault';
import { RequestLedger } from '../../src-main/storage/ledger-store';
import { PASSWORD, type P12Fixture } from './crypto-rows';
import type { RefreshJob } from './refresh-child';
import { maxLoopDelay, median, profiled, timed, type Row } from './measure';

const STALL_ROUNDS = 3;
const REFRESH_ENTRIES = 1_000;

interface App {
  core: Core;
  mock: EmbeddedMock;
  call(channel: string, input: unknown): Promise<unknown>;
  close(): Promise<void>;
}

/**
 * The embedded mock as the app runs it: mock-utility.cjs in a process of its
 * own (Electron's utilityProcess; here a Node child given the same parentPort).
 */
function startMockProcess(dataDir: string): Promise<EmbeddedMock> {
  const options: MockWorkerOptions = { dataDir, autoApprove: true, port: 0 };
  const child = fork(path.resolve('dist/worker/mock-utility.cjs'), [JSON.stringify(options)], { execArgv: ['--require', path.resolve('tests/support/utility-parent-port.cjs')], stdio: 'inherit' });
  return connectMock({
    postMessage: (message) => void child.send(message as Serializable),
    on: (event, listener) => child.on(event, listener),
    off: (event, listener) => child.off(event, listener),
    once: (event, listener) => child.once(event, (code) => listener(code ?? 0)),
  }, () => void child.kill());
}

/** The token store the bench's app uses: the session one (no keychain), as on a machine without one. */
export const sessionVault = () => TokenVault.open(async () => Promise.reject(new Error('bench: session storage')));

/** What the shell gives the core; the bench has no clipboard or window. */
export const benchPorts = (dataDir: string) => ({ readClipboard: () => '', writeClipboard: () => {}, quit: () => {}, documentsDir: path.join(dataDir, 'Documents') });

/** The app's composition as a shell makes it: the mock in its own process, then the core; calls go through dispatch. */
async function startApp(dataDir: string): Promise<App> {
  const mock = await startMockProcess(path.join(dataDir, 'mock-ams'));
  const core = await startCore({ dataDir, embedded: mock, version: 'bench', vault: await sessionVault(), ports: benchPorts(dataDir) });
  return {
    core,
    mock,
    call: async (channel, input) => {
      const result = await core.dispatch(channel, input, { emit: () => {} });
      if (!result.ok) throw new Error(`${channel}: ${JSON.stringify(result.error)}`);
      return result.value;
    },
    close: async () => {
      await core.close();
      await mock.close();
    },
  };
}

/**
 * Median over rounds (after one warm-up) of the largest main-loop delay while
 * one call runs. `prepare` (say, minting the token a call uses, which the bench
 * does over HTTP on this thread) runs before the measured window.
 */
async function stall(name: string, call: (round: number) => Promise<unknown>, prepare: (round: number) => Promise<void> = async () => {}): Promise<Row> {
  await prepare(-1);
  await call(-1);
  const delays: number[] = [];
  const idle: number[] = [];
  for (let i = 0; i < STALL_ROUNDS; i++) {
    await prepare(i);
    let ms = 0;
    delays.push(await profiled(`stall ${name} ${i}`, () => maxLoopDelay(async () => (ms = await timed(() => call(i))))));
    // The noise floor: the same loop, idle for as long, right after (other processes share the CPU).
    idle.push(await maxLoopDelay(() => new Promise((resolve) => setTimeout(resolve, ms))));
  }
  const note = `worst ${Math.max(...delays).toFixed(1)} ms; idle loop ${median(idle).toFixed(1)} ms`;
  return { name: `main-loop stall: ${name}`, ours: median(delays), unit: 'ms', note, target: { kind: 'max', max: 20 } };
}

/** A main-loop stall row for every contract call that does CPU work, through the core as the app runs it. */
export async function stallRows(dir: string, f: P12Fixture): Promise<Row[]> {
  const app = await startApp(path.join(dir, 'app'));
  try {
    const entries: string[] = [];
    const tokens: string[] = [];
    const rows: Row[] = [];
    rows.push(
      await stall(
        'request.lookup',
        () => app.call('request.lookup', { token: tokens[tokens.length - 1] }),
        async () => void tokens.push((await app.mock.mintToken(DEMO_EMAIL)).token),
      ),
    );
    let next = 0;
    rows.push(
      await stall('request.submit, file key (RSA 2048, PBKDF2 600k, CSR)', async () => {
        const { entry } = (await app.call('request.submit', { token: tokens[next++], keyStore: 'file', password: PASSWORD, passwordConfirm: PASSWORD })) as { entry: { id: string } };
        entries.push(entry.id);
      }),
    );
    let downloaded = 0;
    rows.push(await stall('download.run, file key (.pem + compatible .p12)', () => app.call('download.run', { entryId: entries[downloaded++], keyStore: 'file', password: PASSWORD })));
    const foreign = path.join(dir, 'foreign-pbes2.key');
    execFileSync('openssl', ['pkcs8', '-topk8', '-v2', 'aes-128-cbc', '-v2prf', 'hmacWithSHA512', '-iter', '600000', '-in', f.keyFile, '-out', foreign, '-passout', `pass:${PASSWORD}`]);
    const bundle = (profile: string, keyFile: string, keyPassword?: string) => (round: number) =>
      app.call('bundle.create', {
        certificatePath: f.certFile,
        key: { kind: 'file', path: keyFile },
        ...(keyPassword ? { keyPassword } : {}),
        password: PASSWORD,
        passwordConfirm: PASSWORD,
        profile,
        outPath: path.join(dir, `bundle-${profile}-${path.basename(keyFile)}-${round + 1}.p12`),
      });
    rows.push(await stall('bundle.create compatible', bundle('compatible', f.keyFile)));
    rows.push(await stall('bundle.create modern', bundle('modern', f.keyFile)));
    rows.push(await stall('bundle.create, foreign PBES2 key (AES-128, HMAC-SHA512, 600k)', bundle('compatible', foreign, PASSWORD)));
    return rows;
  } finally {
    await app.close();
  }
}

/**
 * ledger.refresh with 1,000 entries: first with every status changed at AMS
 * (the ledger says csr_uploaded, AMS has issued), then with nothing changed.
 */
export async function refreshRows(dir: string): Promise<Row[]> {
  const dataDir = path.join(dir, 'refresh');
  const seed = await startApp(dataDir);
  const { token } = await seed.mock.mintToken(DEMO_EMAIL);
  await seed.call('request.submit', { token, keyStore: 'file', password: PASSWORD, passwordConfirm: PASSWORD });
  const seedLedger = RequestLedger.inDataDir(dataDir);
  const template = (await seedLedger.list())[0]!;
  seedLedger.close();
  await seed.core.close();

  // 1,000 requests at AMS, each with the same CSR uploaded (the mock checks subject and signature, not key reuse).
  const ams = new AmsClient(seed.mock.url);
  const entries: StoredEntry[] = [];
  // The tokens the app's keychain holds, by entry: the seed request's and the 1,000.
  const tokens: [string, string][] = [[template.id, token]];
  for (let i = 0; i < REFRESH_ENTRIES; i++) {
    const minted = await seed.mock.mintToken(DEMO_EMAIL);
    await ams.uploadCsr(minted.token, template.csrPem);
    const id = randomUUID();
    tokens.push([id, minted.token]);
    entries.push({ ...template, id, requestId: minted.requestId, tokenHash: tokenHash(seed.mock.url, minted.token), state: 'csr_sent', amsStatus: 'csr_uploaded' });
  }
  // Written as an earlier version's ledger.json, which the app moves into a fresh ledger.sqlite on start (not timed).
  for (const file of ['ledger.sqlite', 'ledger.sqlite-wal', 'ledger.sqlite-shm']) rmSync(path.join(dataDir, file), { force: true });
  writeFileSync(path.join(dataDir, 'ledger.json'), JSON.stringify({ version: 1, entries }));
  // The one-time move into ledger.sqlite happens on first use; done here, so the refreshes below measure refreshes.
  const migrated = RequestLedger.inDataDir(dataDir);
  // (The seed request itself comes back too, from the sidecar kept beside its key: 1,001 entries.)
  if ((await migrated.list()).length < REFRESH_ENTRIES) throw new Error('bench: the seeded ledger did not migrate');
  migrated.close();

  // Measured in a process of its own, as the app's main process after a restart: its core, the
  // ledger, and the tokens its keychain holds; none of the bench's own heap from the rows before.
  const child = fork(path.resolve('dist/bench/refresh-child.cjs'), [], { stdio: 'inherit' });
  let rows: Row[];
  try {
    rows = await new Promise<Row[]>((resolve, reject) => {
      child.once('message', (message) => resolve(message as Row[]));
      child.once('error', reject);
      child.once('exit', (code) => reject(new Error(`bench: the refresh process exited with ${code}`)));
      child.send({ dataDir, mockUrl: seed.mock.url, tokens } satisfies RefreshJob);
    });
  } finally {
    child.kill();
    await seed.mock.close();
  }
  return rows;
}
