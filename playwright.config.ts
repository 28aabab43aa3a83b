import { chromium as playwrightChromium, defineConfig } from '@playwright/test';
import { execFileSync } from 'node:child_process';
import { randomBytes } from 'node:crypto';
import { mkdtempSync } from 'node:fs';
import { tmpdir } from 'node:os';
import path from 'node:path';
import { createSoftHsmToken } from './native/softhsm/create-token.mjs';
import { chooseChromium } from './tests/support/browser';

// One key and port per run, set before workers start so they inherit them.
process.env['LOCK_TEST_HOST_KEY'] ??= randomBytes(24).toString('base64url');
// A port the system says is free now (a random one in 41000-45000 once collided with a port already in
// use: that range lies inside Linux's ephemeral ports).
process.env['LOCK_E2E_PORT'] ??= execFileSync(process.execPath, ['-e', "const s = require('node:net').createServer().listen(0, '127.0.0.1', () => { process.stdout.write(String(s.address().port)); s.close(); })"], { encoding: 'utf8' });
const port = process.env['LOCK_E2E_PORT'];

// A throw-away SoftHSM2 token (label ST3, PIN 123456) for the USB-token path, made
// once per run. Without softhsm2-util the token tests say so and are skipped;
// CI installs it.
if (process.env['LOCK_E2E_SOFTHSM_CONF'] === undefined) {
  try {
    const dir = mkdtempSync(path.join(tmpdir(), 'lock-e2e-softhsm-'));
    process.env['LOCK_E2E_SOFTHSM_CONF'] = createSoftHsmToken({ dir, label: 'ST3', pin: '123456' });
    createSoftHsmToken({ dir, label: 'SPARE', pin: '654321' });
  } catch (error) {
    process.env['LOCK_E2E_SOFTHSM_CONF'] = '';
    console.warn(`\n*** SoftHSM2 unavailable (${(error as Error).message}); USB-token e2e tests will be skipped. ***\n`);
  }
}

// The browser: CHROMIUM_PATH always; else Playwright's own Chromium where `npx playwright install
// chromium` could install it (CI on Windows, macOS, Ubuntu); else Debian's /usr/bin/chromium (our
// machines cannot download Playwright's browsers).
const browser = chooseChromium(process.env, playwrightChromium.executablePath());
if (browser.source === 'none') {
  console.warn('\n*** No Chromium found: run `npx playwright install chromium`, install Debian\'s chromium, or set CHROMIUM_PATH. ***\n');
}
const chromium = browser.executablePath;

export default defineConfig({
  testDir: 'tests/e2e',
  outputDir: 'test-results/e2e',
  reporter: [['list'], ['json', { outputFile: 'test-results/playwright.json' }]],
  workers: 1,
  // Whole user flows with 600,000-iteration key derivations: generous on a busy shared machine.
  timeout: 120_000,
  use: { screenshot: 'only-on-failure', trace: 'retain-on-failure' },
  projects: [
    {
      name: 'web',
      testIgnore: /electron\.spec\.ts/,
      use: {
        browserName: 'chromium',
        baseURL: `http://127.0.0.1:${port}`,
        viewport: { width: 900, height: 680 },
        launchOptions: {
          executablePath: chromium,
          args: ['--no-sandbox', '--disable-gpu', '--disable-background-networking', '--disable-component-update', '--no-first-run', '--disable-sync'],
        },
      },
    },
    { name: 'electron', testMatch: /electron\.spec\.ts/ },
  ],
  webServer: {
    command: `node dist/test-host/test-host.cjs --port ${port}`,
    url: `http://127.0.0.1:${port}/index.html`,
    reuseExistingServer: false,
    stdout: 'pipe',
    timeout: 60_000,
    env: { ...(process.env as Record<string, string>), SOFTHSM2_CONF: process.env['LOCK_E2E_SOFTHSM_CONF'] ?? '' },
  },
});
