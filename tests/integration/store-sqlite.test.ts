import { readdirSync } from 'node:fs';
import { mkdir, mkdtemp, readdir, readFile, rm, stat, writeFile } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import path from 'node:path';
import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import { AppError } from '../../src/contract/errors';
import { SettingsStore } from '../../src-main/services/settings';
import { asWriteError, isDamage, openDatabase, sqliteCode, STATEMENT_WAIT_MS } from '../../src-main/storage/sqlite-db';
import { lockHolder, longestStall } from '../support/lock-holder';

/** The SQLite database's opening and error mapping, and the settings file, on a real file system. */
let dir: string;
beforeEach(async () => {
  dir = await mkdtemp(path.join(tmpdir(), 'lock-store-sqlite-'));
});
afterEach(async () => rm(dir, { recursive: true, force: true }));

describe('SQLite errors', () => {
  it('an extended result code is read by its primary code; only CORRUPT (11) and NOTADB (26) are damage', () => {
    expect(sqliteCode({ errcode: 11 })).toBe(11);
    expect(sqliteCode({ errcode: 11 | (1 << 8) })).toBe(11);
    expect(sqliteCode({ errcode: '11' })).toBeUndefined();
    expect(sqliteCode(new Error('x'))).toBeUndefined();
    expect([11, 26, 10, 13, 14, 8, 5, 19].map((errcode) => isDamage({ errcode }))).toEqual([true, true, false, false, false, false, false, false]);
    expect(isDamage(new Error('x'))).toBe(false);
  });

  it('a failing disk (IOERR, FULL, CANTOPEN, READONLY, or an errno) is FILE_WRITE_FAILED naming why; anything else passes unchanged', () => {
    const file = '/data/ledger.sqlite';
    for (const [errcode, errstr] of [[10, 'disk I/O error'], [13, 'database or disk is full'], [14, 'unable to open database file'], [8, 'attempt to write a readonly database']] as const) {
      expect(asWriteError({ errcode, errstr }, file)).toMatchObject({ code: 'FILE_WRITE_FAILED', detail: `${errstr}: ${file}` });
    }
    expect(asWriteError({ errcode: 13 }, file)).toMatchObject({ code: 'FILE_WRITE_FAILED', detail: `write failed: ${file}` });
    // node:sqlite's own errors carry code ERR_SQLITE_ERROR: not an errno, so SQLite's words are used.
    const sqliteError = Object.assign(new Error('database or disk is full'), { code: 'ERR_SQLITE_ERROR', errcode: 13, errstr: 'database or disk is full' });
    expect(asWriteError(sqliteError, file)).toMatchObject({ code: 'FILE_WRITE_FAILED', detail: `database or disk is full: ${file}` });
    expect(asWriteError(Object.assign(new Error('no space'), { code: 'ENOSPC' }), file)).toMatchObject({ code: 'FILE_WRITE_FAILED', detail: `ENOSPC: ${file}` });
    const constraint = { errcode: 19, errstr: 'constraint failed' };
    expect(asWriteError(constraint, file)).toBe(constraint);
    const odd = Object.assign(new Error('x'), { code: 'ERR_SOMETHING' });
    expect(asWriteError(odd, file)).toBe(odd);
    const coded = new AppError('LEDGER_DAMAGED');
    expect(asWriteError(coded, file)).toBe(coded);
  });

  it('a lock another process kept past the busy timeout (BUSY, LOCKED, extended codes too) is LEDGER_BUSY naming the file', () => {
    const file = '/data/ledger.sqlite';
    for (const errcode of [5, 6, 5 | (2 << 8), 6 | (1 << 8)]) {
      const cause = { errcode, errstr: 'database is locked' };
      expect(asWriteError(cause, file)).toEqual(new AppError('LEDGER_BUSY', { detail: file }));
      expect(asWriteError(cause, file)).toMatchObject({ cause });
    }
    expect(asWriteError({ errcode: 7 }, file)).toEqual({ errcode: 7 });
  });
});

describe('openDatabase', () => {
  it('creates its folder 0700 and a WAL database; opening it again finds nothing damaged', async () => {
    const file = path.join(dir, 'data', 'ledger.sqlite');
    const first = await openDatabase(file);
    expect(first.damaged).toBeUndefined();
    expect((first.db.prepare('PRAGMA journal_mode').get() as { journal_mode: string }).journal_mode).toBe('wal');
    // FULL (2): a commit that returned survives a power cut.
    expect(first.db.prepare('PRAGMA synchronous').get()).toEqual({ synchronous: 2 });
    // One statement holds the thread at most 10 ms for another process's lock; longer waits let the loop go
    // (tests/integration/ledger-claims.test.ts, "a write lock another process keeps").
    expect(first.db.prepare('PRAGMA busy_timeout').get()).toEqual({ timeout: STATEMENT_WAIT_MS });
    expect(STATEMENT_WAIT_MS).toBe(10);
    first.db.prepare("INSERT INTO meta (key, value) VALUES ('k', 'v')").run();
    first.db.close();
    expect((await stat(path.dirname(file))).mode & 0o777).toBe(0o700);
    const again = await openDatabase(file);
    expect(again.damaged).toBeUndefined();
    expect(again.db.prepare("SELECT value FROM meta WHERE key = 'k'").get()).toEqual({ value: 'v' });
    again.db.close();
  });

  it.skipIf(process.platform === 'win32')('the database and its -wal and -shm are 0600, an older 0644 one too: they hold employee data', async () => {
    const file = path.join(dir, 'ledger.sqlite');
    const modes = async () => Promise.all(['', '-wal', '-shm'].map(async (suffix) => (await stat(`${file}${suffix}`)).mode & 0o777));
    const first = await openDatabase(file);
    first.db.prepare("INSERT INTO meta (key, value) VALUES ('k', 'v')").run();
    expect(await modes()).toEqual([0o600, 0o600, 0o600]);
    first.db.close();
    // A database made before (by an older version, or copied in) is narrowed when next opened.
    await rm(dir, { recursive: true, force: true });
    await mkdir(dir);
    await writeFile(file, '', { mode: 0o644 });
    const older = await openDatabase(file);
    older.db.prepare("INSERT INTO meta (key, value) VALUES ('k', 'v')").run();
    expect(await modes()).toEqual([0o600, 0o600, 0o600]);
    older.db.close();
  });

  it('a file that is not a database is set aside, and a fresh one opened', async () => {
    const file = path.join(dir, 'ledger.sqlite');
    await writeFile(file, 'this is not SQLite '.repeat(100));
    await writeFile(`${file}-wal`, 'w');
    await writeFile(`${file}-shm`, 's');
    const { db, damaged } = await openDatabase(file, { now: new Date('2026-11-30T12:00:00.000Z') });
    const aside = path.join(dir, 'ledger.damaged-2026-11-30T12-00-00-000Z.sqlite');
    expect(damaged).toBe(aside);
    expect(await readFile(aside, 'utf8')).toContain('this is not SQLite');
    // (SQLite itself drops a -wal and -shm it cannot read; any it kept would be moved beside the file.)
    expect((await readdir(dir)).filter((n) => n.startsWith('ledger.damaged'))).toContain(path.basename(aside));
    expect(db.prepare("SELECT count(*) AS n FROM requests").get()).toEqual({ n: 0 });
    db.close();
  });

  it('a database that cannot be opened (a folder in its place) is the disk refusing, not damage: nothing is set aside', async () => {
    const file = path.join(dir, 'ledger.sqlite');
    await mkdir(file);
    await expect(openDatabase(file)).rejects.toMatchObject({ code: 'FILE_WRITE_FAILED', detail: `EISDIR: ${file}` });
    expect(await readdir(dir)).toEqual(['ledger.sqlite']);
  });

  it('a damaged file set aside leaves no handle open on it (Linux: counted in /proc/self/fd)', async () => {
    const file = path.join(dir, 'ledger.sqlite');
    await writeFile(file, 'this is not SQLite '.repeat(100));
    const open = () => readdirSync('/proc/self/fd').length;
    const before = open();
    const { db, damaged } = await openDatabase(file);
    expect(damaged).toBeDefined();
    db.close();
    expect(open()).toBe(before);
  });

  it('a folder that cannot be made is the disk refusing, not damage: FILE_WRITE_FAILED naming the folder', async () => {
    await writeFile(path.join(dir, 'file'), 'x');
    await expect(openDatabase(path.join(dir, 'file', 'ledger.sqlite'))).rejects.toMatchObject({ code: 'FILE_WRITE_FAILED', detail: `ENOTDIR: ${path.join(dir, 'file')}` });
  });

  it('opened while another process keeps the write lock: waits with the loop free, then LEDGER_BUSY; opens once released', async () => {
    const file = path.join(dir, 'ledger.sqlite');
    (await openDatabase(file)).db.close();
    const holder = await lockHolder(file);
    try {
      const started = Date.now();
      const { result, stallMs } = await longestStall(() => openDatabase(file, { busyTimeoutMs: 400 }));
      expect(result).toEqual({ status: 'rejected', reason: new AppError('LEDGER_BUSY', { detail: file }) });
      expect(Date.now() - started).toBeGreaterThanOrEqual(380);
      expect(stallMs).toBeLessThan(200);
      holder.release();
      const { db } = await openDatabase(file, { busyTimeoutMs: 5_000 });
      db.close();
    } finally {
      await holder.stop();
    }
  }, 30_000);
});

describe('settings.json', () => {
  it('absent: the defaults; update merges with what is there and writes 0600', async () => {
    const store = SettingsStore.inDataDir(dir);
    expect(await store.get()).toEqual({});
    expect(await store.update({ language: 'en' })).toEqual({ language: 'en' });
    expect(await store.update({ outputDir: '/out' })).toEqual({ language: 'en', outputDir: '/out' });
    expect(JSON.parse(await readFile(path.join(dir, 'settings.json'), 'utf8'))).toEqual({ language: 'en', outputDir: '/out' });
    expect((await stat(path.join(dir, 'settings.json'))).mode & 0o777).toBe(0o600);
    expect(store.notices).toEqual([]);
  });

  it('every value the settings view can save is read back as saved: each language, each proxy mode', async () => {
    const everyChoice = [
      { language: 'id', proxyMode: 'system' },
      { language: 'en', proxyMode: 'manual', proxyUrl: 'http://proxy.kantor.go.id:3128' },
      { language: 'id', proxyMode: 'none', trustSystemCa: false },
    ] as const;
    for (const choice of everyChoice) {
      await writeFile(path.join(dir, 'settings.json'), JSON.stringify({ outputDir: '/out', ...choice }));
      const store = SettingsStore.inDataDir(dir);
      expect(await store.get()).toEqual({ outputDir: '/out', ...choice });
      expect(store.notices).toEqual([]);
    }
  });

  it('valid JSON of the wrong shape is damage too: set aside, SETTINGS_DAMAGED, defaults', async () => {
    await writeFile(path.join(dir, 'settings.json'), JSON.stringify({ language: 'fr' }));
    const store = SettingsStore.inDataDir(dir);
    expect(await store.get()).toEqual({});
    expect(store.notices).toHaveLength(1);
    expect(store.notices[0]).toMatchObject({ code: 'SETTINGS_DAMAGED', detail: expect.stringMatching(/settings\.damaged-.*\.json$/) });
    expect(await readdir(dir)).toEqual([path.basename(store.notices[0]!.detail!)]);
  });
});
