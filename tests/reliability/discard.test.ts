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

  it('asks first: without a terminal and without --yes it says so in both languages (CONFIRMATION_NEEDED) and nothing changes', async () => {
    const { dataDir, tokenFile } = await unsent();
    const result = await discard(dataDir, tokenFile);
    expect(result.code).toBe(1);
    expect(result.stderr).toMatch(/^CONFIRMATION_NEEDED: .+--yes.+ \/ This command asks before it changes anything.+--yes/);
    expect((await ledgerState(dataDir)).entries).toHaveLength(1);
    // Nothing to discard is said as such, before any question.
    const unknown = path.join(bench.dir, `unknown-${n}.txt`);
    await writeFile(unknown, await mint(bench));
    const none = await discard(dataDir, unknown);
    expect(none.stderr).toMatch(/^REQUEST_NOT_FOUND: /);
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

  it('a discard while the CSR is on its way from another command is REQUEST_BUSY: the CSR lands and its key stays', async () => {
    const { dataDir, token, tokenFile } = await unsent();
    let meanwhile: Awaited<ReturnType<typeof discard>> | undefined;
    // The re-run holds the entry and waits just before its upload; a discard runs then.
    const sending = await killAt(bench, (await flowArgs(bench, dataDir, token, 'file')).request, {
      step: 'request:uploading',
      meanwhile: async () => void (meanwhile = await discard(dataDir, tokenFile, '--yes')),
    });
    expect(sending.killed, sending.stderr).toBe(true);
    expect(meanwhile?.stderr).toMatch(/^REQUEST_BUSY: .+ \/ Another LOCK Desktop window or command is working on this request/);
    expect(meanwhile?.code).toBe(1);
    expect((await ledgerState(dataDir)).entries).toHaveLength(1);
    expect((await ledgerState(dataDir)).discarded).toHaveLength(0);
    // Its sender was killed there: the hold it left is taken over by the next run, which sends the same CSR.
    await assertNothingLost(bench, 'discard while the CSR is sent', 'refused: held by the sender', dataDir, token, 'file');
  });

  it('a request re-sent while a discard is asking AMS is REQUEST_BUSY and sends nothing; the discard then goes ahead', async () => {
    const { dataDir, token, tokenFile } = await unsent();
    let meanwhile: Awaited<ReturnType<typeof cli>> | undefined;
    const discarding = await killAt(bench, ['--data-dir', dataDir, 'discard', '--server', bench.mock.url, '--token-file', tokenFile, '--yes'], {
      step: 'discard:held',
      meanwhile: async () => void (meanwhile = await cli(bench, (await flowArgs(bench, dataDir, token, 'file')).request)),
    });
    expect(discarding.killed, discarding.stderr).toBe(true);
    expect(meanwhile?.stderr).toMatch(/^REQUEST_BUSY: /);
    expect((await ledgerState(dataDir)).entries.map((e) => e.state)).toEqual(['csr_ready']);
    // The killed discard's hold is taken over; AMS still waits for a CSR, so it is discarded and the token starts over.
    const again = await discard(dataDir, tokenFile, '--yes');
    expect(again.code, again.stderr).toBe(0);
    await assertNothingLost(bench, 'request while a discard asks AMS', 'refused: held by the discard', dataDir, token, 'file');
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
