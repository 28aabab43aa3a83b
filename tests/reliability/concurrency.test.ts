import { readdir } from 'node:fs/promises';
import path from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { startCore, type Core } from '../../src-main/services/core';
import { TokenVault } from '../../src-main/services/token-vault';
import { memoryKeychain, STRONG_PASSWORD } from '../support/flow';
import { assertNoKeyLost, assertRetryIssues, cli, flowArgs, ledgerState, mint, openBench, outcomes, type Bench, printOutcomes } from './harness';

/**
 * Several processes on one data folder at once — the app (the real core) and
 * CLIs — with different tokens and with the same token. Nobody loses anybody's
 * entry, no token makes two keys, and every token still reaches a certificate.
 */
const call = async (core: Core, channel: string, input: unknown) => core.dispatch(channel, input, { emit: () => {} });

describe('processes sharing one data folder', () => {
  let bench: Bench;
  let n = 0;
  const folder = () => path.join(bench.dir, `shared-${++n}`);
  beforeAll(async () => (bench = await openBench()));
  afterAll(async () => bench?.close());

  async function openCore(dataDir: string): Promise<Core> {
    return startCore({
      dataDir,
      amsUrl: bench.mock.url,
      version: 'test',
      vault: await TokenVault.open(async () => memoryKeychain()),
      ports: { readClipboard: () => '', writeClipboard: () => {}, quit: () => {}, documentsDir: path.join(dataDir, 'Documents') },
    });
  }

  async function keyFiles(dataDir: string): Promise<string[]> {
    return (await readdir(path.join(dataDir, 'keys')).catch(() => [] as string[])).filter((f) => f.endsWith('.pem'));
  }

  for (const count of [2, 10]) {
    it(`${count} CLI requests with ${count} tokens at once: ${count} entries, ${count} keys, ${count} certificates`, async () => {
      const dataDir = folder();
      const tokens = await Promise.all(Array.from({ length: count }, () => mint(bench)));
      const results = await Promise.all(tokens.map(async (t) => cli(bench, (await flowArgs(bench, dataDir, t, 'file')).request)));
      for (const r of results) expect(r.code, r.stderr).toBe(0);
      expect((await ledgerState(dataDir)).entries).toHaveLength(count);
      expect(await keyFiles(dataDir)).toHaveLength(count);
      const lost = await assertNoKeyLost(bench, dataDir);
      // The downloads at once, too.
      const burnt = await Promise.all(tokens.map((t) => assertRetryIssues(bench, dataDir, t, 'file')));
      outcomes.push({ group: 'two and ten processes', fault: `${count} CLIs, ${count} tokens`, burnt: burnt.reduce((a, b) => a + b, 0), lost });
    });

    it(`${count} CLI requests with the same token at once: one key, the others wait or resend`, async () => {
      const dataDir = folder();
      const token = await mint(bench);
      const args = (await flowArgs(bench, dataDir, token, 'file')).request;
      const results = await Promise.all(Array.from({ length: count }, () => cli(bench, args)));
      for (const r of results) expect(r.code === 0 || /^REQUEST_IN_PROGRESS: /.test(r.stderr), r.stderr).toBe(true);
      expect(results.some((r) => r.code === 0)).toBe(true);
      expect((await ledgerState(dataDir)).entries).toHaveLength(1);
      expect(await keyFiles(dataDir)).toHaveLength(1);
      const lost = await assertNoKeyLost(bench, dataDir);
      const burnt = await assertRetryIssues(bench, dataDir, token, 'file');
      outcomes.push({ group: 'two and ten processes', fault: `${count} CLIs, one token`, burnt, lost });
    });
  }

  it('the app (core) and a CLI at once, different tokens and then the same token', async () => {
    const dataDir = folder();
    const core = await openCore(dataDir);
    try {
      const [mine, theirs, shared] = await Promise.all([mint(bench), mint(bench), mint(bench)]);
      const submit = (token: string) => call(core, 'request.submit', { token, keyStore: 'file', password: STRONG_PASSWORD, passwordConfirm: STRONG_PASSWORD });
      const [app, other] = await Promise.all([submit(mine), flowArgs(bench, dataDir, theirs, 'file').then((a) => cli(bench, a.request))]);
      expect(app.ok, JSON.stringify(app)).toBe(true);
      expect(other.code, other.stderr).toBe(0);

      const [appSame, cliSame] = await Promise.all([submit(shared), flowArgs(bench, dataDir, shared, 'file').then((a) => cli(bench, a.request))]);
      const appWaited = !appSame.ok && appSame.error.code === 'REQUEST_IN_PROGRESS';
      expect(appSame.ok || appWaited, JSON.stringify(appSame)).toBe(true);
      expect(cliSame.code === 0 || /^REQUEST_IN_PROGRESS: /.test(cliSame.stderr), cliSame.stderr).toBe(true);

      // The app's list shows all three, whoever made them.
      const listed = await call(core, 'ledger.refresh', {});
      expect(listed.ok && (listed.value as unknown[]).length).toBe(3);
      expect(await keyFiles(dataDir)).toHaveLength(3);
      const lost = await assertNoKeyLost(bench, dataDir);
      const burnt = (await Promise.all([mine, theirs, shared].map((t) => assertRetryIssues(bench, dataDir, t, 'file')))).reduce((a, b) => a + b, 0);
      outcomes.push({ group: 'two and ten processes', fault: 'app + CLI, different and same token', burnt, lost });
    } finally {
      await core.close();
    }
  });

  it('the app refreshing over and over while a CLI downloads does not undo the download', async () => {
    const dataDir = folder();
    const core = await openCore(dataDir);
    try {
      const token = await mint(bench);
      const args = await flowArgs(bench, dataDir, token, 'file');
      expect((await cli(bench, args.request)).code).toBe(0);
      // The app knows this token (pasted in the Download tab), so its refresh asks AMS and writes.
      expect((await call(core, 'download.findToken', { token })).ok).toBe(true);
      let refreshing = true;
      const refreshes = (async () => {
        let count = 0;
        while (refreshing) {
          await call(core, 'ledger.refresh', {});
          count++;
        }
        return count;
      })();
      const downloaded = await cli(bench, args.download);
      refreshing = false;
      expect(await refreshes).toBeGreaterThan(0);
      expect(downloaded.code, downloaded.stderr).toBe(0);
      const [entry] = (await ledgerState(dataDir)).entries;
      expect(entry).toMatchObject({ state: 'downloaded', files: { pem: expect.any(String), p12: expect.any(String) }, certificatePem: expect.any(String) });
      outcomes.push({ group: 'two and ten processes', fault: 'app refresh during CLI download', burnt: 0, lost: await assertNoKeyLost(bench, dataDir) });
    } finally {
      await core.close();
    }
  });
});

afterAll(printOutcomes);
