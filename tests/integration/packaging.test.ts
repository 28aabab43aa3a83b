import { createPackage, listPackage } from '@electron/asar';
import { flipFuses, FuseV1Options, FuseVersion } from '@electron/fuses';
import { existsSync, readdirSync, readFileSync } from 'node:fs';
import { cp, mkdir, writeFile } from 'node:fs/promises';
import path from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { parse } from 'yaml';
import { checkPackagedApp, checkRelease, type PackagedApp } from '../../scripts/check-package.mjs';
import { createFakeElectronDist } from '../support/fake-electron-dist';
import { run, tempDir } from '../support/tools';

/**
 * electron-builder's real `--dir` packaging, offline: the Electron download is
 * replaced by a stand-in distribution (electronDist), everything else — the
 * files globs, asar, asarUnpack, fuse flipping — is electron-builder's own.
 * Needs `npm run build` first (npm test builds before vitest).
 */
const config = parse(readFileSync('electron-builder.yml', 'utf8')) as { files: string[]; electronFuses: Record<string, boolean> };
let dir: string;
let cleanup: () => Promise<void>;
let release: string;
let app: PackagedApp;
let packaged: string[];

beforeAll(async () => {
  ({ dir, cleanup } = await tempDir('lock-package-'));
  expect(existsSync('dist/main/main.cjs'), 'dist/ is missing: run `npm run build` first').toBe(true);
  const electronVersion = (JSON.parse(readFileSync('node_modules/electron/package.json', 'utf8')) as { version: string }).version;
  const electronDist = await createFakeElectronDist(path.join(dir, 'electron-dist'), electronVersion);
  release = path.join(dir, 'release');
  const builder = await run(process.execPath, [
    'node_modules/electron-builder/cli.js',
    '--linux',
    'dir',
    '--publish',
    'never',
    `-c.electronDist=${electronDist}`,
    `-c.directories.output=${release}`,
  ]);
  expect(builder.code, builder.stderr + builder.stdout).toBe(0);
  const result = await checkRelease(release);
  expect(result.apps.map((a) => a.name)).toEqual(['linux-unpacked']);
  app = result.apps[0]!;
  expect(result.problems).toEqual([]);
  packaged = [...listPackage(path.join(app.resources, 'app.asar'), { isPack: false }).map((f) => f.replaceAll('\\', '/')), ...walk(path.join(app.resources, 'app.asar.unpacked'), '')];
}, 300_000);
afterAll(() => cleanup());

function walk(root: string, prefix: string): string[] {
  if (!existsSync(root)) return [];
  return readdirSync(root, { withFileTypes: true }).flatMap((e) => (e.isDirectory() ? walk(path.join(root, e.name), `${prefix}/${e.name}`) : [`${prefix}/${e.name}`]));
}

describe('packaging with electron-builder --dir (stand-in Electron distribution)', () => {
  it('packages every dist/ file the files globs include, and none they exclude', () => {
    const includes = config.files.filter((g) => !g.startsWith('!'));
    const excludes = config.files.filter((g) => g.startsWith('!')).map((g) => g.slice(1));
    const matches = (file: string, glob: string) =>
      glob.startsWith('**/*') ? file.endsWith(glob.slice(4)) : glob.endsWith('/**') ? file.startsWith(glob.slice(0, -2)) : file === glob;
    const distFiles = walk('dist', 'dist');
    const wanted = distFiles.filter((f) => includes.some((g) => matches(f, g)) && !excludes.some((g) => matches(f, g)));
    expect(wanted.length).toBeGreaterThan(5);
    for (const file of wanted) expect(packaged, file).toContain(`/${file}`);
    for (const file of distFiles.filter((f) => !wanted.includes(f))) expect(packaged, file).not.toContain(`/${file}`);
    expect(packaged.some((f) => f.startsWith('/dist/test-host/') || f.startsWith('/dist/bench/') || f.endsWith('.map'))).toBe(false);
  });

  it('keeps the native addons and the token worker outside the asar', () => {
    for (const prefix of ['/node_modules/pkcs11js/', '/node_modules/keytar/', '/dist/worker/']) {
      expect(walk(path.join(app.resources, 'app.asar.unpacked'), '').some((f) => f.startsWith(prefix)), prefix).toBe(true);
    }
  });

  it('the check fails on a fuse that differs from electron-builder.yml and on a test host, source map or .env in the asar', async () => {
    const broken = path.join(dir, 'broken-unpacked');
    await cp(path.dirname(app.resources), broken, { recursive: true });
    const binary = path.join(broken, path.basename(app.binary!));
    await flipFuses(binary, { version: FuseVersion.V1, [FuseV1Options.RunAsNode]: !config.electronFuses['runAsNode'] });
    const content = path.join(dir, 'asar-content');
    await mkdir(path.join(content, 'dist', 'test-host'), { recursive: true });
    await mkdir(path.join(content, 'dist', 'main'), { recursive: true });
    await writeFile(path.join(content, 'dist', 'test-host', 'test-host.cjs'), '');
    await writeFile(path.join(content, 'dist', 'main', 'main.cjs.map'), '{}');
    await writeFile(path.join(content, '.env'), 'SECRET=1');
    await createPackage(content, path.join(broken, 'resources', 'app.asar'));
    const problems = await checkPackagedApp({ name: 'broken', binary, resources: path.join(broken, 'resources') }, config);
    expect(problems.join('\n')).toMatch(/fuse runAsNode is on, electron-builder.yml says off/);
    expect(problems.join('\n')).toMatch(/holds \/dist\/test-host\/test-host.cjs/);
    expect(problems.join('\n')).toMatch(/holds \/dist\/main\/main.cjs.map/);
    expect(problems.join('\n')).toMatch(/holds \/\.env/);
    expect(problems.join('\n')).toMatch(/lacks \/dist\/main\/main.cjs/);
  });
});
