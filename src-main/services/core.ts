import path from 'node:path';
import type { Input } from '../../src/contract/api';
import { AppError } from '../../src/contract/errors';
import { AmsClient } from './ams-client';
import { createDispatch, type Dispatch, type Handlers } from './api-dispatch';
import { BundleService } from './bundle-service';
import { CertificateService } from './certificate-service';
import { normalizeServerUrl } from '../../src/domain/server-url';
import { cleanStaleTemps, makeFolder } from './atomic-file';
import { DiscardService } from './discard-service';
import { WorkerCrypto, type CryptoRunner } from './crypto-runner';
import { requireAmsPage } from './ams-page';
import { defaultOutputDir } from './output-files';
import { RequestLedger } from './request-ledger';
import { RequestService } from './request-service';
import { presentDrivers } from './pkcs11/driver-catalogue';
import { TokenService } from './pkcs11/token-service';
import { proxyFromPacResult, resolveAmsNetwork, type AmsNetwork } from './network';
import { SettingsStore, type Settings } from './settings';
import { OfferedFolders, OfferedPaths } from './offered-paths';
import { TokenVault } from './token-vault';
import { TokenCertificateService } from './token-certificate-service';
import { languageSetting, noticeText } from './notices';

const LIBRARY_EXTENSIONS: Partial<Record<NodeJS.Platform, string[]>> = { win32: ['dll'], darwin: ['dylib', 'so'], linux: ['so'] };

/** What a shell provides that only it can: the clipboard and quitting. */
export interface ShellPorts {
  readClipboard(): Promise<string> | string;
  writeClipboard(text: string): Promise<void> | void;
  quit(): void;
  /** The system's open-file dialog, where the shell has one; null when cancelled. */
  chooseFile?(options: { title: string; extensions: string[] }): Promise<string | null>;
  /** The system's choose-folder dialog, where the shell has one. */
  chooseFolder?(options: { title: string }): Promise<string | null>;
  /** Shows a folder in the system's file manager. */
  openPath?(dir: string): Promise<void>;
  /** Opens a web page in the system browser (only pages of the AMS reach it). */
  openExternal?(url: string): Promise<void>;
  /** The user's documents folder, where the shell knows it better than $HOME/Documents. */
  documentsDir?: string;
  /** The OS's proxy for a URL as Electron's session.resolveProxy answers ("PROXY host:port; DIRECT"); without it, HTTPS_PROXY / NO_PROXY. */
  resolveProxy?(url: string): Promise<string>;
}

export interface CoreOptions {
  dataDir: string;
  /** A real AMS from the environment (LOCK_AMS_URL); it wins over the server saved in the settings view. */
  amsUrl?: string;
  /**
   * The embedded mock AMS the shell started (src-main/compose.ts), used when no
   * AMS is set; it enables demo requests. A service never starts a server.
   */
  embedded?: { url: string; mintToken(email: string): Promise<{ token: string }> };
  version: string;
  ports: ShellPorts;
  vault?: TokenVault;
  /** Token calls; a worker thread unless a test says otherwise. */
  tokens?: TokenService;
  /** The OS certificate store; a stand-in in tests. */
  systemCa?: () => string[];
  /** PKCS#12 and key decryption; a worker thread unless a test says otherwise. */
  crypto?: CryptoRunner;
}

export interface Core {
  dispatch: Dispatch;
  amsUrl: string;
  close(): Promise<void>;
}

export const DEMO_EMAIL = 'maman@instansi.go.id';

/** The composition root shared by every shell: services wired by hand. */
export async function startCore(options: CoreOptions): Promise<Core> {
  const settings = SettingsStore.inDataDir(options.dataDir);
  // LOCK_AMS_URL (options.amsUrl) wins over the server saved in the settings view.
  const saved = await settings.get();
  const serverUrl = options.amsUrl ?? saved.amsUrl ?? options.embedded?.url;
  if (!serverUrl) throw new AppError('INTERNAL', { detail: 'no AMS: neither a server nor the embedded mock', expected: false });
  const mock = serverUrl === options.embedded?.url ? options.embedded : undefined;
  const amsUrl = normalizeServerUrl(serverUrl);
  // Leftovers of writes a kill interrupted (a running process's temp files are kept).
  await Promise.all([options.dataDir, path.join(options.dataDir, 'keys')].map((dir) => cleanStaleTemps(dir)));
  // The embedded mock is on loopback: never through a proxy.
  const network: AmsNetwork = mock
    ? {}
    : await resolveAmsNetwork(amsUrl, saved, {
        ...(options.ports.resolveProxy ? { resolveSystemProxy: async (url: string) => proxyFromPacResult(await options.ports.resolveProxy!(url)) } : {}),
        ...(options.systemCa ? { systemCa: options.systemCa } : {}),
      });
  const vault = options.vault ?? (await TokenVault.open());
  const tokens = options.tokens ?? new TokenService();
  const ledger = RequestLedger.inDataDir(options.dataDir);
  const ams = new AmsClient(amsUrl, { network });
  const amsFor = (server: string) => (normalizeServerUrl(server) === amsUrl ? ams : new AmsClient(normalizeServerUrl(server), { network }));
  // What the renderer may name: the catalogue's drivers, the remembered choice, and what the system dialogs returned.
  const drivers = new OfferedPaths('PKCS11_DRIVER_NOT_ALLOWED', async () => [...presentDrivers().map((d) => d.path), ...[(await settings.get()).pkcs11Library ?? []].flat()]);
  const folders = new OfferedFolders();
  const outputDir = async () => (await settings.get()).outputDir ?? defaultOutputDir(options.ports.documentsDir);
  // PKCS#12 building and OpenSSL key decryption on a worker: CPU the window's loop never waits on.
  const crypto = options.crypto ?? new WorkerCrypto();
  const certificates = new CertificateService({ ledger, vault, tokens, amsFor, outputDir, crypto });
  const bundles = new BundleService({
    ledger,
    outputDir,
    crypto,
    // Through the AMS client: its deadline and size limit, and the server's base path kept.
    amsChain: async () => [await new AmsClient(amsUrl, { budgetMs: 5_000, timeoutMs: 5_000, retries: 0 }).caChain()],
  });
  const requests = new RequestService({
    ams,
    ledger,
    vault,
    tokens,
    dataDir: options.dataDir,
  });

  const tokenCertificates = new TokenCertificateService({ tokens, ledger });
  const discards = new DiscardService({ ledger, vault, amsFor, dataDir: options.dataDir });

  const handlers: Handlers = {
    'app.openAmsPage': async ({ url }) => {
      await options.ports.openExternal?.(requireAmsPage(url, amsUrl));
      return null;
    },
    'app.info': async () => ({
      version: options.version,
      amsUrl,
      mockAms: mock !== undefined,
      dataDir: options.dataDir,
      tokenStorage: vault.storage,
      canBrowse: options.ports.chooseFile !== undefined,
      ...languageSetting(await settings.get()),
    }),
    'app.setLanguage': async ({ lang }) => {
      await settings.update({ language: lang });
      return null;
    },
    'app.quit': async () => {
      options.ports.quit();
      return null;
    },
    'clipboard.readText': async () => {
      const text = await options.ports.readClipboard();
      if (!text.trim()) throw new AppError('CLIPBOARD_EMPTY');
      return text;
    },
    'request.lookup': async ({ token }) => requests.lookup(token),
    'request.submit': async (input, context) => {
      if (input.keyStore === 'pkcs11') await drivers.require(input.library);
      return requests.submit(input, (event) => context.emit('request.onDidProgress', event));
    },
    'pkcs11.drivers': async () => {
      const { pkcs11Library } = await settings.get();
      return {
        // Each catalogue driver is asked which tokens it sees, so the dialog can preselect the one in use.
        drivers: await Promise.all(
          presentDrivers().map(async (d) => {
            const seen = await tokens.listTokens(d.path).catch(() => undefined);
            return seen ? { ...d, tokens: seen.map((t) => t.label) } : d;
          }),
        ),
        ...(pkcs11Library === undefined ? {} : { chosen: pkcs11Library }),
        canBrowse: options.ports.chooseFile !== undefined,
      };
    },
    'pkcs11.chooseDriver': async ({ library }) => {
      await drivers.require(library);
      const found = await tokens.listTokens(library);
      await settings.update({ pkcs11Library: library });
      return { library, tokens: found };
    },
    'pkcs11.browseDriver': async () =>
      drivers.offered((await options.ports.chooseFile?.({ title: 'Driver token (PKCS#11) / Token driver', extensions: LIBRARY_EXTENSIONS[process.platform] ?? ['so'] })) ?? null),
    'pkcs11.tokens': async ({ library }) => tokens.listTokens(await drivers.require(library)),
    'ledger.refresh': async (_input, context) => {
      const lang = (await settings.get()).language ?? 'id';
      return certificates.refresh((notice) => context.emit('app.onDidNotify', noticeText(notice, lang)));
    },
    'download.findToken': async ({ token }) => certificates.findByToken(token, amsUrl),
    'download.keyToken': async ({ entryId }) => certificates.keyToken(entryId),
    'download.run': async (input, context) => certificates.download(input, (event) => context.emit('download.onDidProgress', event)),
    'download.tokenCertificates': async ({ library, tokenSerial }) => tokenCertificates.list(await drivers.require(library), tokenSerial),
    'download.removeTokenCertificate': async ({ library, fingerprint, ...login }) => tokenCertificates.remove(await drivers.require(library), login, fingerprint),
    'request.discard': async (input) => discards.discard('entryId' in input ? input : { token: input.token, server: amsUrl }),
    'output.info': async () => ({ dir: await outputDir(), canChoose: options.ports.chooseFolder !== undefined }),
    'output.choose': async () => {
      const dir = folders.offered((await options.ports.chooseFolder?.({ title: 'Folder sertifikat / Certificate folder' })) ?? null);
      if (dir) await settings.update({ outputDir: dir });
      return dir;
    },
    // Only a folder the system dialog returned in this session, or the default: never any string the renderer sends.
    'output.set': async ({ dir }) => {
      const chosen = await folders.require(dir, defaultOutputDir(options.ports.documentsDir));
      await settings.update({ outputDir: chosen });
      return { dir: chosen };
    },
    'output.open': async () => {
      const dir = await outputDir();
      await makeFolder(dir);
      await options.ports.openPath?.(dir);
      return null;
    },
    'bundle.keys': async ({ certificatePath }) => bundles.keys(certificatePath),
    'bundle.pickFile': async ({ kind }) =>
      (await options.ports.chooseFile?.({
        title: kind === 'certificate' ? 'Sertifikat / Certificate' : 'Kunci privat / Private key',
        extensions: kind === 'certificate' ? ['pem', 'crt', 'cer', 'der'] : ['pem', 'key', 'p8', 'der'],
      })) ?? null,
    'bundle.create': async (input) => bundles.create(input),
    'settings.get': async () => settingsView(await settings.get()),
    'settings.set': async (input) => {
      const before = await settings.get();
      const change = settingsChange(input);
      // The output folder follows output.set's rule: unchanged, the default, or one a folder dialog returned.
      if (change.outputDir !== undefined && change.outputDir !== (await outputDir())) await folders.require(change.outputDir, defaultOutputDir(options.ports.documentsDir));
      const next = await settings.update(change);
      if (next.proxyMode === 'manual' && !next.proxyUrl) {
        await settings.update({ proxyMode: before.proxyMode, proxyUrl: before.proxyUrl });
        throw new AppError('INPUT_INVALID', { detail: 'proxyUrl' });
      }
      const restartNeeded = (['amsUrl', 'proxyMode', 'proxyUrl', 'trustSystemCa'] as const).some((key) => before[key] !== next[key]);
      return { ...(await settingsView(next)), restartNeeded };
    },
    'demo.newRequest': async () => {
      if (!mock) throw new AppError('DEMO_UNAVAILABLE');
      const { token } = await mock.mintToken(DEMO_EMAIL);
      await options.ports.writeClipboard(token);
      return { token, email: DEMO_EMAIL };
    },
  };

  async function settingsView(s: Settings) {
    return {
      amsUrl: s.amsUrl ?? null,
      amsUrlFromEnv: options.amsUrl ?? null,
      language: s.language ?? 'id',
      outputDir: await outputDir(),
      proxyMode: s.proxyMode ?? 'system',
      proxyUrl: s.proxyUrl ?? null,
      trustSystemCa: s.trustSystemCa ?? true,
    } as const;
  }

  return {
    dispatch: createDispatch(handlers),
    amsUrl,
    close: async () => {
      await Promise.all([tokens.close(), crypto.close()]);
      ledger.close();
    },
  };
}

/** The settings view's input as a settings change: addresses parsed and normalised, null clears. */
function settingsChange(input: Input<'settings.set'>): Partial<Settings> {
  const url = (value: string, what: string) => {
    let parsed: URL;
    try {
      parsed = new URL(value);
    } catch {
      throw new AppError('INPUT_INVALID', { detail: what });
    }
    if (parsed.protocol !== 'https:' && parsed.protocol !== 'http:') throw new AppError('INPUT_INVALID', { detail: what });
    return parsed.href.replace(/\/$/, '');
  };
  const change: Partial<Settings> = {};
  if (input.amsUrl !== undefined) change.amsUrl = input.amsUrl === null ? undefined : url(input.amsUrl, 'amsUrl');
  if (input.proxyUrl !== undefined) change.proxyUrl = input.proxyUrl === null ? undefined : url(input.proxyUrl, 'proxyUrl');
  if (input.language !== undefined) change.language = input.language;
  if (input.proxyMode !== undefined) change.proxyMode = input.proxyMode;
  if (input.trustSystemCa !== undefined) change.trustSystemCa = input.trustSystemCa;
  if (input.outputDir !== undefined) change.outputDir = path.resolve(input.outputDir);
  return change;
}
