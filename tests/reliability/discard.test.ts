import { existsSync } from 'node:fs';
import { readdir, rm, writeFile } from 'node:fs/promises';
import path from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { assertNothingLost, cli, flowArgs, killAt, ledgerState, mint, openBench, type Bench, printOutcomes } from './harness';

/** The way out of an unsent request, and the refusal to discard one AMS holds. */
describe('lock-desktop discard --token-file', () => {
  let bench: Bench;
  let n = 0;
  const folder = () => path.join(bench.dir, `pc-${++n}`);
  beforeAll(async () => (bench = await openBench()));
  afterAll(async () => bench?.close());

  async function unsent(): Promise<{ dataDir: string; token: string; tokenFile: string; keyPath: string }> {
    const dataDir = folder();
    const token = await mint(bench);
    const killed = await killAt(bench, (await flowArgs(bench, dataDir, token, 'file')).request, { step: 'request:csr-ready' });
    expect(killed.killed, killed.stderr).toBe(true);
    const tokenFile = path.join(dataDir, '..', `token-${n}.txt`);
    await writeFile(tokenFile, `${token}\r\n`);
    const [entry] = (await ledgerState(dataDir)).entries;
    return { dataDir, token, tokenFile, keyPath: entry!.keyPath! };
  }

  const discard = (dataDir: string, tokenFile: string, ...extra: string[]) => cli(bench, ['--data-dir', dataDir, 'discard', '--server', bench.mock.url, '--token-file', tokenFile, ...extra]);

  it('asks first: without a terminal and without --yes nothing changes', async () => {
    const { dataDir, tokenFile } = await unsent();
    const result = await discard(dataDir, tokenFile);
    expect(result.code).toBe(1);
    expect((await ledgerState(dataDir)).entries).toHaveLength(1);
  });

  it('key file gone: KEY_MISSING on retry, then discard, then the same token reaches a certificate', async () => {
    const { dataDir, token, tokenFile, keyPath } = await unsent();
    await rm(keyPath);
    const retry = await cli(bench, (await flowArgs(bench, dataDir, token, 'file')).request);
    expect(retry.stderr).toMatch(/^KEY_MISSING: /);
    const result = await discard(dataDir, tokenFile, '--yes');
    expect(result.code, result.stderr).toBe(0);
    expect((await ledgerState(dataDir)).discarded).toHaveLength(1);
    await assertNothingLost(bench, 'unsent request discarded', 'key file deleted', dataDir, token, 'file');
  });

  it('password forgotten: the old key is set aside in keys/discarded, never deleted; a new password starts over', async () => {
    const { dataDir, token, tokenFile, keyPath } = await unsent();
    await writeFile(bench.passwordFile, 'Lupa#Sandi2027\n');
    try {
      const retry = await cli(bench, (await flowArgs(bench, dataDir, token, 'file')).request);
      expect(retry.stderr).toMatch(/^KEY_PASSWORD_INCORRECT: /);
      const result = await discard(dataDir, tokenFile, '--yes', '--json');
      expect(result.code, result.stderr).toBe(0);
      expect(JSON.parse(result.stdout).keptKeyAt).toBe(path.join(dataDir, 'keys', 'discarded', path.basename(keyPath)));
      expect(existsSync(path.join(dataDir, 'keys', 'discarded', path.basename(keyPath)))).toBe(true);
      await assertNothingLost(bench, 'unsent request discarded', 'password forgotten', dataDir, token, 'file');
    } finally {
      await writeFile(bench.passwordFile, 'Kunci#Rahasia2026\n');
    }
  });

  it('never discards a request whose CSR AMS holds (killed after the upload, before the ledger knew)', async () => {
    const dataDir = folder();
    const token = await mint(bench);
    const args = await flowArgs(bench, dataDir, token, 'file');
    expect((await killAt(bench, args.request, { step: 'request:uploaded' })).killed).toBe(true);
    const tokenFile = path.join(bench.dir, `held-${n}.txt`);
    await writeFile(tokenFile, token);
    const result = await discard(dataDir, tokenFile, '--yes');
    expect(result.stderr).toMatch(/^DISCARD_NOT_ALLOWED: .*AMS: (csr_uploaded|submitted|issued)/);
    expect((await ledgerState(dataDir)).entries).toHaveLength(1);
    expect((await readdir(path.join(dataDir, 'keys'))).filter((f) => f.endsWith('.pem'))).toHaveLength(1);
    await assertNothingLost(bench, 'unsent request discarded', 'refused: AMS holds the CSR', dataDir, token, 'file');
  });
});

afterAll(printOutcomes);
