import { configureRequestOptions, configureRequestUrl, HttpExecutor, type DownloadOptions } from 'builder-util-runtime';
import { createHash, randomBytes } from 'node:crypto';
import { mkdir, readdir, readFile, writeFile } from 'node:fs/promises';
import http, { type ClientRequest, type IncomingMessage, type RequestOptions } from 'node:http';
import type { AddressInfo } from 'node:net';
import path from 'node:path';
import { NsisUpdater } from 'electron-updater';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { Updates, updateFeed, updateTexts, type Updater } from '../../src-main/electron/updates';
import { tempDir } from '../support/tools';

/**
 * electron-updater itself (its NSIS updater: feed parsing, version compare,
 * background download, SHA-512 check) against a feed served on loopback; only
 * Electron is stood in for: an app adapter instead of Electron's app, and
 * Node's http instead of Electron's net module.
 */
class NodeHttpExecutor extends HttpExecutor<ClientRequest> {
  createRequest(options: RequestOptions, callback: (response: IncomingMessage) => void): ClientRequest {
    const request = http.request(options);
    request.on('response', callback);
    return request;
  }

  /** As electron-updater's ElectronHttpExecutor downloads, with Node's http underneath. */
  download(url: URL, destination: string, options: DownloadOptions): Promise<string> {
    return options.cancellationToken.createPromise<string>((resolve, reject, onCancel) => {
      const requestOptions: RequestOptions = { headers: options.headers ?? undefined };
      configureRequestUrl(url, requestOptions);
      configureRequestOptions(requestOptions);
      this.doDownload(requestOptions, { destination, options, onCancel, callback: (error) => (error ? reject(error) : resolve(destination)), responseHandler: null }, 0);
    });
  }
}

let dir: string;
let cleanup: () => Promise<void>;
let server: http.Server;
let feedUrl: string;
const feeds = new Map<string, { yml: string; installer: Buffer }>();
const requests: string[] = [];

beforeAll(async () => {
  ({ dir, cleanup } = await tempDir('lock-updates-'));
  server = http.createServer((req, res) => {
    const pathname = new URL(req.url ?? '/', 'http://feed').pathname;
    requests.push(pathname);
    const [, feed, file] = /^\/([^/]+)\/(.+)$/.exec(pathname) ?? [];
    const entry = feed ? feeds.get(feed) : undefined;
    if (!entry) return void res.writeHead(404).end();
    // The channel file is named for the OS the updater runs on: latest.yml, latest-linux.yml, latest-mac.yml.
    if (/^latest(-linux|-mac)?\.yml$/.test(file ?? '')) return void res.writeHead(200, { 'content-type': 'text/yaml' }).end(entry.yml);
    if (file === 'LOCK-Desktop-Setup-0.2.0.exe') return void res.writeHead(200, { 'content-length': entry.installer.length }).end(entry.installer);
    res.writeHead(404).end();
  });
  await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
  feedUrl = `http://127.0.0.1:${(server.address() as AddressInfo).port}`;
});
afterAll(async () => {
  await new Promise((resolve) => server.close(resolve));
  await cleanup();
});

function publishFeed(name: string, version: string, tamper = false): string {
  const installer = randomBytes(64 * 1024);
  const sha512 = createHash('sha512').update(tamper ? Buffer.from('not the file') : installer).digest('base64');
  const file = 'LOCK-Desktop-Setup-0.2.0.exe';
  const yml = [
    `version: ${version}`,
    'files:',
    `  - url: ${file}`,
    `    sha512: ${sha512}`,
    `    size: ${installer.length}`,
    `path: ${file}`,
    `sha512: ${sha512}`,
    "releaseDate: '2026-11-30T00:00:00.000Z'",
    '',
  ].join('\n');
  feeds.set(name, { yml, installer });
  return `${feedUrl}/${name}`;
}

/** An installed app's view of itself, as electron-builder packages it (resources/app-update.yml). */
async function installedApp(name: string, feed: string) {
  const root = path.join(dir, name);
  const resources = path.join(root, 'resources');
  await mkdir(resources, { recursive: true });
  await writeFile(path.join(resources, 'app-update.yml'), `provider: generic\nurl: ${feed}\nupdaterCacheDirName: lock-desktop-updater\n`);
  const adapter = {
    version: '0.1.0',
    name: 'LOCK Desktop',
    isPackaged: true,
    appUpdateConfigPath: path.join(resources, 'app-update.yml'),
    userDataPath: path.join(root, 'userData'),
    baseCachePath: path.join(root, 'cache'),
    whenReady: async () => {},
    relaunch: () => {},
    quit: () => {},
    onQuit: () => {},
  };
  const updater = new NsisUpdater(null, adapter);
  (updater as unknown as { httpExecutor: HttpExecutor<ClientRequest> }).httpExecutor = new NodeHttpExecutor();
  updater.disableDifferentialDownload = true;
  updater.disableWebInstaller = true;
  updater.logger = null;
  const installs: unknown[][] = [];
  // The real one runs the downloaded installer.
  updater.quitAndInstall = (...args: unknown[]) => void installs.push(args);
  return { updater, resources, cache: adapter.baseCachePath, installs };
}

function ports(answer: boolean) {
  const asked: string[] = [];
  const told: string[] = [];
  let resolveAsked: (version: string) => void = () => {};
  const wasAsked = new Promise<string>((resolve) => (resolveAsked = resolve));
  return {
    asked,
    told,
    wasAsked,
    ports: {
      askRestart: async (version: string) => {
        asked.push(version);
        resolveAsked(version);
        return answer;
      },
      tell: (message: string) => void told.push(message),
      log: () => {},
    },
  };
}

const until = async (condition: () => boolean, what: string) => {
  for (let i = 0; i < 400 && !condition(); i++) await new Promise((resolve) => setTimeout(resolve, 25));
  expect(condition(), what).toBe(true);
};

describe('updates against a local feed', () => {
  it('a start-up check downloads the new version in the background, verifies it, and asks before restarting', async () => {
    const app = await installedApp('newer', publishFeed('newer', '0.2.0'));
    const user = ports(true);
    const updates = new Updates(updateFeed({ isPackaged: true, resourcesPath: app.resources, env: {} }), app.updater as unknown as Updater, user.ports);
    expect(updates.enabled).toBe(true);
    await updates.check();
    expect(await user.wasAsked).toBe('0.2.0');
    await until(() => app.installs.length === 1, 'quitAndInstall after the user said yes');
    expect(user.told).toEqual([]); // a start-up check stays quiet
    const cached = await readdir(path.join(app.cache, 'lock-desktop-updater', 'pending'));
    const installer = cached.find((f) => f.endsWith('.exe'))!;
    expect(await readFile(path.join(app.cache, 'lock-desktop-updater', 'pending', installer))).toEqual(feeds.get('newer')!.installer);
  });

  it('"later" leaves the update to be installed when the app closes', async () => {
    const app = await installedApp('later', publishFeed('later', '0.2.0'));
    const user = ports(false);
    const updates = new Updates({ on: true }, app.updater as unknown as Updater, user.ports);
    await updates.check();
    await user.wasAsked;
    await new Promise((resolve) => setTimeout(resolve, 100));
    expect(app.installs).toEqual([]);
    expect(app.updater.autoInstallOnAppQuit).toBe(true);
  });

  it('a download whose SHA-512 does not match the feed is never offered', async () => {
    const app = await installedApp('tampered', publishFeed('tampered', '0.2.0', true));
    const user = ports(true);
    const errors: Error[] = [];
    app.updater.on('error', (e) => errors.push(e));
    const updates = new Updates({ on: true }, app.updater as unknown as Updater, user.ports);
    await updates.check(true);
    await until(() => errors.length > 0, 'an error event');
    expect(errors[0]!.message).toMatch(/sha512 checksum mismatch/i);
    expect(user.asked).toEqual([]);
    expect(app.installs).toEqual([]);
  });

  it('from the menu: says when the installed version is the latest', async () => {
    const app = await installedApp('same', publishFeed('same', '0.1.0'));
    const user = ports(true);
    const updates = new Updates({ on: true }, app.updater as unknown as Updater, user.ports);
    await updates.check(true);
    await until(() => user.told.length === 1, 'a message');
    expect(user.told).toEqual([updateTexts.upToDate('0.1.0')]);
    expect(user.asked).toEqual([]);
  });

  it('LOCK_UPDATE_URL points an installed app at another feed', async () => {
    const mirror = publishFeed('mirror', '0.2.0');
    const app = await installedApp('mirrored', `${feedUrl}/nowhere`);
    const user = ports(false);
    const before = requests.length;
    const updates = new Updates(updateFeed({ isPackaged: true, resourcesPath: app.resources, env: { LOCK_UPDATE_URL: mirror } }), app.updater as unknown as Updater, user.ports);
    await updates.check();
    expect(await user.wasAsked).toBe('0.2.0');
    expect(requests.slice(before).every((r) => r.startsWith('/mirror/'))).toBe(true);
  });

  it('off when the app is not installed, or was built without a feed; the menu says why', async () => {
    const noFeed = path.join(dir, 'no-feed');
    await mkdir(noFeed, { recursive: true });
    expect(updateFeed({ isPackaged: false, resourcesPath: noFeed, env: { LOCK_UPDATE_URL: 'http://x' } })).toEqual({ on: false, reason: 'unpackaged' });
    expect(updateFeed({ isPackaged: true, resourcesPath: noFeed, env: {} })).toEqual({ on: false, reason: 'no-feed' });
    const user = ports(true);
    const before = requests.length;
    const updates = new Updates({ on: false, reason: 'unpackaged' }, undefined, user.ports);
    expect(updates.enabled).toBe(false);
    await updates.check();
    expect(user.told).toEqual([]);
    await updates.check(true);
    expect(user.told).toEqual([updateTexts.off.unpackaged]);
    expect(requests.length).toBe(before);
  });
});
