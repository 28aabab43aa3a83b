import { spawn } from 'node:child_process';
import { readdirSync, readFileSync } from 'node:fs';
import { chmod, mkdir, mkdtemp, readdir, readFile, rm, stat, utimes, writeFile } from 'node:fs/promises';
import { homedir, tmpdir } from 'node:os';
import path from 'node:path';
import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import { AppError } from '../../src/contract/errors';
import { cleanStaleTemps, makeFolder, syncDir, tempPathFor, writeFileAtomic } from '../../src-main/services/atomic-file';
import { certificateFileBase, defaultOutputDir, readUserFile, writeNewFile, writeNewFiles } from '../../src-main/services/output-files';
import { moveAside } from '../../src-main/storage/damaged-file';
import { readSidecars, sidecarPath, writeSidecar } from '../../src-main/storage/entry-sidecar';
import { storedEntry } from '../support/stored-entry';

/**
 * The local store's file writes, in-process on a real file system: every
 * promise of atomic-file.ts and output-files.ts stated directly (the flows and
 * the reliability suite reach them too, but through the built CLI).
 */
let dir: string;
beforeEach(async () => {
  dir = await mkdtemp(path.join(tmpdir(), 'lock-store-files-'));
});
afterEach(async () => {
  await chmod(dir, 0o700).catch(() => undefined);
  await rm(dir, { recursive: true, force: true });
});

const mode = async (file: string) => (await stat(file)).mode & 0o777;

describe('writeFileAtomic', () => {
  it('writes the whole content with the mode asked for, creates a missing folder 0700, and leaves no temp file', async () => {
    const target = path.join(dir, 'new', 'key.pem');
    await writeFileAtomic(target, 'secret', { mode: 0o600 });
    expect(await readFile(target, 'utf8')).toBe('secret');
    expect(await mode(target)).toBe(0o600);
    expect(await mode(path.dirname(target))).toBe(0o700);
    expect(await readdir(path.dirname(target))).toEqual(['key.pem']);
    await writeFileAtomic(path.join(dir, 'plain.txt'), 'x');
    expect(await mode(path.join(dir, 'plain.txt'))).toBe(0o644);
  });

  it('replaces a file unless told the target must not exist; then EEXIST, the old content kept, no temp left', async () => {
    const target = path.join(dir, 'a.txt');
    await writeFileAtomic(target, 'one');
    await writeFileAtomic(target, 'two');
    expect(await readFile(target, 'utf8')).toBe('two');
    const error = await writeFileAtomic(target, 'three', { exclusive: true }).catch((e: unknown) => e);
    expect(error).toMatchObject({ code: 'FILE_WRITE_FAILED', detail: `EEXIST: ${target}`, cause: { code: 'EEXIST' } });
    expect(await readFile(target, 'utf8')).toBe('two');
    expect(await readdir(dir)).toEqual(['a.txt']);
  });

  it('a file where the folder must be is ENOTDIR, not "the target exists"; a read-only folder is EACCES; nothing is left behind', async () => {
    await writeFile(path.join(dir, 'file'), 'x');
    await expect(writeFileAtomic(path.join(dir, 'file', 'sub', 'out.p12'), 'x')).rejects.toMatchObject({ code: 'FILE_WRITE_FAILED', detail: expect.stringMatching(/^ENOTDIR: /) });
    const locked = path.join(dir, 'locked');
    await mkdir(locked);
    await chmod(locked, 0o500);
    // root ignores folder permissions: then the write succeeds, which is the only other honest outcome.
    const result = await writeFileAtomic(path.join(locked, 'out.txt'), 'x').then(() => 'written', (e: { detail?: string }) => e.detail);
    expect(result === 'written' || result === `EACCES: ${path.join(locked, 'out.txt')}`, String(result)).toBe(true);
    await chmod(locked, 0o700);
    expect((await readdir(locked)).filter((n) => n.endsWith('.tmp'))).toEqual([]);
  });
});

describe('makeFolder', () => {
  it('makes every missing folder with the mode asked for; a folder made meanwhile by another is fine; a file in the way is ENOTDIR', async () => {
    const deep = path.join(dir, 'a', 'b', 'c');
    await Promise.all([makeFolder(deep, 0o700), makeFolder(deep, 0o700), makeFolder(path.join(dir, 'a', 'b'), 0o700)]);
    for (const at of [path.join(dir, 'a'), path.join(dir, 'a', 'b'), deep]) expect(await mode(at)).toBe(0o700);
    await makeFolder(deep);
    await writeFile(path.join(dir, 'plain'), 'x');
    await expect(makeFolder(path.join(dir, 'plain'))).rejects.toMatchObject({ code: 'ENOTDIR' });
    await expect(makeFolder(path.join(dir, 'plain', 'sub'))).rejects.toMatchObject({ code: 'ENOTDIR' });
  });

  // Node's recursive mkdir spins for ever there (mkdir answers ENOENT under /proc, which exists).
  it.skipIf(process.platform !== 'linux')('under /proc (Linux): the system’s ENOENT at once, not a loop', async () => {
    await expect(makeFolder('/proc/lock-desktop-test/a/b')).rejects.toMatchObject({ code: 'ENOENT' });
    await expect(writeFileAtomic('/proc/lock-desktop-test/out.p12', 'x')).rejects.toMatchObject({ code: 'FILE_WRITE_FAILED', detail: 'ENOENT: /proc/lock-desktop-test/out.p12' });
  }, 5_000);
});

describe('temp files', () => {
  it('are named ".<name>.<pid>-<12 hex>.tmp" beside the target', () => {
    const temp = tempPathFor(path.join(dir, 'ledger.json'));
    expect(path.dirname(temp)).toBe(dir);
    expect(path.basename(temp)).toMatch(new RegExp(`^\\.ledger\\.json\\.${process.pid}-[0-9a-f]{12}\\.tmp$`));
    expect(tempPathFor(path.join(dir, 'ledger.json'))).not.toBe(temp);
  });

  it.each([
    ['236 bytes', 'a'.repeat(232) + '.p12'],
    ['255 bytes, the most a name may have', 'b'.repeat(251) + '.p12'],
    ['254 bytes of two-byte characters', 'é'.repeat(125) + '.p12'],
    ['252 bytes of four-byte characters', '😀'.repeat(62) + '.p12'],
  ])('a target name of %s is written: its temp name is cut to fit, at whole characters', async (_what, name) => {
    const target = path.join(dir, name);
    const temp = path.basename(tempPathFor(target));
    expect(Buffer.byteLength(temp)).toBeLessThanOrEqual(255);
    // Cut no shorter than it must be: an ASCII name long enough to be cut fills the 255 bytes exactly.
    if (/^[\x20-\x7e]+$/.test(name)) expect(Buffer.byteLength(temp)).toBe(255);
    expect(temp).toMatch(new RegExp(`^\\.${name.slice(0, 8)}.*\\.${process.pid}-[0-9a-f]{12}\\.tmp$`));
    expect(temp).not.toContain('\ufffd');
    await writeFileAtomic(target, 'content', { exclusive: true });
    expect(await readFile(target, 'utf8')).toBe('content');
    expect(await readdir(dir)).toEqual([name]);
  });

  it('a name over 255 bytes is the system’s ENAMETOOLONG, with nothing left behind', async () => {
    const target = path.join(dir, 'c'.repeat(252) + '.p12');
    await expect(writeFileAtomic(target, 'x')).rejects.toMatchObject({ code: 'FILE_WRITE_FAILED', detail: expect.stringMatching(/^ENAMETOOLONG: /) });
    expect(await readdir(dir)).toEqual([]);
  });

  it('an old-style temp (no pid) is removed only when more than an hour old; other files and a missing folder are left alone', async () => {
    const old = '.settings.json.0123456789ab.tmp';
    await writeFile(path.join(dir, old), 'x');
    await writeFile(path.join(dir, 'settings.json'), '{}');
    await writeFile(path.join(dir, '.settings.json.tmp'), 'x');
    const mtime = new Date('2026-01-01T00:00:00Z');
    await utimes(path.join(dir, old), mtime, mtime);
    expect(await cleanStaleTemps(dir, mtime.getTime() + 3_600_000)).toEqual([]);
    expect(await cleanStaleTemps(dir, mtime.getTime() + 3_600_001)).toEqual([old]);
    expect((await readdir(dir)).sort()).toEqual(['.settings.json.tmp', 'settings.json']);
    // However old, a file that is not a temp file is never the cleaner's.
    expect(await cleanStaleTemps(dir, Date.now() + 7_200_000)).toEqual([]);
    expect((await readdir(dir)).sort()).toEqual(['.settings.json.tmp', 'settings.json']);
    expect(await cleanStaleTemps(path.join(dir, 'missing'))).toEqual([]);
  });

  it('only whole temp names are the cleaner’s: a user’s file that merely contains one is never removed, however old', async () => {
    // A writer that is surely gone: pid_max on Linux is at most 2^22.
    const dead = 4_194_305;
    const user = [`keep.settings.json.${dead}-0123456789ab.tmp`, `.settings.json.${dead}-0123456789ab.tmp.bak`, 'my.notes.0123456789ab.tmp', '.notes.0123456789ab.tmp.bak'];
    const stale = `.settings.json.${dead}-0123456789ab.tmp`;
    const mtime = new Date('2026-01-01T00:00:00Z');
    for (const name of [...user, stale]) {
      await writeFile(path.join(dir, name), 'x');
      await utimes(path.join(dir, name), mtime, mtime);
    }
    expect(await cleanStaleTemps(dir, mtime.getTime() + 7_200_000)).toEqual([stale]);
    expect((await readdir(dir)).sort()).toEqual([...user].sort());
  });

  it.runIf(process.platform === 'linux')('a temp file of a killed writer not yet reaped (a zombie) is stale: the process has ended', async () => {
    // sh starts a short sleep and becomes a long one that never waits for it: the short one stays a zombie.
    const parent = spawn('sh', ['-c', 'sleep 0.05 & echo $!; exec sleep 30'], { stdio: ['ignore', 'pipe', 'ignore'] });
    try {
      const pid = Number((await new Promise<string>((resolve) => parent.stdout.once('data', (chunk: Buffer) => resolve(String(chunk))))).trim());
      for (let i = 0; i < 100 && !/^\S+ \(sleep\) Z/.test(readFileSync(`/proc/${pid}/stat`, 'utf8')); i++) await new Promise((r) => setTimeout(r, 20));
      expect(readFileSync(`/proc/${pid}/stat`, 'utf8')).toMatch(/^\S+ \(sleep\) Z/);
      const zombie = `.download.p12.${pid}-0123456789ab.tmp`;
      await writeFile(path.join(dir, zombie), 'x');
      expect(await cleanStaleTemps(dir)).toEqual([zombie]);
    } finally {
      parent.kill('SIGKILL');
    }
  });

  it('a temp file of a process this user may not signal (EPERM) counts as a live writer’s', async () => {
    // pid 1 always runs; as root it can be signalled (alive), as anyone else kill(1, 0) says EPERM (alive too).
    const init = '.settings.json.1-0123456789ab.tmp';
    await writeFile(path.join(dir, init), 'x');
    expect(await cleanStaleTemps(dir)).toEqual([]);
  });
});

describe('file handles', () => {
  it('writes and folder flushes close every handle they open (Linux: counted in /proc/self/fd)', async () => {
    const open = () => readdirSync('/proc/self/fd').length;
    await writeFileAtomic(path.join(dir, 'warm-up'), 'x');
    const before = open();
    for (let i = 0; i < 20; i++) {
      await writeFileAtomic(path.join(dir, `f${i}`), 'x');
      await syncDir(dir);
    }
    expect(open()).toBe(before);
  });
});

describe('syncDir', () => {
  it('flushes an existing folder; a missing one is an error, not silence', async () => {
    await expect(syncDir(dir)).resolves.toBeUndefined();
    await expect(syncDir(path.join(dir, 'missing'))).rejects.toMatchObject({ code: 'ENOENT' });
  });
});

describe('output file names', () => {
  it('certificateFileBase: forbidden and control characters become _, spaces fold, trailing dots go, 64 characters, serial upper-cased to 16', () => {
    expect(certificateFileBase('MAMAN', '4b779a9120ea0123456789')).toBe('MAMAN_4B779A9120EA0123');
    expect(certificateFileBase('a<b>c:d"e/f\\g|h?i*j\u0001k', 'ff')).toBe('a_b_c_d_e_f_g_h_i_j_k_FF');
    expect(certificateFileBase('  Budi   Santoso . . ', '1')).toBe('Budi Santoso_1');
    expect(certificateFileBase('...', '1')).toBe('sertifikat_1');
    expect(certificateFileBase('x'.repeat(70), '1')).toBe(`${'x'.repeat(64)}_1`);
    expect(certificateFileBase('Cafe\u0301', '1')).toBe('Café_1');
    expect(defaultOutputDir('/home/u/Documents')).toBe(path.join('/home/u/Documents', 'LOCK Desktop'));
    expect(defaultOutputDir()).toBe(path.join(homedir(), 'Documents', 'LOCK Desktop'));
  });
});

describe('writeNewFile', () => {
  it('never replaces: the next free "name (n)", up to 100, then FILE_WRITE_FAILED', async () => {
    expect(await writeNewFile(dir, 'MAMAN', '.p12', 'a', 0o600)).toBe(path.join(dir, 'MAMAN.p12'));
    expect(await writeNewFile(dir, 'MAMAN', '.p12', 'b')).toBe(path.join(dir, 'MAMAN (2).p12'));
    expect(await readFile(path.join(dir, 'MAMAN.p12'), 'utf8')).toBe('a');
    expect(await mode(path.join(dir, 'MAMAN.p12'))).toBe(0o600);
    for (let n = 3; n <= 99; n++) await writeFile(path.join(dir, `MAMAN (${n}).p12`), '');
    expect(await writeNewFile(dir, 'MAMAN', '.p12', 'c')).toBe(path.join(dir, 'MAMAN (100).p12'));
    await expect(writeNewFile(dir, 'MAMAN', '.p12', 'c')).rejects.toMatchObject({ code: 'FILE_WRITE_FAILED', detail: 'MAMAN.p12: too many files with this name' });
    await writeFile(path.join(dir, 'blocker'), '');
    // Any failure but a taken name is the failure itself, at once: not a hundred tries and "too many files".
    await expect(writeNewFile(path.join(dir, 'blocker'), 'X', '.p12', 'c')).rejects.toMatchObject({ code: 'FILE_WRITE_FAILED', detail: expect.stringMatching(/^ENOTDIR: /) });
    await expect(writeNewFile(dir, 'X'.repeat(300), '.p12', 'c')).rejects.toMatchObject({ code: 'FILE_WRITE_FAILED', detail: expect.stringMatching(/^ENAMETOOLONG: /) });
    await expect(writeNewFiles(path.join(dir, 'blocker'), 'X', [{ ext: '.pem', data: 'c' }])).rejects.toMatchObject({
      code: 'FILE_WRITE_FAILED',
      detail: `ENOTDIR: ${path.join(dir, 'blocker')}`,
    });
  });
});

describe('writeNewFiles', () => {
  const files = [
    { ext: '.pem', data: 'PEM' },
    { ext: '.p12', data: 'P12', mode: 0o600 },
  ];

  it('a name taken after the check (another program, between the temp files and the links) is never overwritten: the set moves on whole', async () => {
    let calls = 0;
    const names = await writeNewFiles(dir, 'MAMAN', files, async (paths) => {
      // The first time only: someone else's file appears under the set's second name.
      if (calls++ === 0) await writeFile(paths[1]!, 'theirs');
    });
    expect(names).toEqual([path.join(dir, 'MAMAN (2).pem'), path.join(dir, 'MAMAN (2).p12')]);
    expect(await readFile(path.join(dir, 'MAMAN.p12'), 'utf8')).toBe('theirs');
    // The half of the first set that had been linked is gone again; no temp file is left.
    expect((await readdir(dir)).sort()).toEqual(['MAMAN (2).p12', 'MAMAN (2).pem', 'MAMAN.p12']);
  });

  it('takes "(100)" when every name before it is taken, then gives up with FILE_WRITE_FAILED', async () => {
    await writeFile(path.join(dir, 'MAMAN.pem'), '');
    for (let n = 2; n <= 99; n++) await writeFile(path.join(dir, `MAMAN (${n}).p12`), '');
    expect(await writeNewFiles(dir, 'MAMAN', files)).toEqual([path.join(dir, 'MAMAN (100).pem'), path.join(dir, 'MAMAN (100).p12')]);
    await expect(writeNewFiles(dir, 'MAMAN', files)).rejects.toMatchObject({ code: 'FILE_WRITE_FAILED', detail: 'MAMAN: too many files with this name' });
  });

  it('writes the set under its names, telling `planned` the names first; any taken name moves the whole set to "(2)"', async () => {
    const told: string[][] = [];
    const first = await writeNewFiles(dir, 'MAMAN', files, async (paths) => void told.push(paths));
    expect(first).toEqual([path.join(dir, 'MAMAN.pem'), path.join(dir, 'MAMAN.p12')]);
    expect(told).toEqual([first]);
    expect(await mode(first[1]!)).toBe(0o600);
    await rm(first[0]!);
    const second = await writeNewFiles(dir, 'MAMAN', files);
    expect(second).toEqual([path.join(dir, 'MAMAN (2).pem'), path.join(dir, 'MAMAN (2).p12')]);
    expect((await readdir(dir)).filter((n) => n.endsWith('.tmp'))).toEqual([]);
  });

  it('replaces only files named as replaceable (the same certificate’s earlier download), in place', async () => {
    const first = await writeNewFiles(dir, 'MAMAN', files);
    const again = await writeNewFiles(dir, 'MAMAN', [{ ext: '.pem', data: 'PEM2' }, { ext: '.p12', data: 'P122' }], async () => {}, first);
    expect(again).toEqual(first);
    expect(await readFile(first[0]!, 'utf8')).toBe('PEM2');
    // One of the two names is someone else's file: the set moves, nothing is replaced.
    const moved = await writeNewFiles(dir, 'MAMAN', files, async () => {}, [first[0]!]);
    expect(moved).toEqual([path.join(dir, 'MAMAN (2).pem'), path.join(dir, 'MAMAN (2).p12')]);
    expect(await readFile(first[1]!, 'utf8')).toBe('P122');
  });

  it('a failure keeps nothing of the set: a coded error passes as it is, any other names the write and says none was kept', async () => {
    const refused = new AppError('LEDGER_DAMAGED');
    await expect(writeNewFiles(dir, 'MAMAN', files, async () => Promise.reject(refused))).rejects.toBe(refused);
    expect(await readdir(dir)).toEqual([]);
    await expect(writeNewFiles(dir, 'MAMAN', files, async () => Promise.reject(Object.assign(new Error('ledger full'), { code: 'ENOSPC' })))).rejects.toMatchObject({
      code: 'FILE_WRITE_FAILED',
      detail: 'ENOSPC writing MAMAN.p12; none of MAMAN.pem, MAMAN.p12 was kept',
    });
    expect(await readdir(dir)).toEqual([]);
    await writeFile(path.join(dir, 'blocker'), '');
    await expect(writeNewFiles(path.join(dir, 'blocker'), 'MAMAN', files)).rejects.toMatchObject({ code: 'FILE_WRITE_FAILED', detail: expect.stringMatching(/^(EEXIST|ENOTDIR): /) });
    for (let n = 1; n <= 100; n++) await writeFile(path.join(dir, n === 1 ? 'X.pem' : `X (${n}).pem`), '');
    await expect(writeNewFiles(dir, 'X', files)).rejects.toMatchObject({ code: 'FILE_WRITE_FAILED', detail: 'X: too many files with this name' });
    expect((await readdir(dir)).filter((n) => n.endsWith('.p12') || n.endsWith('.tmp'))).toEqual([]);
  });
});

describe('readUserFile', () => {
  it('reads a file up to the limit; a folder, a file over the limit and a missing file are FILE_READ_FAILED naming why', async () => {
    const file = path.join(dir, 'cert.pem');
    await writeFile(file, 'x'.repeat(10));
    expect((await readUserFile(file, 10)).toString()).toBe('x'.repeat(10));
    await expect(readUserFile(file, 9)).rejects.toMatchObject({ code: 'FILE_READ_FAILED', detail: `${file}: larger than 9 bytes` });
    await expect(readUserFile(dir)).rejects.toMatchObject({ code: 'FILE_READ_FAILED', detail: `${dir}: not a file` });
    await expect(readUserFile(path.join(dir, 'missing'))).rejects.toMatchObject({ code: 'FILE_READ_FAILED', detail: expect.stringContaining('ENOENT') });
  });
});

describe('sidecars and damaged files', () => {
  const entry = (id: string) => storedEntry(id);

  it('a sidecar is keys/<id>.json, mode 0600; reading keys/ takes every valid one and skips the rest', async () => {
    await writeSidecar(dir, entry('a'));
    await writeSidecar(dir, entry('b'));
    expect(sidecarPath(dir, 'a')).toBe(path.join(dir, 'keys', 'a.json'));
    expect(await mode(sidecarPath(dir, 'a'))).toBe(0o600);
    const keys = path.join(dir, 'keys');
    await writeFile(path.join(keys, 'cut-short.json'), '{"id": "c", ');
    await writeFile(path.join(keys, 'not-an-entry.json'), '{"id": "d"}');
    await writeFile(path.join(keys, '.hidden.json'), JSON.stringify(entry('e')));
    await writeFile(path.join(keys, 'f.pem'), JSON.stringify(entry('f')));
    await mkdir(path.join(keys, 'discarded'));
    await writeFile(path.join(keys, 'discarded', 'g.json'), JSON.stringify(entry('g')));
    expect((await readSidecars(dir)).map((e) => e.id).sort()).toEqual(['a', 'b']);
    expect((await readSidecars(dir))[0]).toEqual(entry((await readSidecars(dir))[0]!.id));
    expect(await readSidecars(path.join(dir, 'no-such-data-dir'))).toEqual([]);
  });

  it('a damaged file is set aside as <name>.damaged-<time><ext> beside it; when it cannot be moved it stays where it is', async () => {
    const file = path.join(dir, 'ledger.sqlite');
    await writeFile(file, 'garbage');
    const aside = await moveAside(file, new Date('2026-11-30T17:45:01.234Z'));
    expect(aside).toBe(path.join(dir, 'ledger.damaged-2026-11-30T17-45-01-234Z.sqlite'));
    expect(await readFile(aside, 'utf8')).toBe('garbage');
    expect(await readdir(dir)).toEqual([path.basename(aside)]);
    const missing = path.join(dir, 'settings.json');
    expect(await moveAside(missing)).toBe(missing);
  });
});
