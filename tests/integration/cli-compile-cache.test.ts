import { spawnSync } from 'node:child_process';
import { existsSync, mkdirSync, readdirSync, readFileSync, writeFileSync } from 'node:fs';
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
});
