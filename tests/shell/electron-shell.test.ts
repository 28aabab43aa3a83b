import { mkdir, readFile, symlink, writeFile } from 'node:fs/promises';
import path from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { channels } from '../../src/contract/api';
import { ipcChannel } from '../../src/contract/channels';
import { startElectronApp } from '../../src-main/electron/app';
import { updateTexts } from '../../src-main/electron/updates';
import { RENDERER_CSP } from '../../src-main/services/renderer-files';
import { recorded, type FakeBrowserWindow } from '../support/fake-electron';
import { tempDir } from '../support/tools';

let cleanup: () => Promise<void>;
let window: FakeBrowserWindow;

beforeAll(async () => {
  const temp = await tempDir('lock-shell-');
  cleanup = temp.cleanup;
  recorded.userData = path.join(temp.dir, 'userData');
  await mkdir(path.join(temp.dir, 'dist', 'renderer'), { recursive: true });
  await writeFile(path.join(temp.dir, 'dist', 'renderer', 'index.html'), '<!doctype html><title>t</title>');
  // The built workers (npm run build), where an installed app has them beside the renderer.
  await symlink(path.resolve('dist/worker'), path.join(temp.dir, 'dist', 'worker'));
  // A free port for the embedded mock (the app's stable port may be taken on a shared machine).
  process.env['LOCK_MOCK_PORT'] = '0';
  await startElectronApp(path.join(temp.dir, 'dist'));
  window = recorded.windows[0]!;
});

afterAll(async () => {
  await Promise.all(recorded.appListeners.get('will-quit')?.map((l) => l()) ?? []);
  // The app closes asynchronously: the mock's process ends once its server has closed.
  const alive = (pid: number | undefined) => {
    try {
      return pid !== undefined && process.kill(pid, 0);
    } catch {
      return false;
    }
  };
  for (let waited = 0; recorded.utilityProcesses.some((p) => alive(p.pid)) && waited < 10_000; waited += 50) await new Promise((resolve) => setTimeout(resolve, 50));
  delete process.env['LOCK_MOCK_PORT'];
  await cleanup();
  expect(recorded.utilityProcesses.filter((p) => alive(p.pid))).toEqual([]);
});

const trustedEvent = () => ({ sender: window.webContents, senderFrame: { url: 'app://lock/index.html', parent: null } });

describe('Electron shell (against a stand-in electron module)', () => {
  it('opens one window with isolation, sandbox and no Node, loading app://lock', () => {
    expect(recorded.windows).toHaveLength(1);
    const prefs = window.options['webPreferences'] as Record<string, unknown>;
    expect(prefs).toMatchObject({
      contextIsolation: true,
      sandbox: true,
      nodeIntegration: false,
      nodeIntegrationInWorker: false,
      nodeIntegrationInSubFrames: false,
      webSecurity: true,
      allowRunningInsecureContent: false,
      webviewTag: false,
      disableBlinkFeatures: 'Auxclick',
    });
    expect(String(prefs['preload'])).toMatch(/preload[\\/]preload\.cjs$/);
    expect(window.loadedUrl).toBe('app://lock/index.html');
  });

  it('serves the renderer through a secure custom scheme with the strict CSP, and nothing outside it', async () => {
    expect(recorded.privilegedSchemes).toEqual([{ scheme: 'app', privileges: { standard: true, secure: true } }]);
    const handler = recorded.protocolHandlers.get('app')!;
    const ok = await handler(new Request('app://lock/index.html'));
    expect(ok.status).toBe(200);
    const csp = ok.headers.get('content-security-policy')!;
    expect(csp).toBe(RENDERER_CSP);
    expect(csp).toContain("default-src 'none'");
    expect(csp).toContain("script-src 'self'");
    expect(csp).not.toContain('unsafe');
    expect((await handler(new Request('app://lock/%2e%2e/%2e%2e/package.json'))).status).toBe(404);
    expect((await handler(new Request('app://other/index.html'))).status).toBe(404);
  });

  it('registers exactly the contract channels over IPC', () => {
    expect([...recorded.ipcHandlers.keys()].sort()).toEqual(channels.map(ipcChannel).sort());
  });

  it('runs the embedded mock AMS in a utility process of its own, which answers over HTTP and ends with the app', async () => {
    expect(recorded.utilityProcesses).toHaveLength(1);
    const [mock] = recorded.utilityProcesses;
    expect(mock!.modulePath).toMatch(/worker[\\/]mock-utility\.cjs$/);
    expect(mock!.options.serviceName).toBe('LOCK Desktop mock AMS');
    expect(mock!.pid).not.toBe(process.pid);
    const info = (await recorded.ipcHandlers.get(ipcChannel('app.info'))!(trustedEvent(), {})) as { value: { amsUrl: string } };
    expect((await fetch(`${info.value.amsUrl}/health`)).status).toBe(200);
    const demo = await recorded.ipcHandlers.get(ipcChannel('demo.newRequest'))!(trustedEvent(), {});
    expect(demo).toMatchObject({ ok: true, value: { token: expect.stringMatching(/^[0-9A-F]{40}$/) } });
  });

  it('serves a call from its own window, validates input, and refuses other senders', async () => {
    const info = recorded.ipcHandlers.get(ipcChannel('app.info'))!;
    expect(await info(trustedEvent(), {})).toMatchObject({ ok: true, value: { mockAms: true, version: '0.0.0-test' } });
    expect(await info(trustedEvent(), { extra: 1 })).toMatchObject({ ok: false, error: { code: 'INPUT_INVALID' } });
    const foreign = { ...trustedEvent(), senderFrame: { url: 'https://evil.example/', parent: null } };
    expect(await info(foreign, {})).toMatchObject({ ok: false, error: { code: 'INPUT_INVALID', detail: 'untrusted sender' } });
    const subframe = { ...trustedEvent(), senderFrame: { url: 'app://lock/index.html', parent: {} } };
    expect(await info(subframe, {})).toMatchObject({ ok: false });
    const otherWindow = { ...trustedEvent(), sender: { id: -1 } };
    expect(await info(otherWindow, {})).toMatchObject({ ok: false });
  });

  it('denies permissions, new windows, navigation and webviews', () => {
    let granted: boolean | undefined;
    recorded.permissionRequestHandler!({}, 'media', (answer: boolean) => (granted = answer));
    expect(granted).toBe(false);
    expect(recorded.permissionCheckHandler!()).toBe(false);

    const hooks = new Map<string, (event: { preventDefault(): void }) => void>();
    let openHandler: (() => unknown) | undefined;
    const contents = {
      setWindowOpenHandler: (h: () => unknown) => (openHandler = h),
      on: (name: string, h: (event: { preventDefault(): void }) => void) => hooks.set(name, h),
    };
    for (const listener of recorded.appListeners.get('web-contents-created') ?? []) listener({}, contents);
    expect(openHandler?.()).toEqual({ action: 'deny' });
    for (const name of ['will-navigate', 'will-redirect', 'will-attach-webview']) {
      let prevented = false;
      hooks.get(name)!({ preventDefault: () => (prevented = true) });
      expect(prevented, name).toBe(true);
    }
  });

  it('the LOCK menu checks for updates; unpackaged, updates are off and the menu says why', async () => {
    const lockMenu = (recorded.menu!.template as { label?: string; submenu?: { label?: string; click?: () => void }[] }[])[0]!;
    const item = lockMenu.submenu!.find((i) => i.label?.startsWith('Periksa pembaruan'))!;
    expect(item).toBeDefined();
    recorded.messageBoxes.length = 0;
    item.click!();
    await new Promise((resolve) => setTimeout(resolve, 10));
    expect(recorded.messageBoxes).toHaveLength(1);
    expect(JSON.stringify(recorded.messageBoxes[0])).toContain(updateTexts.off.unpackaged.slice(0, 40));
  });

  it('LOCK → Pengaturan asks the window to open the settings view', () => {
    const lockMenu = (recorded.menu!.template as { label?: string; submenu?: { label?: string; click?: () => void }[] }[])[0]!;
    recorded.sent.length = 0;
    lockMenu.submenu!.find((i) => i.label?.startsWith('Pengaturan'))!.click!();
    expect(recorded.sent).toEqual([[ipcChannel('settings.onDidRequestOpen'), {}]]);
  });

  it('index.html carries the same script and style policy as the header', async () => {
    const html = await readFile('src-renderer/index.html', 'utf8');
    const meta = /http-equiv="Content-Security-Policy"\s+content="([^"]+)"/.exec(html)?.[1];
    expect(meta).toBeDefined();
    for (const directive of meta!.split(';').map((d) => d.trim())) expect(RENDERER_CSP).toContain(directive);
  });
});
