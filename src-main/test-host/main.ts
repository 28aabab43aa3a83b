import { mkdtemp, rm } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import path from 'node:path';
import { parseArgs } from 'node:util';
import { composeApp } from '../compose';
import { startTestHost } from './server';

/**
 * `node dist/test-host/test-host.cjs [--port N] [--data-dir DIR] [--ams-url URL]`
 * The key comes from LOCK_TEST_HOST_KEY when set (Playwright sets one per run).
 */
async function main(): Promise<void> {
  const { values } = parseArgs({
    options: { port: { type: 'string' }, 'data-dir': { type: 'string' }, 'ams-url': { type: 'string' } },
  });
  const ownDir = values['data-dir'] ? undefined : await mkdtemp(path.join(tmpdir(), 'lock-test-host-'));
  const dataDir = values['data-dir'] ?? ownDir!;
  const clipboard = { text: '' };
  // Pages the Electron shell would open in the system browser, kept for tests to read.
  const opened: string[] = [];
  const { core, mock, close } = await composeApp({
    dataDir,
    amsUrl: values['ams-url'],
    version: process.env['npm_package_version'] ?? 'dev',
    ports: {
      readClipboard: () => clipboard.text,
      writeClipboard: (text) => void (clipboard.text = text),
      quit: () => console.log('Keluar pressed (the test host keeps running)'),
      openExternal: async (url) => void opened.push(url),
      // Downloads stay inside this run's folder.
      documentsDir: path.join(dataDir, 'Documents'),
    },
  });
  const host = await startTestHost({
    rendererDir: path.resolve(__dirname, '..', 'renderer'),
    bridgeFile: path.resolve(__dirname, 'bridge.js'),
    dispatch: core.dispatch,
    clipboard,
    opened,
    ...(mock ? { mockAdmin: { url: mock.url, adminKey: mock.adminKey } } : {}),
    port: values.port ? Number(values.port) : 0,
    key: process.env['LOCK_TEST_HOST_KEY'] || undefined,
  });
  console.log(`Browser test host: ${host.openUrl}`);
  console.log(`AMS: ${core.amsUrl}${mock ? ` (mock, admin key ${mock.adminKey})` : ''}`);
  console.log(`Data: ${dataDir}`);

  const stop = async () => {
    await host.close();
    await close();
    if (ownDir) await rm(ownDir, { recursive: true, force: true });
    process.exit(0);
  };
  process.once('SIGINT', () => void stop());
  process.once('SIGTERM', () => void stop());
}

main().catch((error: unknown) => {
  console.error(error);
  process.exit(1);
});
