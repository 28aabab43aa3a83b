import { app, BrowserWindow, clipboard, dialog, Menu, session, shell, type IpcMainInvokeEvent } from 'electron';
import path from 'node:path';
import { composeApp, type ComposedApp } from '../compose';
import { ipcChannel } from '../../src/contract/channels';
import { registerIpc } from './ipc';
import { registerRendererScheme, serveRenderer } from './protocol';
import { startUpdates } from './update-shell';
import type { Updates } from './updates';
import { createMainWindow } from './window';
import { startMockUtility } from './mock-utility-process';

/**
 * The Electron shell: one hardened window on app://lock, the contract over IPC,
 * and the core services (with the embedded mock AMS unless LOCK_AMS_URL names a
 * real server).
 */
export async function startElectronApp(distDir: string): Promise<void> {
  registerRendererScheme();
  if (!app.requestSingleInstanceLock()) {
    app.quit();
    return;
  }
  lockDownWebContents();
  await app.whenReady();

  session.defaultSession.setPermissionRequestHandler((_contents, _permission, callback) => callback(false));
  session.defaultSession.setPermissionCheckHandler(() => false);
  serveRenderer(path.join(distDir, 'renderer'));

  const composed = await composeApp({
    dataDir: app.getPath('userData'),
    amsUrl: process.env['LOCK_AMS_URL'] || undefined,
    // The embedded mock keeps one address across restarts; LOCK_MOCK_PORT overrides it (tests: 0).
    mockPort: process.env['LOCK_MOCK_PORT'] ? Number(process.env['LOCK_MOCK_PORT']) : 'stable',
    // Its own OS process: the window's main process never runs the mock's CA or database.
    startMock: (options) => startMockUtility(distDir, options),
    version: app.getVersion(),
    ports: {
      readClipboard: () => clipboard.readText(),
      writeClipboard: (text) => clipboard.writeText(text),
      quit: () => app.quit(),
      documentsDir: app.getPath('documents'),
      // Chromium's answer for the AMS URL: the OS proxy settings, PAC and WPAD included.
      resolveProxy: (url) => session.defaultSession.resolveProxy(url),
      openPath: async (dir) => {
        await shell.openPath(dir);
      },
      // Reached only with a URL under the configured AMS (checked in the core).
      openExternal: (url) => shell.openExternal(url),
      chooseFolder: async ({ title }) => {
        const options = { title, properties: ['openDirectory' as const, 'createDirectory' as const] };
        const parent = BrowserWindow.getFocusedWindow();
        const result = parent ? await dialog.showOpenDialog(parent, options) : await dialog.showOpenDialog(options);
        return result.canceled ? null : (result.filePaths[0] ?? null);
      },
      chooseFile: async ({ title, extensions }) => {
        const options = { title, properties: ['openFile' as const], filters: [{ name: 'PKCS#11', extensions }] };
        const parent = BrowserWindow.getFocusedWindow();
        const result = parent ? await dialog.showOpenDialog(parent, options) : await dialog.showOpenDialog(options);
        return result.canceled ? null : (result.filePaths[0] ?? null);
      },
    },
  });
  const { core } = composed;

  // The page loads asynchronously, so its first call finds the handlers registered below.
  const mainWindow = createMainWindow(distDir);
  registerIpc(core.dispatch, (event: IpcMainInvokeEvent) => event.sender === mainWindow.webContents);
  const updates = await startUpdates(mainWindow, distDir);
  const openSettings = () => {
    if (!mainWindow.webContents.isDestroyed()) mainWindow.webContents.send(ipcChannel('settings.onDidRequestOpen'), {});
  };
  Menu.setApplicationMenu(buildMenu(composed, updates, openSettings));
  void updates.check();

  app.on('second-instance', () => {
    if (mainWindow.isMinimized()) mainWindow.restore();
    mainWindow.focus();
  });
  app.on('window-all-closed', () => app.quit());
  app.on('will-quit', () => void composed.close());
}

/** No new windows, no navigation away from the renderer, no webviews — for every web contents. */
function lockDownWebContents(): void {
  app.on('web-contents-created', (_event, contents) => {
    contents.setWindowOpenHandler(() => ({ action: 'deny' }));
    contents.on('will-navigate', (event) => event.preventDefault());
    contents.on('will-redirect', (event) => event.preventDefault());
    contents.on('will-attach-webview', (event) => event.preventDefault());
  });
}

function buildMenu({ core, mock }: ComposedApp, updates: Updates, openSettings: () => void): Menu {
  return Menu.buildFromTemplate([
    {
      label: 'LOCK',
      submenu: [
        {
          label: 'Buka folder data / Open data folder',
          click: () => void shell.openPath(app.getPath('userData')),
        },
        ...(mock
          ? [{ label: 'Buka portal AMS (mock) / Open mock AMS', click: () => void shell.openExternal(core.amsUrl) }]
          : []),
        { label: 'Pengaturan… / Settings…', click: openSettings },
        { label: 'Periksa pembaruan… / Check for updates…', click: () => void updates.check(true) },
        { type: 'separator' as const },
        { role: 'quit' as const, label: 'Keluar / Exit' },
      ],
    },
    { role: 'editMenu' as const },
  ]);
}
