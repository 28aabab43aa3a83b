import { mkdir, readdir, readFile, writeFile } from 'node:fs/promises';
import path from 'node:path';
import { DatabaseSync } from 'node:sqlite';
import { afterEach, beforeEach, describe, expect, it, vi } from 'vitest';
import { syncDir, writeFileAtomic } from '../../src-main/services/atomic-file';
import { files } from '../../src-main/services/fs-async';
import { writeNewFiles } from '../../src-main/services/output-files';
import { RequestLedger, requireKeyStore, tokenKeyOf, type StoredEntry } from '../../src-main/services/request-ledger';
import { openDatabase } from '../../src-main/storage/sqlite-db';
import { beforeWrite, pausePoint, setWriteFaults, writeCount } from '../../src-main/storage/write-faults';
import { storedEntry } from '../support/stored-entry';
import { catchPause } from '../support/pause-point';
import { tempDir } from '../support/tools';

// The store's edges: folder flushes on odd file systems, the test seams, a damaged database page, a second migration.
let dir: string;
let cleanup: () => Promise<void>;
beforeEach(async () => ({ dir, cleanup } = await tempDir('lock-store-seams-')));
afterEach(async () => {
  vi.restoreAllMocks();
  vi.unstubAllEnvs();
  setWriteFaults(undefined);
  await cleanup();
});

describe('syncDir', () => {
  it('a file system that cannot flush a folder (procfs: EINVAL) is not an error', async () => {
    await expect(syncDir('/proc')).resolves.toBeUndefined();
  });

  it.each(['EISDIR', 'EINVAL', 'EPERM', 'EACCES'])('a folder the system will not open or flush (%s) is skipped, not an error', async (code) => {
    vi.spyOn(files, 'open').mockRejectedValue(Object.assign(new Error(code), { code }));
    await expect(syncDir(dir)).resolves.toBeUndefined();
  });

  it('any other refusal (EIO) is an error', async () => {
    vi.spyOn(files, 'open').mockRejectedValue(Object.assign(new Error('EIO'), { code: 'EIO' }));
    await expect(syncDir(dir)).rejects.toMatchObject({ code: 'EIO' });
  });

  it('on Windows folders are not opened at all: nothing to flush, no error even for a missing one', async () => {
    const platform = Object.getOwnPropertyDescriptor(process, 'platform')!;
    Object.defineProperty(process, 'platform', { value: 'win32' });
    try {
      await expect(syncDir(path.join(dir, 'missing'))).resolves.toBeUndefined();
    } finally {
      Object.defineProperty(process, 'platform', platform);
    }
  });
});

describe('writeFileAtomic', () => {
  it('a file where the folder must be: the cause says "not a folder" and names the folder', async () => {
    await writeFile(path.join(dir, 'blocker'), '');
    const error = await writeFileAtomic(path.join(dir, 'blocker', 'x.json'), '{}').catch((e: unknown) => e);
    expect(error).toMatchObject({ code: 'FILE_WRITE_FAILED', detail: `ENOTDIR: ${path.join(dir, 'blocker', 'x.json')}` });
    expect((error as { cause: Error }).cause.message).toBe(`not a folder: ${path.join(dir, 'blocker')}`);
  });

  it('a folder the system cannot make for another reason keeps that reason (ENAMETOOLONG)', async () => {
    const target = path.join(dir, 'n'.repeat(300), 'x.json');
    await expect(writeFileAtomic(target, '{}')).rejects.toMatchObject({ code: 'FILE_WRITE_FAILED', detail: `ENAMETOOLONG: ${target}` });
  });

  it("only the app's own writes (faultable) pass the write-fault seam", async () => {
    setWriteFaults('1:ENOSPC');
    await expect(writeFileAtomic(path.join(dir, 'mock.json'), '{}')).resolves.toBeUndefined();
    await expect(writeFileAtomic(path.join(dir, 'app.json'), '{}', { faultable: true })).rejects.toMatchObject({ code: 'FILE_WRITE_FAILED', detail: expect.stringMatching(/^ENOSPC: /) });
    expect(await readdir(dir)).toEqual(['mock.json']);
  });
});

describe('test seams', () => {
  it('writeCount counts every write that passed the seam since the plan was set', () => {
    setWriteFaults('');
    expect(writeCount()).toBe(0);
    beforeWrite('a');
    beforeWrite('b');
    expect(writeCount()).toBe(2);
    setWriteFaults('5:EIO');
    expect(writeCount()).toBe(0);
  });

  // The reliability suite sets the plan in LOCK_TEST_WRITE_FAULT ("<n>:<CODE>": the n-th write fails with CODE).
  const failsAt = (): number | undefined => {
    for (let n = 1; n <= 20; n++) {
      try {
        beforeWrite(`write ${n}`);
      } catch (error) {
        expect(error).toMatchObject({ code: expect.stringMatching(/^[A-Z]+$/), message: expect.stringMatching(new RegExp(`: injected write failure #${n} \\(write ${n}\\)$`)) });
        return n;
      }
    }
    return undefined;
  };
  it.each([
    ['3:EIO', 3],
    ['12:ENOSPC', 12],
    ['x3:EIO', undefined],
    ['3:EIOx', undefined],
    ['3:EIO ', undefined],
    ['3', undefined],
  ])('the plan "%s" fails write %s (a plan that does not parse fails none)', (spec, at) => {
    setWriteFaults(spec);
    expect(failsAt()).toBe(at);
  });

  it('the plan is read from LOCK_TEST_WRITE_FAULT when none was set in-process', () => {
    vi.stubEnv('LOCK_TEST_WRITE_FAULT', '2:EROFS');
    setWriteFaults(undefined);
    beforeWrite('first');
    expect(() => beforeWrite('second')).toThrow(expect.objectContaining({ code: 'EROFS' }));
  });

  it('pausePoint returns at once unless its step is the one named; then it says so on stderr and waits on a live timer', async () => {
    const pause = catchPause('download:first-linked');
    await expect(pausePoint('another-step')).resolves.toBeUndefined();
    const paused = pausePoint('download:first-linked').then(() => 'returned');
    const later = new Promise((resolve) => setTimeout(() => resolve('still waiting'), 50));
    expect(await Promise.race([paused, later])).toBe('still waiting');
    expect(pause.said).toEqual(['LOCK_TEST_PAUSED download:first-linked\n']);
    // The timer is what keeps the process alive for the suite to kill it there.
    expect(pause.timers).toHaveLength(1);
    pause.release();
  });
});

describe('request-ledger helpers', () => {
  const tokenEntry = {
    ...storedEntry('t'),
    keyStore: 'pkcs11',
    pkcs11: { library: '/usr/lib/softhsm/libsofthsm2.so', keyId: 'ab01', modulus: Buffer.from([1, 2, 3]).toString('base64'), label: 'LOCK t' },
  } as StoredEntry;

  it('an answer for the other key store is refused with where the key really is', () => {
    expect(() => requireKeyStore(storedEntry('f'), 'file')).not.toThrow();
    expect(() => requireKeyStore(storedEntry('f'), 'pkcs11')).toThrow(expect.objectContaining({ code: 'EXISTING_KEY_IN_FILE' }));
    expect(() => requireKeyStore(tokenEntry, 'pkcs11')).not.toThrow();
    expect(() => requireKeyStore(tokenEntry, 'file')).toThrow(expect.objectContaining({ code: 'EXISTING_KEY_ON_TOKEN' }));
  });

  it('tokenKeyOf: the recorded token key (library overridable); a file entry has none', () => {
    expect(tokenKeyOf(tokenEntry)).toEqual({ library: '/usr/lib/softhsm/libsofthsm2.so', id: 'ab01', modulus: Buffer.from([1, 2, 3]), label: 'LOCK t' });
    expect(tokenKeyOf(tokenEntry, '/other.so').library).toBe('/other.so');
    expect(() => tokenKeyOf(storedEntry('f'))).toThrow(expect.objectContaining({ code: 'EXISTING_KEY_IN_FILE' }));
  });
});

describe('writeNewFiles', () => {
  it('a failure without an errno code is named "error" in the detail', async () => {
    const files = [{ ext: '.pem', data: 'PEM' }];
    await expect(writeNewFiles(dir, 'MAMAN', files, async () => Promise.reject(new Error('no code')))).rejects.toMatchObject({
      code: 'FILE_WRITE_FAILED',
      detail: 'error writing MAMAN.pem; none of MAMAN.pem was kept',
    });
  });

  // The reliability suite fails the n-th write and kills a download between its links; both seams are stated here.
  const pair = [
    { ext: '.pem', data: 'PEM' },
    { ext: '.p12', data: 'P12' },
  ];
  it('every temp file is a write the fault plan counts: the second fails before the names are planned', async () => {
    setWriteFaults('2:EIO');
    const planned: string[][] = [];
    await expect(writeNewFiles(dir, 'MAMAN', pair, async (names) => void planned.push(names))).rejects.toMatchObject({ detail: 'EIO writing MAMAN.p12; none of MAMAN.pem, MAMAN.p12 was kept' });
    expect(planned).toEqual([]);
    expect(await readdir(dir)).toEqual([]);
  });

  it('every link is a write the fault plan counts: the third write is the first link, after the names were planned', async () => {
    setWriteFaults('3:EIO');
    const planned: string[][] = [];
    await expect(writeNewFiles(dir, 'MAMAN', pair, async (names) => void planned.push(names))).rejects.toMatchObject({ detail: 'EIO writing MAMAN.pem; none of MAMAN.pem, MAMAN.p12 was kept' });
    expect(planned).toEqual([[path.join(dir, 'MAMAN.pem'), path.join(dir, 'MAMAN.p12')]]);
    expect(await readdir(dir)).toEqual([]);
  });

  it('with LOCK_TEST_PAUSE_AT=download:first-linked a set of files stops after its first link; a single file never stops', async () => {
    const pause = catchPause('download:first-linked');
    // (A pause here would never return: raced against the pause's own message.)
    expect(await Promise.race([writeNewFiles(dir, 'SINGLE', [pair[0]!]), pause.heard.then(() => 'paused')])).toEqual([path.join(dir, 'SINGLE.pem')]);
    expect(pause.said).toEqual([]);
    void writeNewFiles(dir, 'MAMAN', pair);
    await vi.waitFor(() => expect(pause.said).toEqual(['LOCK_TEST_PAUSED download:first-linked\n']));
    expect((await readdir(dir)).filter((n) => !n.endsWith('.tmp')).sort()).toEqual(['MAMAN.pem', 'SINGLE.pem']);
    pause.release();
  });
});

describe('the ledger database', () => {
  it('a database whose pages fail quick_check is damage: set aside and a fresh one opened', async () => {
    const file = path.join(dir, 'ledger.sqlite');
    const db = new DatabaseSync(file);
    db.exec('PRAGMA journal_mode = DELETE; CREATE TABLE t (x TEXT); CREATE INDEX t_x ON t (x);');
    const insert = db.prepare('INSERT INTO t VALUES (?)');
    for (let i = 0; i < 2000; i += 1) insert.run(`row ${i} ${'x'.repeat(50)}`);
    db.close();
    const bytes = await readFile(file);
    // The header and the schema page stay valid; pages deep in the table and index do not.
    for (let page = 20; page < 24; page += 1) bytes.fill(0x41, page * 4096 + 16, page * 4096 + 4000);
    await writeFile(file, bytes);
    const opened = await openDatabase(file, { now: new Date('2026-11-30T10:00:00Z') });
    try {
      expect(opened.damaged).toMatch(/ledger\.damaged-.*\.sqlite$/);
      // Kept as it was (opening it in WAL mode changed only its header).
      const aside = await readFile(opened.damaged!);
      expect(aside.length).toBe(bytes.length);
      expect(aside.subarray(100).equals(bytes.subarray(100))).toBe(true);
      expect(opened.db.prepare('SELECT count(*) AS n FROM requests').get()).toEqual({ n: 0 });
    } finally {
      opened.db.close();
    }
  });

  it('a second ledger.json migration keeps the first backup and writes ledger.backup-<time>.json beside it', async () => {
    // A data folder with ".json" in its own name: only the file's extension is renamed.
    const data = path.join(dir, 'profile.json');
    await mkdir(data, { recursive: true });
    await writeFile(path.join(data, 'ledger.backup.json'), 'the first backup');
    await writeFile(path.join(data, 'ledger.json'), JSON.stringify({ version: 1, entries: [storedEntry('legacy')] }));
    const ledger = RequestLedger.inDataDir(data);
    try {
      expect((await ledger.list()).map((e) => e.id)).toEqual(['legacy']);
    } finally {
      ledger.close();
    }
    const names = await readdir(data);
    expect(names).not.toContain('ledger.json');
    expect(await readFile(path.join(data, 'ledger.backup.json'), 'utf8')).toBe('the first backup');
    const second = names.filter((n) => /^ledger\.backup-\d+\.json$/.test(n));
    expect(second).toHaveLength(1);
    expect(JSON.parse(await readFile(path.join(data, second[0]!), 'utf8')).entries[0].id).toBe('legacy');
  });

});
