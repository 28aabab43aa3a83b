import { mkdir, writeFile } from 'node:fs/promises';
import path from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { NO_ELECTRON_MESSAGE, electronBinary } from '../../scripts/start.mjs';
import { run, tempDir } from '../support/tools';

let dir: string;
let cleanup: () => Promise<void>;
beforeAll(async () => ({ dir, cleanup } = await tempDir('lock-start-')));
afterAll(() => cleanup());

describe('npm start without an Electron binary', () => {
  it('says so in one line, in Indonesian and English, points to start:web, and prints no stack trace', async () => {
    const empty = path.join(dir, 'empty');
    await mkdir(empty);
    const result = await run(process.execPath, ['scripts/start.mjs'], {
      env: { ...process.env, ELECTRON_OVERRIDE_DIST_PATH: empty, LOCK_START_NO_DOWNLOAD: '1' },
    });
    expect(result.code).toBe(1);
    expect(result.stderr.trim()).toBe(NO_ELECTRON_MESSAGE);
    expect(result.stderr.trim().split('\n')).toHaveLength(1);
    expect(NO_ELECTRON_MESSAGE).toContain('npm run start:web');
    expect(NO_ELECTRON_MESSAGE).toMatch(/tidak dapat diunduh.* \/ .*cannot be downloaded/);
    expect(result.stderr).not.toMatch(/\n\s+at /);
  });

  it('finds the binary the way electron does: path.txt under dist/, or ELECTRON_OVERRIDE_DIST_PATH', async () => {
    const electronDir = path.join(dir, 'electron');
    await mkdir(path.join(electronDir, 'dist'), { recursive: true });
    expect(electronBinary(electronDir, {})).toBeUndefined();
    await writeFile(path.join(electronDir, 'path.txt'), 'electron');
    expect(electronBinary(electronDir, {})).toBeUndefined();
    await writeFile(path.join(electronDir, 'dist', 'electron'), '');
    expect(electronBinary(electronDir, {})).toBe(path.join(electronDir, 'dist', 'electron'));
    expect(electronBinary(electronDir, { ELECTRON_OVERRIDE_DIST_PATH: path.join(dir, 'nowhere') })).toBeUndefined();
  });
});
