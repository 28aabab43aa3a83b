import { existsSync } from 'node:fs';
import path from 'node:path';

/** The part of electron-updater's AppUpdater this shell uses (a stand-in in tests). */
export interface Updater {
  autoDownload: boolean;
  autoInstallOnAppQuit: boolean;
  checkForUpdates(): Promise<unknown>;
  quitAndInstall(isSilent?: boolean, isForceRunAfter?: boolean): void;
  setFeedURL(options: { provider: 'generic'; url: string }): void;
  on(event: 'update-available' | 'update-not-available' | 'update-downloaded', listener: (info: { version: string }) => void): unknown;
  on(event: 'error', listener: (error: Error) => void): unknown;
}

export interface UpdatePorts {
  /** Asks whether to restart into the downloaded version now; false means later. */
  askRestart(version: string): Promise<boolean>;
  /** Tells the user something, only when they asked for the check themselves. */
  tell(message: string): void;
  log(message: string): void;
}

export type UpdateFeed = { on: true; url?: string } | { on: false; reason: 'unpackaged' | 'no-feed' };

/**
 * Updates are on only in an installed app built with an update feed (electron-builder
 * writes resources/app-update.yml when the release names one). LOCK_UPDATE_URL points an
 * installed app at another feed, e.g. an office mirror.
 */
export function updateFeed(options: { isPackaged: boolean; resourcesPath: string; env: NodeJS.ProcessEnv }): UpdateFeed {
  if (!options.isPackaged) return { on: false, reason: 'unpackaged' };
  if (!existsSync(path.join(options.resourcesPath, 'app-update.yml'))) return { on: false, reason: 'no-feed' };
  const url = options.env['LOCK_UPDATE_URL']?.trim();
  return url ? { on: true, url } : { on: true };
}

export const updateTexts = {
  off: {
    unpackaged: 'Pembaruan otomatis hanya untuk aplikasi yang dipasang dari installer. / Automatic updates work only in an app installed from an installer.',
    'no-feed': 'Aplikasi ini dibuat tanpa alamat pembaruan. / This build has no update address.',
  },
  upToDate: (version: string) => `LOCK Desktop ${version} adalah versi terbaru. / LOCK Desktop ${version} is the latest version.`,
  downloading: (version: string) => `Versi ${version} sedang diunduh di latar belakang. / Version ${version} is downloading in the background.`,
  failed: (message: string) => `Pembaruan tidak dapat diperiksa: ${message} / Could not check for updates: ${message}`,
};

/**
 * Checks the release feed at start and on request, downloads in the background,
 * and restarts into the new version only when the user says so (otherwise it is
 * installed when the app is next closed).
 */
export class Updates {
  private userAsked = false;
  private ready: string | undefined;

  constructor(
    private readonly feed: UpdateFeed,
    private readonly updater: Updater | undefined,
    private readonly ports: UpdatePorts,
  ) {
    if (!feed.on || !updater) return;
    if (feed.url) updater.setFeedURL({ provider: 'generic', url: feed.url });
    updater.autoDownload = true;
    updater.autoInstallOnAppQuit = true;
    updater.on('update-available', ({ version }) => this.userTell(updateTexts.downloading(version)));
    updater.on('update-not-available', ({ version }) => this.userTell(updateTexts.upToDate(version)));
    updater.on('error', (error) => {
      ports.log(`update: ${error.message}`);
      this.userTell(updateTexts.failed(error.message));
    });
    updater.on('update-downloaded', ({ version }) => void this.offerRestart(version));
  }

  get enabled(): boolean {
    return this.feed.on && this.updater !== undefined;
  }

  /** A check; `userAsked` (the menu item) makes the outcome visible, a start-up check stays quiet. */
  async check(userAsked = false): Promise<void> {
    if (!this.feed.on || !this.updater) {
      if (userAsked) this.ports.tell(updateTexts.off[this.feed.on ? 'no-feed' : this.feed.reason]);
      return;
    }
    if (this.ready) {
      if (userAsked) await this.offerRestart(this.ready);
      return;
    }
    this.userAsked = userAsked;
    try {
      const result = (await this.updater.checkForUpdates()) as { downloadPromise?: Promise<unknown> | null } | null;
      // The background download's failure is reported through the 'error' event too; never left unhandled.
      result?.downloadPromise?.catch((error: unknown) => this.ports.log(`update download failed: ${(error as Error).message}`));
    } catch (error) {
      // Reported through the 'error' event; a failed check never stops the app.
      this.ports.log(`update check failed: ${(error as Error).message}`);
    }
  }

  private userTell(message: string): void {
    if (this.userAsked) this.ports.tell(message);
    this.userAsked = false;
  }

  private async offerRestart(version: string): Promise<void> {
    this.ready = version;
    this.userAsked = false;
    if (await this.ports.askRestart(version)) this.updater?.quitAndInstall(false, true);
  }
}
