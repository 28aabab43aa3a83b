import { existsSync } from 'node:fs';
import { mkdir, readdir, readFile, writeFile } from 'node:fs/promises';
import path from 'node:path';
import { DatabaseSync } from 'node:sqlite';
import { afterEach, describe, expect, it } from 'vitest';
import { cleanStaleTemps } from '../../src-main/services/atomic-file';
import { type RequestLedger, tokenHash, type StoredEntry } from '../../src-main/services/request-ledger';
import { SettingsStore } from '../../src-main/services/settings';
import { writeSidecar } from '../../src-main/storage/entry-sidecar';
import { setWriteFaults } from '../../src-main/storage/write-faults';
import { ledgersPerTest, storedEntry, STORED_SERVER, STORED_TOKEN } from '../support/stored-entry';
import { deadPid } from '../support/tools';

const SERVER = STORED_SERVER;
const TOKEN = STORED_TOKEN;
const entry = storedEntry;


describe('the SQLite ledger', () => {
  const store = ledgersPerTest('lock-ledger-');
  const ledger = () => store.ledger();
  afterEach(() => setWriteFaults(undefined));

  async function made(l: RequestLedger, id: string, token = TOKEN): Promise<StoredEntry> {
    const claim = await l.claim(SERVER, token, { id }, async () => {});
    expect(claim.kind).toBe('claimed');
    await l.complete(entry(id, token));
    return (await l.get(id))!;
  }

  it('two connections never lose each other’s entries or fields (a refresh does not undo a download)', async () => {
    const app = ledger();
    const cli = ledger();
    await made(app, 'a');
    await made(cli, 'b', 'B'.repeat(40));
    expect((await app.list()).map((e) => e.id).sort()).toEqual(['a', 'b']);
    // The app's refresh read 'a' before the CLI's download finished; its write changes only amsStatus.
    const stale = (await app.get('a'))!;
    await cli.update('a', () => ({ state: 'downloaded', files: { pem: '/out/x.pem' }, certificatePem: 'PEM' }));
    await app.update(stale.id, () => ({ amsStatus: 'issued' }));
    const now = (await cli.get('a'))!;
    expect(now).toMatchObject({ state: 'downloaded', amsStatus: 'issued', files: { pem: '/out/x.pem' }, certificatePem: 'PEM' });
  });

  it('a refresh-sized write (201 rows) lands whole, and lets the event loop run between slices of rows', async () => {
    const l = ledger();
    const ids = Array.from({ length: 201 }, (_, i) => `r${String(i).padStart(3, '0')}`);
    for (const id of ids) await made(l, id, id.padEnd(40, 'F').toUpperCase().replace(/R/g, 'A'));
    let turns = 0;
    const ticking = setInterval(() => turns++, 0);
    const listed = await l.list();
    const turnsWhileListing = turns;
    const asked = new Map<string, number>();
    await l.updateMany(new Map(ids.map((id) => [id, () => (asked.set(id, (asked.get(id) ?? 0) + 1), { amsStatus: 'issued' as const })])));
    clearInterval(ticking);
    // Each row's change is applied once, in its own slice.
    expect([...asked.values()].every((n) => n === 1) && asked.size === ids.length).toBe(true);
    expect(listed.map((e) => e.id)).toEqual(ids);
    expect((await l.list()).every((e) => e.amsStatus === 'issued')).toBe(true);
    // 201 rows are three slices: timers ran between them, while listing and while writing.
    expect(turnsWhileListing).toBeGreaterThan(0);
    expect(turns).toBeGreaterThan(turnsWhileListing);
  });

  it('a change that changes nothing writes nothing: another connection sees no new version of the file', async () => {
    const l = ledger();
    await made(l, 'a');
    const other = new DatabaseSync(l.file);
    const version = () => other.prepare('PRAGMA data_version').get();
    const before = version();
    expect(await l.update('a', () => undefined)).toMatchObject({ id: 'a' });
    await l.updateMany(new Map([['a', () => undefined]]));
    expect(version()).toEqual(before);
    await l.update('a', () => ({ note: 'changed' }));
    expect(version()).not.toEqual(before);
    other.close();
  });

  it('writes of sidecars and settings pass the write-fault seam, as the ledger’s do', async () => {
    setWriteFaults('1:ENOSPC');
    await expect(writeSidecar(store.dir, entry('s'))).rejects.toMatchObject({ code: 'FILE_WRITE_FAILED', detail: expect.stringMatching(/^ENOSPC: /) });
    setWriteFaults('1:ENOSPC');
    await expect(SettingsStore.inDataDir(store.dir).update({ language: 'en' })).rejects.toMatchObject({ code: 'FILE_WRITE_FAILED', detail: expect.stringMatching(/^ENOSPC: /) });
    expect(existsSync(path.join(store.dir, 'settings.json'))).toBe(false);
  });

  it('finds an entry whatever the spelling of the server', async () => {
    const l = ledger();
    await made(l, 'a');
    for (const spelling of ['http://localhost:47315', 'HTTP://127.0.0.1:47315/', 'http://LOCALHOST:47315//']) {
      expect((await l.findByToken(spelling, TOKEN))?.id, spelling).toBe('a');
    }
  });

  it('a claim held by a running process is REQUEST_IN_PROGRESS; a dead one’s is taken over and its key set aside', async () => {
    const l = ledger();
    await l.claim(SERVER, TOKEN, { id: 'mine', keyPath: path.join(store.dir, 'keys', 'mine.pem') }, async () => {});
    await expect(ledger().claim(SERVER, TOKEN, { id: 'other' }, async () => {})).rejects.toMatchObject({ code: 'REQUEST_IN_PROGRESS' });
    // The same claim as written by a process that was killed.
    const { DatabaseSync } = await import('node:sqlite');
    const db = new DatabaseSync(l.file);
    db.prepare('UPDATE requests SET owner = ? WHERE id = ?').run(`pid:${deadPid()}`, 'mine');
    db.close();
    const abandoned: string[] = [];
    const claim = await ledger().claim(SERVER, TOKEN, { id: 'next' }, async (stale) => void abandoned.push(stale.keyPath!));
    expect(claim).toEqual({ kind: 'claimed', id: 'next' });
    expect(abandoned).toEqual([path.join(store.dir, 'keys', 'mine.pem')]);
  });

  it('a failed commit (disk full) changes nothing on disk and nothing in memory', async () => {
    const l = ledger();
    await made(l, 'a');
    setWriteFaults('1:ENOSPC');
    await expect(l.update('a', () => ({ state: 'csr_sent', amsStatus: 'issued' }))).rejects.toMatchObject({ code: 'FILE_WRITE_FAILED', detail: expect.stringContaining('ENOSPC') });
    setWriteFaults('');
    expect(await l.get('a')).toMatchObject({ state: 'csr_ready' });
    expect((await ledger().get('a'))!.amsStatus).toBeUndefined();
  });

  it('a fresh data folder (no ledger.json, no database) opens with nothing to report and nothing set aside', async () => {
    const l = ledger();
    expect(await l.list()).toEqual([]);
    expect(l.notices).toEqual([]);
    expect((await readdir(store.dir)).filter((name) => name.includes('damaged'))).toEqual([]);
  });

  it('migrates ledger.json once and keeps it as ledger.backup.json', async () => {
    const old = { ...entry('legacy'), tokenHash: tokenHash(`${SERVER}/`, TOKEN), server: `${SERVER}/` };
    await mkdir(store.dir, { recursive: true });
    await writeFile(path.join(store.dir, 'ledger.json'), JSON.stringify({ version: 1, entries: [old] }));
    const [a, b] = [ledger(), ledger()];
    const [listA, listB] = await Promise.all([a.list(), b.list()]);
    expect(listA.map((e) => e.id)).toEqual(['legacy']);
    expect(listB.map((e) => e.id)).toEqual(['legacy']);
    expect(existsSync(path.join(store.dir, 'ledger.json'))).toBe(false);
    expect(JSON.parse(await readFile(path.join(store.dir, 'ledger.backup.json'), 'utf8')).entries[0].id).toBe('legacy');
    // Keyed by the address as it was typed then; found by any spelling now.
    expect((await a.findByToken('http://localhost:47315', TOKEN))?.id).toBe('legacy');
  });

  for (const [name, bytes] of [
    ['empty', ''],
    ['truncated', '{"version":1,"entries":[{"id":"x"'],
    ['junk', '\u0000\u00ff garbage'],
  ] as const) {
    it(`a ${name} ledger.json is set aside with LEDGER_DAMAGED naming the file; the ledger works`, async () => {
      await mkdir(store.dir, { recursive: true });
      await writeFile(path.join(store.dir, 'ledger.json'), bytes);
      const l = ledger();
      expect(await l.list()).toEqual([]);
      expect(l.notices.map((n) => n.code)).toEqual(['LEDGER_DAMAGED']);
      expect(l.notices[0]!.detail).toMatch(/ledger\.damaged-.*\.json$/);
      expect(await readFile(l.notices[0]!.detail!, 'utf8')).toBe(bytes);
      await made(l, 'a');
    });
  }

  it('a ledger.sqlite that is not a database is set aside and a fresh one started', async () => {
    await mkdir(store.dir, { recursive: true });
    await writeFile(path.join(store.dir, 'ledger.sqlite'), 'SQLite format 3\u0000 but then junk '.repeat(200));
    const l = ledger();
    expect(await l.list()).toEqual([]);
    expect(l.notices[0]).toMatchObject({ code: 'LEDGER_DAMAGED', detail: expect.stringMatching(/ledger\.damaged-.*\.sqlite$/) });
    await made(l, 'a');
  });

  it('a damaged settings.json is set aside with SETTINGS_DAMAGED; defaults apply and saving works', async () => {
    await mkdir(store.dir, { recursive: true });
    await writeFile(path.join(store.dir, 'settings.json'), '{"outputDir": ');
    const settings = SettingsStore.inDataDir(store.dir);
    expect(await settings.get()).toEqual({});
    expect(settings.notices[0]).toMatchObject({ code: 'SETTINGS_DAMAGED', detail: expect.stringMatching(/settings\.damaged-.*\.json$/) });
    await settings.update({ outputDir: '/out' });
    expect(await SettingsStore.inDataDir(store.dir).get()).toEqual({ outputDir: '/out' });
  });

  it('removes temp files of killed writers on start, never a running writer’s', async () => {
    await mkdir(store.dir, { recursive: true });
    const dead = `.settings.json.${deadPid()}-0123456789ab.tmp`;
    const live = `.settings.json.${process.pid}-0123456789ab.tmp`;
    await writeFile(path.join(store.dir, dead), 'x');
    await writeFile(path.join(store.dir, live), 'x');
    expect(await cleanStaleTemps(store.dir)).toEqual([dead]);
    expect(await readdir(store.dir)).toEqual([live]);
  });
});
