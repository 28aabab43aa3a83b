// `npm test`: lint, type-check, build, security scan, unit + shell + integration
// tests (vitest) and end-to-end tests (Playwright), then one summary line.
// On Linux without a session bus it re-runs itself inside `dbus-run-session`
// with gnome-keyring unlocked, so the keychain tests meet a real Secret Service.
import { spawnSync } from 'node:child_process';
import { existsSync, mkdirSync, mkdtempSync, readFileSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import path from 'node:path';

const has = (cmd) => spawnSync('sh', ['-c', `command -v ${cmd}`], { stdio: 'ignore' }).status === 0;

if (process.platform === 'linux' && !process.env.DBUS_SESSION_BUS_ADDRESS && !process.env.LOCK_TEST_NO_DBUS) {
  if (has('dbus-run-session') && has('gnome-keyring-daemon')) {
    // A throw-away keyring folder: an existing login keyring with another password would stay locked.
    const keyrings = mkdtempSync(path.join(tmpdir(), 'lock-keyring-'));
    const inner = `printf 'lock-test' | XDG_DATA_HOME="${keyrings}" gnome-keyring-daemon --unlock --components=secrets >/dev/null 2>&1; exec "${process.execPath}" scripts/test.mjs`;
    const { status } = spawnSync('dbus-run-session', ['--', 'sh', '-c', inner], { stdio: 'inherit', env: { ...process.env, LOCK_TEST_NO_DBUS: '1' } });
    rmSync(keyrings, { recursive: true, force: true });
    process.exit(status ?? 1);
  }
  console.warn('\n*** No dbus-run-session/gnome-keyring-daemon: keychain tests run without a Secret Service. ***\n');
}

const npx = (args) => ({ cmd: process.execPath, args: [`node_modules/${args[0]}`, ...args.slice(1)] });
const steps = [
  ['lint', npx(['eslint/bin/eslint.js', '.'])],
  ['type-check', npx(['typescript/bin/tsc', '--noEmit', '-p', 'tsconfig.json'])],
  ['type-check src/ (no DOM, no Node)', npx(['typescript/bin/tsc', '--noEmit', '-p', 'tsconfig.shared.json'])],
  ['build', { cmd: process.execPath, args: ['scripts/build.mjs'] }],
  ['electronegativity', { cmd: process.execPath, args: ['scripts/electronegativity.mjs'] }],
  ['vitest (unit, shell, integration)', npx(['vitest/vitest.mjs', 'run', '--reporter=default', '--reporter=json', '--outputFile=test-results/vitest.json'])],
  ['playwright (e2e)', npx(['@playwright/test/cli.js', 'test'])],
];

mkdirSync('test-results', { recursive: true });
for (const stale of ['test-results/vitest.json', 'test-results/playwright.json']) rmSync(stale, { force: true });
const failedSteps = [];
for (const [name, { cmd, args }] of steps) {
  console.log(`\n=== ${name}`);
  const { status } = spawnSync(cmd, args, { stdio: 'inherit' });
  if (status !== 0) failedSteps.push(name);
  // Everything after the build needs it.
  if (status !== 0 && name === 'build') break;
}

let passed = 0;
let failed = 0;
let skipped = 0;
if (existsSync('test-results/vitest.json')) {
  const v = JSON.parse(readFileSync('test-results/vitest.json', 'utf8'));
  passed += v.numPassedTests;
  failed += v.numFailedTests;
  skipped += v.numPendingTests + v.numTodoTests;
}
if (existsSync('test-results/playwright.json')) {
  const p = JSON.parse(readFileSync('test-results/playwright.json', 'utf8')).stats;
  passed += p.expected + p.flaky;
  failed += p.unexpected;
  skipped += p.skipped;
}
if (failedSteps.length) console.error(`\nFailed steps: ${failedSteps.join(', ')}`);
console.log(`\n${passed} passed, ${failed} failed, ${skipped} skipped`);
process.exit(failedSteps.length ? 1 : 0);
