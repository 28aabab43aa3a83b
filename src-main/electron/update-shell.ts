import { app, dialog, nativeImage, type BrowserWindow } from 'electron';
import { appIconPath } from './app-icon';
import { Updates, updateFeed, type Updater } from './updates';

/**
 * electron-updater in the installed app: the release feed at start and from the
 * menu, downloads in the background (through Electron's network stack, so the
 * system proxy applies), a question before restarting. Off when unpackaged or
 * built without a feed; electron-updater is then never loaded.
 */
export async function startUpdates(window: BrowserWindow, distDir: string): Promise<Updates> {
  const feed = updateFeed({ isPackaged: app.isPackaged, resourcesPath: process.resourcesPath, env: process.env });
  const updater = feed.on ? ((await import('electron-updater')).autoUpdater as unknown as Updater) : undefined;
  const icon = nativeImage.createFromPath(appIconPath(distDir));
  return new Updates(feed, updater, {
    askRestart: async (version) => {
      const { response } = await dialog.showMessageBox(window, {
        type: 'question',
        icon,
        title: 'LOCK Desktop',
        message: `LOCK Desktop ${version} sudah diunduh. / LOCK Desktop ${version} has been downloaded.`,
        detail:
          'Mulai ulang sekarang untuk memasangnya, atau nanti: versi baru dipasang saat aplikasi ditutup. / ' +
          'Restart now to install it, or later: the new version is installed when the app closes.',
        buttons: ['Mulai ulang sekarang / Restart now', 'Nanti / Later'],
        defaultId: 0,
        cancelId: 1,
      });
      return response === 0;
    },
    tell: (message) => void dialog.showMessageBox(window, { type: 'info', icon, title: 'LOCK Desktop', message }),
    log: (message) => console.warn(message),
  });
}
