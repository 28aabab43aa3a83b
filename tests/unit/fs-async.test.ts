import { existsSync, mkdtempSync, readFileSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import path from 'node:path';
import { afterAll, describe, expect, it } from 'vitest';
import { blockOnFiles, files } from '../../src-main/services/fs-async';

const dir = mkdtempSync(path.join(tmpdir(), 'lock-fs-async-'));
afterAll(() => rmSync(dir, { recursive: true, force: true }));

describe('fs-async: the same calls on the thread pool, or blocking for a CLI command', () => {
  // One file's walk through every call, and what each answers.
  async function walk(name: string): Promise<unknown[]> {
    const file = path.join(dir, name);
    const fd = await files.open(file, 'wx', 0o600);
    await files.writeFile(fd, 'Kunci');
    await files.fsync(fd);
    await files.close(fd);
    const read = await files.open(file, 'r');
    const buffer = Buffer.alloc(16);
    const { bytesRead } = await files.read(read, buffer, 0, 16, null);
    const size = (await files.fstat(read)).size;
    await files.close(read);
    await files.link(file, `${file}.link`);
    await files.rename(`${file}.link`, `${file}.moved`);
    await files.mkdir(`${file}.d`, { mode: 0o700 });
    const listed = (await files.readdir(dir)).filter((n) => n.startsWith(name)).sort();
    const stat = [(await files.stat(`${file}.d`)).isDirectory(), (await files.lstat(file)).isFile()];
    const contents = (await files.readFile(`${file}.moved`)).toString();
    await files.unlink(`${file}.moved`);
    await files.rm(`${file}.d`, { recursive: true, force: true });
    const gone = [existsSync(`${file}.moved`), existsSync(`${file}.d`)];
    await files.writeFile(`${file}.path`, 'by path');
    const error = await files.open(path.join(dir, 'missing', 'x'), 'r').catch((e: NodeJS.ErrnoException) => e.code);
    // A closed descriptor is no longer one.
    const closed = await files.fstat(read).then(() => 'open', (e: NodeJS.ErrnoException) => e.code);
    return [bytesRead, buffer.subarray(0, bytesRead).toString(), size, listed, stat, contents, gone, readFileSync(`${file}.path`, 'utf8'), error, closed];
  }

  it('answer alike, errors as rejections with their codes', async () => {
    const pooled = await walk('a');
    blockOnFiles();
    const blocked = await walk('b');
    expect(blocked).toEqual(pooled.map((v) => (Array.isArray(v) && typeof v[0] === 'string' ? (v as string[]).map((n) => n.replace(/^a/, 'b')) : v)));
    expect(pooled).toEqual([5, 'Kunci', 5, ['a', 'a.d', 'a.moved'], [true, true], 'Kunci', [false, false], 'by path', 'ENOENT', 'EBADF']);
  });

  it('blocking: a call has happened when it returns, before its promise is awaited', async () => {
    blockOnFiles();
    const done = files.writeFile(path.join(dir, 'now'), 'x');
    expect(existsSync(path.join(dir, 'now'))).toBe(true);
    await done;
  });
});
