// After packaging: every packaged app under the release folder must carry the
// fuses electron-builder.yml asks for, and its app.asar must hold what the
// `files` list packages and nothing it excludes (test host, bench, CLI bundle,
// source maps, .env, sources). Exit 1 with one line per problem.
// Usage: node scripts/check-package.mjs [releaseDir] [electron-builder.yml]
import { listPackage } from '@electron/asar';
import { FuseV1Options, getCurrentFuseWire } from '@electron/fuses';
import { existsSync, readdirSync, readFileSync, statSync } from 'node:fs';
import path from 'node:path';
import { fileURLToPath } from 'node:url';
import { parse } from 'yaml';

/** Paths (as the asar lists them) that must never ship. */
export const FORBIDDEN = [
  /^\/dist\/(test-host|bench|cli)\//,
  /\.map$/,
  /(^|\/)\.env(\.[^/]*)?$/,
  /^\/(tests|scripts|src|src-main|src-renderer|native)\//,
  /^\/node_modules\/(electron|electron-builder|playwright|@playwright|vitest)\//,
];
/** What the app cannot start without. */
export const REQUIRED = ['/package.json', '/dist/main/main.cjs', '/dist/preload/preload.cjs', '/dist/renderer/index.html', '/dist/icons/icon-256.png'];

const ENABLE = 49; // '1'
const DISABLE = 48; // '0'

/** electron-builder's camelCase fuse names → @electron/fuses wire positions. */
export function expectedFuses(config) {
  return Object.entries(config.electronFuses ?? {}).map(([name, enabled]) => {
    const index = FuseV1Options[name.charAt(0).toUpperCase() + name.slice(1)];
    if (index === undefined) throw new Error(`electron-builder.yml names an unknown fuse: ${name}`);
    return { name, index, enabled };
  });
}

/** Packaged apps electron-builder leaves in the release folder: win/linux *-unpacked, mac *.app. */
export function findPackagedApps(releaseDir, productName, executableName) {
  const apps = [];
  for (const entry of existsSync(releaseDir) ? readdirSync(releaseDir) : []) {
    const dir = path.join(releaseDir, entry);
    // electron-builder's per-arch temp apps of a universal build are not shipped.
    if (!statSync(dir).isDirectory() || entry.endsWith('-temp')) continue;
    const macApp = path.join(dir, `${productName}.app`);
    if (existsSync(macApp)) {
      apps.push({ name: entry, binary: macApp, resources: path.join(macApp, 'Contents', 'Resources') });
    } else if (entry.endsWith('-unpacked')) {
      const binary = [`${productName}.exe`, executableName].map((name) => path.join(dir, name)).find((file) => existsSync(file));
      apps.push({ name: entry, binary, resources: path.join(dir, 'resources') });
    }
  }
  return apps;
}

function walk(dir, prefix = '') {
  if (!existsSync(dir)) return [];
  return readdirSync(dir, { withFileTypes: true }).flatMap((entry) =>
    entry.isDirectory() ? [`${prefix}/${entry.name}`, ...walk(path.join(dir, entry.name), `${prefix}/${entry.name}`)] : [`${prefix}/${entry.name}`],
  );
}

export async function checkPackagedApp(app, config) {
  const problems = [];
  if (!app.binary) {
    problems.push(`${app.name}: no executable found`);
  } else {
    const wire = await getCurrentFuseWire(app.binary);
    for (const { name, index, enabled } of expectedFuses(config)) {
      const actual = wire[index];
      if (actual !== (enabled ? ENABLE : DISABLE)) {
        problems.push(`${app.name}: fuse ${name} is ${actual === ENABLE ? 'on' : actual === DISABLE ? 'off' : `missing (${actual})`}, electron-builder.yml says ${enabled ? 'on' : 'off'}`);
      }
    }
  }
  const asarFile = path.join(app.resources, 'app.asar');
  if (!existsSync(asarFile)) return [...problems, `${app.name}: no resources/app.asar`];
  const packaged = [...listPackage(asarFile, { isPack: false }), ...walk(`${asarFile}.unpacked`)].map((file) => file.replaceAll('\\', '/'));
  for (const file of packaged) {
    if (FORBIDDEN.some((pattern) => pattern.test(file))) problems.push(`${app.name}: app.asar holds ${file}`);
  }
  for (const file of REQUIRED) if (!packaged.includes(file)) problems.push(`${app.name}: app.asar lacks ${file}`);
  return problems;
}

export async function checkRelease(releaseDir, configFile = 'electron-builder.yml', packageFile = 'package.json') {
  const config = parse(readFileSync(configFile, 'utf8'));
  const pkg = JSON.parse(readFileSync(packageFile, 'utf8'));
  const apps = findPackagedApps(releaseDir, config.productName ?? pkg.productName ?? pkg.name, config.executableName ?? pkg.name);
  if (apps.length === 0) return { apps, problems: [`no packaged app in ${releaseDir}`] };
  const problems = (await Promise.all(apps.map((app) => checkPackagedApp(app, config)))).flat();
  return { apps, problems };
}

if (process.argv[1] && path.resolve(process.argv[1]) === fileURLToPath(import.meta.url)) {
  const { apps, problems } = await checkRelease(process.argv[2] ?? 'release', process.argv[3] ?? 'electron-builder.yml');
  for (const problem of problems) console.error(problem);
  if (problems.length) process.exit(1);
  console.log(`packaged apps checked (fuses, asar contents): ${apps.map((app) => app.name).join(', ')}`);
}
