import { readFile } from 'node:fs/promises';
import path from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { parse } from 'yaml';
import { generateIcons } from '../../scripts/icons.mjs';
import { tempDir } from '../support/tools';

let dir: string;
let cleanup: () => Promise<void>;
let files: ReturnType<typeof generateIcons>;

beforeAll(async () => {
  ({ dir, cleanup } = await tempDir('lock-icons-'));
  files = generateIcons(dir);
}, 60_000);
afterAll(() => cleanup());

const pngSize = (png: Buffer) => {
  expect(png.subarray(1, 4).toString('latin1')).toBe('PNG');
  return { width: png.readUInt32BE(16), height: png.readUInt32BE(20) };
};

describe('app icon rendered from assets/icon.svg', () => {
  it('a 1024 px PNG and a 256 px PNG for the window and notifications', async () => {
    expect(pngSize(await readFile(files.png))).toEqual({ width: 1024, height: 1024 });
    expect(pngSize(await readFile(files.png256))).toEqual({ width: 256, height: 256 });
  });

  it('a .ico holding 16 to 256 px images', async () => {
    const ico = await readFile(files.ico);
    expect(ico.readUInt16LE(0)).toBe(0);
    expect(ico.readUInt16LE(2)).toBe(1); // icon, not cursor
    const count = ico.readUInt16LE(4);
    const sizes = Array.from({ length: count }, (_, i) => ico.readUInt8(6 + i * 16) || 256);
    expect(sizes).toEqual(expect.arrayContaining([16, 24, 32, 48, 64, 128, 256]));
  });

  it('a .icns with the retina sizes up to 1024 px', async () => {
    const icns = await readFile(files.icns);
    expect(icns.subarray(0, 4).toString('latin1')).toBe('icns');
    expect(icns.readUInt32BE(4)).toBe(icns.length);
    const types: string[] = [];
    for (let offset = 8; offset < icns.length; offset += icns.readUInt32BE(offset + 4)) types.push(icns.subarray(offset, offset + 4).toString('latin1'));
    expect(types).toEqual(expect.arrayContaining(['ic07', 'ic08', 'ic09', 'ic10']));
  });

  it('electron-builder.yml and the window use the files the build renders', async () => {
    const config = parse(await readFile('electron-builder.yml', 'utf8')) as Record<string, { icon?: string }> & { files: string[] };
    const rendered = path.join('dist', 'icons');
    expect(config['win']?.icon).toBe(path.posix.join(rendered, path.basename(files.ico)));
    expect(config['mac']?.icon).toBe(path.posix.join(rendered, path.basename(files.icns)));
    expect(config['linux']?.icon).toBe(path.posix.join(rendered, path.basename(files.png)));
    expect(config.files).toContain(path.posix.join(rendered, path.basename(files.png256)));
    const { appIconPath } = await import('../../src-main/electron/app-icon');
    expect(path.relative('dist', appIconPath('dist'))).toBe(path.join('icons', path.basename(files.png256)));
  });
});
