import { spawn, spawnSync } from 'node:child_process';
import { chmodSync, chownSync, existsSync, lstatSync, mkdirSync, readdirSync, readFileSync, rmSync, statSync, symlinkSync, utimesSync, writeFileSync } from 'node:fs';
import { createHash } from 'node:crypto';
import path from 'node:path';
import { crc32 } from 'node:zlib';
import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import { run, tempDir } from '../support/tools';

const BIN = path.resolve('bin/lock-desktop.cjs');
// What `lock-desktop --help` loads after route.cjs.
const CLI_ENTRY = path.resolve('dist/cli/cli.cjs');

/** Every file under `dir`, relative. */
const filesUnder = (dir: string): string[] =>
  !existsSync(dir) ? [] : readdirSync(dir, { recursive: true, withFileTypes: true }).filter((e) => e.isFile()).map((e) => path.relative(dir, path.join(e.parentPath, e.name)));

describe("the CLI's compile cache lives in the user's own cache folder", () => {
  let dir: string;
  let cleanup: () => Promise<void>;
  let env: NodeJS.ProcessEnv;
  beforeEach(async () => {
    ({ dir, cleanup } = await tempDir('lock-compile-cache-'));
    mkdirSync(path.join(dir, 'home'));
    mkdirSync(path.join(dir, 'tmp'));
    const { NODE_COMPILE_CACHE: _set, NODE_DISABLE_COMPILE_CACHE: _off, XDG_CACHE_HOME: _xdg, ...rest } = process.env;
    env = { ...rest, HOME: path.join(dir, 'home'), TMPDIR: path.join(dir, 'tmp') };
  });
  afterEach(() => cleanup());

  it('written under ~/.cache/lock-desktop (or $XDG_CACHE_HOME), nothing in the shared temporary folder', async () => {
    expect((await run(process.execPath, [BIN, '--help'], { env })).code).toBe(0);
    expect(filesUnder(path.join(dir, 'home', '.cache', 'lock-desktop', 'compile-cache')).length).toBeGreaterThan(0);
    expect(filesUnder(path.join(dir, 'tmp'))).toEqual([]);

    const xdg = path.join(dir, 'xdg');
    expect((await run(process.execPath, [BIN, '--help'], { env: { ...env, XDG_CACHE_HOME: xdg } })).code).toBe(0);
    expect(filesUnder(path.join(xdg, 'lock-desktop', 'compile-cache')).length).toBeGreaterThan(0);
    // A relative XDG_CACHE_HOME is not a place (the XDG rule): the home cache is used, not one under the working folder.
    const home2 = path.join(dir, 'home2');
    mkdirSync(home2);
    expect((await run(process.execPath, [BIN, '--help'], { env: { ...env, HOME: home2, XDG_CACHE_HOME: 'relative' }, cwd: dir })).code).toBe(0);
    expect(filesUnder(path.join(dir, 'relative'))).toEqual([]);
    expect(filesUnder(path.join(home2, '.cache', 'lock-desktop', 'compile-cache')).length).toBeGreaterThan(0);
  });

  it.each([
    ['empty', ''],
    ['relative', 'somewhere'],
  ])('a home folder that is %s: no compile cache at all, not one under the working folder or in the temporary one', async (_kind, home) => {
    const work = path.join(dir, 'work');
    mkdirSync(work);
    const result = await run(process.execPath, [BIN, '--help'], { env: { ...env, HOME: home }, cwd: work });
    expect(result.code).toBe(0);
    expect(result.stdout).toMatch(/^Usage: lock-desktop/);
    expect(filesUnder(work)).toEqual([]);
    expect(filesUnder(path.join(dir, 'tmp'))).toEqual([]);
  });

  // Node's recursive mkdir (and enableCompileCache's) spins for ever where mkdir answers ENOENT under a folder that exists.
  it.skipIf(process.platform !== 'linux')('HOME=/proc (Linux): --help answers at once, with no cache', () => {
    const result = spawnSync(process.execPath, [BIN, '--help'], { env: { ...env, HOME: '/proc' }, encoding: 'utf8', timeout: 10_000, killSignal: 'SIGKILL' });
    expect(result.signal).toBeNull();
    expect(result.status).toBe(0);
    expect(result.stdout).toMatch(/^Usage: lock-desktop/);
    expect(filesUnder(path.join(dir, 'tmp'))).toEqual([]);
  });

  it('an entry another local user planted in <tmp>/node-compile-cache is never run', async () => {
    // The attack, as Node would accept it: an entry for our entry file whose header carries the real
    // source's length and CRC, holding code compiled from other source of the same length.
    const source = readFileSync(CLI_ENTRY, 'utf8');
    const evilDir = path.join(dir, 'evil');
    mkdirSync(evilDir);
    const evilFile = path.join(evilDir, 'cli.cjs');
    const payload = 'process.stdout.write("PLANTED");process.exit(0);';
    writeFileSync(evilFile, payload + ' '.repeat(source.length - payload.length));
    const planted = path.join(dir, 'tmp', 'node-compile-cache');
    const first = await run(process.execPath, [evilFile], { env: { ...env, NODE_COMPILE_CACHE: planted } });
    expect(first.stdout, JSON.stringify(first)).toBe('PLANTED');
    // Renamed to the key Node gives our entry file (a hash of its path), as Node's own trace names it.
    const traced = await run(process.execPath, ['-e', `require(${JSON.stringify(CLI_ENTRY)})`], {
      env: { ...env, NODE_COMPILE_CACHE: path.join(dir, 'scratch'), NODE_DEBUG_NATIVE: 'COMPILE_CACHE' },
    });
    const ourKey = path.basename(new RegExp(`reading cache from (\\S+) for CommonJS ${CLI_ENTRY}`).exec(traced.stderr)![1]!);
    const [versionDir] = readdirSync(planted);
    const evilEntry = path.join(planted, versionDir!, readdirSync(path.join(planted, versionDir!))[0]!);
    const bytes = readFileSync(evilEntry);
    bytes.writeUInt32LE(crc32(source), 12);
    writeFileSync(path.join(planted, versionDir!, ourKey), bytes);
    // The planted entry works when Node is pointed at it — the threat is real —
    const pointed = await run(process.execPath, ['-e', `require(${JSON.stringify(CLI_ENTRY)})`], { env: { ...env, NODE_COMPILE_CACHE: planted } });
    expect(pointed.stdout).toBe('PLANTED');
    // — and the CLI never looks there.
    const help = await run(process.execPath, [BIN, '--help'], { env });
    expect(help.code).toBe(0);
    expect(help.stdout).not.toContain('PLANTED');
    expect(help.stdout).toContain('lock-desktop');
  });

  describe('the code kept from an earlier run', () => {
    const cacheFolder = () => path.join(dir, 'home', '.cache', 'lock-desktop', 'compile-cache');
    /** The one entry kept for dist/cli/cli.cjs, named by the build's digest of it and this Node. */
    const entryOfCli = () => {
      const digest = (JSON.parse(readFileSync('dist/cli/digests.json', 'utf8')) as Record<string, string>).cli!;
      expect(digest).toBe(createHash('sha256').update(readFileSync(CLI_ENTRY)).digest('hex'));
      return path.join(cacheFolder(), `cli-${digest.slice(0, 32)}-${Math.trunc(statSync(CLI_ENTRY).mtimeMs)}-${process.version}-${process.arch}.v8`);
    };
    const help = async () => {
      const result = await run(process.execPath, [BIN, '--help'], { env });
      expect(result.code, result.stderr).toBe(0);
      expect(result.stdout).toMatch(/^Usage: lock-desktop/);
    };

    it('is written after a run that succeeded, owner-only, with the SHA-256 of what V8 gets; a failed run writes none', async () => {
      const failed = await run(process.execPath, [BIN, '--bogus'], { env });
      expect(failed.code).toBe(2);
      expect(filesUnder(cacheFolder())).toEqual([]);
      await help();
      const bytes = readFileSync(entryOfCli());
      expect(bytes.length).toBeGreaterThan(1000);
      expect(bytes.subarray(0, 32)).toEqual(createHash('sha256').update(bytes.subarray(32)).digest());
      expect(statSync(entryOfCli()).mode & 0o777).toBe(0o600);
      expect(filesUnder(cacheFolder())).toEqual([path.basename(entryOfCli())]);
      // Used, not made again: its time is the time of its last use (older entries go first).
      utimesSync(entryOfCli(), 1000, 1000);
      await help();
      expect(readFileSync(entryOfCli())).toEqual(bytes);
      expect(statSync(entryOfCli()).mtimeMs).toBeGreaterThan(Date.now() - 60_000);
    });

    it.each([
      ['a byte changed', (b: Buffer) => ((b[b.length >> 1]! ^= 0x5a), b)],
      ['cut short', (b: Buffer) => b.subarray(0, b.length >> 1)],
      ['empty', () => Buffer.alloc(0)],
      // V8 aborts the process on damaged code data and checks no checksum of its own: only the SHA-256 stands between.
      ['V8 data damaged all through', (b: Buffer) => { for (let i = 2000; i < b.length; i += 997) b[i]! ^= 0x5a; return b; }],
    ])('an entry %s is never used: the command runs, and the entry is made again', async (_kind, damage) => {
      await help();
      const good = readFileSync(entryOfCli());
      writeFileSync(entryOfCli(), damage(Buffer.from(good)));
      await help();
      const again = readFileSync(entryOfCli());
      expect(again.subarray(0, 32)).toEqual(createHash('sha256').update(again.subarray(32)).digest());
    });

    it.each([
      ['others may write in it', (file: string) => chmodSync(file, 0o666)],
      ['it is a link to an entry elsewhere', (file: string) => {
        const elsewhere = path.join(dir, 'elsewhere.v8');
        writeFileSync(elsewhere, readFileSync(file));
        rmSync(file);
        symlinkSync(elsewhere, file);
      }],
      // Another user's file in our folder's place (someone who owns a folder above it can swap it): root can make one.
      ...(process.getuid?.() === 0 ? [['it belongs to another user', (file: string) => chownSync(file, 65534, 65534)] as const] : []),
    ] as const)('an entry is not used when %s: it is made again, the user\'s own', async (_kind, plant) => {
      await help();
      plant(entryOfCli());
      await help();
      const entry = lstatSync(entryOfCli());
      expect(entry.isFile()).toBe(true);
      expect([entry.uid, entry.mode & 0o777]).toEqual([process.getuid!(), 0o600]);
    });

    it('four processes starting at once with no entry: each runs, one whole entry is left, no temporary', async () => {
      const runs = await Promise.all([1, 2, 3, 4].map(() => run(process.execPath, [BIN, '--help'], { env })));
      for (const result of runs) expect([result.code, result.stdout.startsWith('Usage: lock-desktop')]).toEqual([0, true]);
      expect(filesUnder(cacheFolder())).toEqual([path.basename(entryOfCli())]);
      const bytes = readFileSync(entryOfCli());
      expect(bytes.subarray(0, 32)).toEqual(createHash('sha256').update(bytes.subarray(32)).digest());
    });

    it('kill -9 at any moment of a run, twenty times, then a run: one whole entry, no temporary', async () => {
      for (let i = 0; i < 20; i++) {
        rmSync(cacheFolder(), { recursive: true, force: true });
        const child = spawn(process.execPath, [BIN, '--help'], { env, stdio: 'ignore' });
        const exited = new Promise((resolve) => child.once('exit', resolve));
        await new Promise((resolve) => setTimeout(resolve, 15 + ((i * 7) % 50)));
        child.kill('SIGKILL');
        await exited;
        await help();
        expect(filesUnder(cacheFolder()), `kill ${i}`).toEqual([path.basename(entryOfCli())]);
      }
      const bytes = readFileSync(entryOfCli());
      expect(bytes.subarray(0, 32)).toEqual(createHash('sha256').update(bytes.subarray(32)).digest());
    });

    it('a cache folder on a full disk (a 16 KB tmpfs): the command runs, nothing half-written is left', async () => {
      mkdirSync(cacheFolder(), { recursive: true, mode: 0o700 });
      const mounted = spawnSync('mount', ['-t', 'tmpfs', '-o', 'size=16k,mode=0700', 'tmpfs', cacheFolder()], { encoding: 'utf8' });
      if (mounted.status !== 0) {
        console.warn(`\n*** SKIPPED: full-disk cache case — mount -t tmpfs failed here (${(mounted.stderr || mounted.error?.message || '').trim()}). The damaged-entry cases above still ran. ***\n`);
        return;
      }
      try {
        await help();
        await help();
        expect(filesUnder(cacheFolder())).toEqual([]);
      } finally {
        spawnSync('umount', ['-l', cacheFolder()]);
      }
    });

    it('nothing is kept or read in a folder others may write in', async () => {
      mkdirSync(cacheFolder(), { recursive: true });
      chmodSync(cacheFolder(), 0o777);
      await help();
      expect(filesUnder(cacheFolder())).toEqual([]);
    });

    it('two other builds\' entries stay, older ones go, with temporaries of killed runs and Node\'s old compile cache', async () => {
      mkdirSync(cacheFolder(), { recursive: true });
      const other = (n: number) => `cli-${String(n).repeat(32)}-1764547200000-${process.version}-${process.arch}.v8`;
      for (const n of [1, 2, 3, 4]) {
        writeFileSync(path.join(cacheFolder(), other(n)), 'another build');
        utimesSync(path.join(cacheFolder(), other(n)), n * 1000, n * 1000);
      }
      writeFileSync(path.join(cacheFolder(), `.${path.basename(entryOfCli())}.999999.tmp`), 'half');
      // Another command's entries are its own business.
      writeFileSync(path.join(cacheFolder(), `show-${'5'.repeat(32)}-1764547200000-${process.version}-${process.arch}.v8`), 'show');
      // A compile cache an earlier LOCK Desktop had Node keep here, in a folder per Node version.
      mkdirSync(path.join(cacheFolder(), 'v24.0.0-x64-0a1b2c3d-0'));
      writeFileSync(path.join(cacheFolder(), 'v24.0.0-x64-0a1b2c3d-0', '00c0ffee'), 'old');
      await help();
      expect(filesUnder(cacheFolder()).sort()).toEqual([path.basename(entryOfCli()), other(3), other(4), `show-${'5'.repeat(32)}-1764547200000-${process.version}-${process.arch}.v8`].sort());
    });

    /** bin/ and the files of `lock-desktop --help` in a folder of their own. */
    const copyOfCli = (withDigests: boolean) => {
      const copy = path.join(dir, 'copy');
      for (const sub of ['bin', 'dist/cli']) mkdirSync(path.join(copy, sub), { recursive: true });
      for (const file of ['lock-desktop.cjs', 'cli-start.cjs']) writeFileSync(path.join(copy, 'bin', file), readFileSync(path.join('bin', file)));
      for (const file of ['route.cjs', 'cli.cjs', ...(withDigests ? ['digests.json'] : [])]) writeFileSync(path.join(copy, 'dist/cli', file), readFileSync(path.join('dist/cli', file)));
      return { bin: path.join(copy, 'bin', 'lock-desktop.cjs'), cli: path.join(copy, 'dist/cli/cli.cjs') };
    };

    it('without the build\'s digests the command runs and nothing is kept', async () => {
      const result = await run(process.execPath, [copyOfCli(false).bin, '--help'], { env });
      expect(result.code).toBe(0);
      expect(result.stdout).toMatch(/^Usage: lock-desktop/);
      expect(filesUnder(cacheFolder())).toEqual([]);
    });

    it('a command file changed after the build, to the same length, is not given the code kept for it', async () => {
      const { bin, cli } = copyOfCli(true);
      expect((await run(process.execPath, [bin, '--help'], { env })).stdout).toMatch(/^Usage: lock-desktop/);
      expect(filesUnder(cacheFolder())).toHaveLength(1);
      // V8 would take the kept code for it (it compares lengths only), string constants and all.
      writeFileSync(cli, readFileSync(cli, 'latin1').replace('Usage: lock-desktop', 'Usagf: lock-desktop'), 'latin1');
      utimesSync(cli, new Date(Date.now() + 60_000), new Date(Date.now() + 60_000));
      const edited = await run(process.execPath, [bin, '--help'], { env });
      expect(edited.code).toBe(0);
      expect(edited.stdout).toMatch(/^Usagf: lock-desktop/);
    });
  });
});
