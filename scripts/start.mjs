// `npm start`: make sure Electron's binary is there (fetching it once, as
// `electron` itself would), build, and open the app. Where the binary is missing
// and cannot be fetched (no internet, a blocked GitHub), say so in one line and
// point to the browser shell instead of printing electron's stack trace.
import { spawn, spawnSync } from 'node:child_process';
import { existsSync, readFileSync } from 'node:fs';
import { createRequire } from 'node:module';
import path from 'node:path';
import { fileURLToPath } from 'node:url';

export const NO_ELECTRON_MESSAGE =
  'LOCK Desktop: binary Electron tidak ada dan tidak dapat diunduh; jalankan `npm run start:web` untuk membuka aplikasi di browser. / ' +
  "Electron's binary is missing and cannot be downloaded; run `npm run start:web` to use the app in a browser.";

/** The Electron executable `require('electron')` would use, if it is on disk (no download). */
export function electronBinary(electronDir, env = process.env) {
  const pathFile = path.join(electronDir, 'path.txt');
  const name = existsSync(pathFile) ? readFileSync(pathFile, 'utf8').trim() : undefined;
  const override = env.ELECTRON_OVERRIDE_DIST_PATH;
  const binary = override ? path.join(override, name || 'electron') : name && path.join(electronDir, 'dist', name);
  return binary && existsSync(binary) ? binary : undefined;
}

function electronDir() {
  try {
    return path.dirname(createRequire(import.meta.url).resolve('electron/package.json'));
  } catch {
    return undefined;
  }
}

export function findOrFetchElectron(env = process.env) {
  const dir = electronDir();
  if (!dir) return undefined;
  let binary = electronBinary(dir, env);
  if (!binary && !env.LOCK_START_NO_DOWNLOAD) {
    console.log('Mengunduh Electron… / Downloading Electron…');
    // electron's own installer, quietly: its failure is a stack trace we replace with one line.
    spawnSync(process.execPath, [path.join(dir, 'install.js')], { stdio: 'ignore', env });
    binary = electronBinary(dir, env);
  }
  return binary;
}

if (process.argv[1] && path.resolve(process.argv[1]) === fileURLToPath(import.meta.url)) {
  const binary = findOrFetchElectron();
  if (!binary) {
    console.error(NO_ELECTRON_MESSAGE);
    process.exit(1);
  }
  const build = spawnSync(process.execPath, ['scripts/build.mjs'], { stdio: 'inherit' });
  if (build.status !== 0) process.exit(build.status ?? 1);
  const child = spawn(binary, ['.', ...process.argv.slice(2)], { stdio: 'inherit', windowsHide: false });
  for (const signal of ['SIGINT', 'SIGTERM']) process.on(signal, () => child.kill(signal));
  child.on('close', (code, signal) => process.exit(code ?? (signal ? 1 : 0)));
}
