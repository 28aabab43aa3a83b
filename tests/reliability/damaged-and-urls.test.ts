import { randomBytes } from 'node:crypto';
import { existsSync } from 'node:fs';
import { mkdir, readdir, readFile, stat, truncate, writeFile } from 'node:fs/promises';
import path from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { startCore } from '../../src-main/services/core';
import { TokenVault } from '../../src-main/services/token-vault';
import { memoryKeychain } from '../support/flow';
import { assertNothingLost, cli, flowArgs, ledgerState, mint, openBench, outcomes, assertNoKeyLost, assertRetryIssues, type Bench, printOutcomes } from './harness';

const DAMAGE: [string, (file: string) => Promise<void>][] = [
  ['empty', (file) => writeFile(file, '')],
  ['truncated', async (file) => truncate(file, Math.floor((await stat(file)).size / 3))],
  ['junk', (file) => writeFile(file, randomBytes(3000))],
];

describe('damaged files, and one server spelled four ways', () => {
  let bench: Bench;
  let n = 0;
  const folder = () => path.join(bench.dir, `pc-${++n}`);
  beforeAll(async () => (bench = await openBench()));
  afterAll(async () => bench?.close());

  for (const [kind, damage] of DAMAGE) {
    it(`a ${kind} ledger.json from an older version is set aside with LEDGER_DAMAGED; requests go on`, async () => {
      const dataDir = folder();
      await mkdir(dataDir, { recursive: true });
      await writeFile(path.join(dataDir, 'ledger.json'), JSON.stringify({ version: 1, entries: [] }));
      await damage(path.join(dataDir, 'ledger.json'));
      const token = await mint(bench);
      const sent = await cli(bench, (await flowArgs(bench, dataDir, token, 'file')).request);
      expect(sent.code, sent.stderr).toBe(0);
      expect(sent.stderr).toMatch(/^WARNING LEDGER_DAMAGED: .*ledger\.damaged-[^ ]+\.json/m);
      expect((await readdir(dataDir)).filter((f) => f.startsWith('ledger.damaged-'))).toHaveLength(1);
      await assertNothingLost(bench, 'damaged files', `${kind} ledger.json`, dataDir, token, 'file');
    });

    it(`a ${kind} ledger.sqlite is set aside and its entries rebuilt from the key folder; nothing is lost`, async () => {
      const dataDir = folder();
      const first = await mint(bench);
      expect((await cli(bench, (await flowArgs(bench, dataDir, first, 'file')).request)).code).toBe(0);
      await damage(path.join(dataDir, 'ledger.sqlite'));
      const second = await mint(bench);
      const sent = await cli(bench, (await flowArgs(bench, dataDir, second, 'file')).request);
      expect(sent.code, sent.stderr).toBe(0);
      expect((await ledgerState(dataDir)).entries).toHaveLength(2);
      await assertNothingLost(bench, 'damaged files', `${kind} ledger.sqlite`, dataDir, first, 'file');
      expect(await assertRetryIssues(bench, dataDir, second, 'file')).toBe(0);
    });

    it(`a ${kind} settings.json is set aside with SETTINGS_DAMAGED; the app starts and works`, async () => {
      const dataDir = folder();
      await mkdir(dataDir, { recursive: true });
      await writeFile(path.join(dataDir, 'settings.json'), JSON.stringify({ outputDir: '/somewhere' }));
      await damage(path.join(dataDir, 'settings.json'));
      const core = await startCore({
        dataDir,
        amsUrl: bench.mock.url,
        version: 'test',
        vault: await TokenVault.open(async () => memoryKeychain()),
        ports: { readClipboard: () => '', writeClipboard: () => {}, quit: () => {}, documentsDir: path.join(dataDir, 'Documents') },
      });
      try {
        const info = await core.dispatch('output.info', {}, { emit: () => {} });
        expect(info).toEqual({ ok: true, value: { dir: path.join(dataDir, 'Documents', 'LOCK Desktop'), canChoose: false } });
        // A new settings file is written where the damaged one was (the default folder is always allowed).
        const set = await core.dispatch('output.set', { dir: path.join(dataDir, 'Documents', 'LOCK Desktop') }, { emit: () => {} });
        expect(set.ok, JSON.stringify(set)).toBe(true);
      } finally {
        await core.close();
      }
      const aside = (await readdir(dataDir)).filter((f) => /^settings\.damaged-.+\.json$/.test(f));
      expect(aside, 'the damaged file is kept beside').toHaveLength(1);
      expect(JSON.parse(await readFile(path.join(dataDir, 'settings.json'), 'utf8'))).toEqual({ outputDir: path.join(dataDir, 'Documents', 'LOCK Desktop') });
      outcomes.push({ group: 'damaged files', fault: `${kind} settings.json`, burnt: 0, lost: 0 });
    });
  }

  it('commands that do not need the ledger never open it (bundle-p12 beside a damaged ledger)', async () => {
    const dataDir = folder();
    await mkdir(dataDir, { recursive: true });
    await writeFile(path.join(dataDir, 'ledger.json'), 'junk');
    const made = await cli(bench, ['--data-dir', dataDir, 'bundle-p12', '--cert', '/nonexistent.pem', '--key', '/nonexistent.key', '--out', path.join(dataDir, 'x.p12'), '--password-file', bench.passwordFile]);
    expect(made.stderr).not.toMatch(/LEDGER_DAMAGED|INTERNAL/);
    expect(existsSync(path.join(dataDir, 'ledger.sqlite'))).toBe(false);
    expect(await readFile(path.join(dataDir, 'ledger.json'), 'utf8')).toBe('junk');
  });

  it('one server spelled four ways is one server: request, status, download and discard find the entry', async () => {
    const dataDir = folder();
    const port = new URL(bench.mock.url).port;
    const spellings = [`http://127.0.0.1:${port}`, `http://localhost:${port}/`, `HTTP://LOCALHOST:${port}`, `http://127.0.0.1:${port}//`];
    const token = await mint(bench);
    for (const server of spellings) {
      const sent = await cli(bench, (await flowArgs(bench, dataDir, token, 'file', server)).request);
      expect(sent.code, `${server}: ${sent.stderr}`).toBe(0);
    }
    expect((await ledgerState(dataDir)).entries).toHaveLength(1);
    for (const server of spellings.slice(1)) {
      const downloaded = await cli(bench, (await flowArgs(bench, dataDir, token, 'file', server)).download);
      expect(downloaded.code, `${server}: ${downloaded.stderr}`).toBe(0);
    }
    outcomes.push({ group: 'server URL spelled four ways', fault: spellings.join(' | '), burnt: 0, lost: await assertNoKeyLost(bench, dataDir) });
  });
});

afterAll(printOutcomes);
