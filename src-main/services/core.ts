import { mkdir } from 'node:fs/promises';
import path from 'node:path';
import { AppError } from '../../src/contract/errors';
import { startMockAms, type MockAms } from '../mock-ams/server';
import { AmsClient } from './ams-client';
import { createDispatch, type Dispatch, type Handlers } from './api-dispatch';
import { BundleService } from './bundle-service';
import { CertificateService } from './certificate-service';
import { defaultOutputDir } from './output-files';
import { RequestLedger } from './request-ledger';
import { RequestService } from './request-service';
import { presentDrivers } from './pkcs11/driver-catalogue';
import { TokenService } from './pkcs11/token-service';
import { SettingsStore } from './settings';
import { OfferedFolders, OfferedPaths } from './offered-paths';
import { TokenVault } from './token-vault';

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
  /** The user's documents folder, where the shell knows it better than $HOME/Documents. */
  documentsDir?: string;
}

export interface CoreOptions {
  dataDir: string;
  /** A real AMS; when absent the embedded mock AMS is started and used. */
  amsUrl?: string;
  version: string;
  ports: ShellPorts;
  vault?: TokenVault;
  /** Token calls; a worker thread unless a test says otherwise. */
  tokens?: TokenService;
}

export interface Core {
  dispatch: Dispatch;
  amsUrl: string;
  mock: MockAms | undefined;
  close(): Promise<void>;
}

export const DEMO_EMAIL = 'maman@instansi.go.id';

/** The composition root shared by every shell: services wired by hand. */
export async function startCore(options: CoreOptions): Promise<Core> {
  const mock = options.amsUrl
    ? undefined
    : await startMockAms({ dataDir: path.join(options.dataDir, 'mock-ams'), autoApprove: true });
  const amsUrl = options.amsUrl ?? mock!.url;
  const vault = options.vault ?? (await TokenVault.open());
  const tokens = options.tokens ?? new TokenService();
  const settings = SettingsStore.inDataDir(options.dataDir);
  const ledger = RequestLedger.inDataDir(options.dataDir);
  const ams = new AmsClient(amsUrl);
  const amsFor = (server: string) => (server === amsUrl ? ams : new AmsClient(server));
  // What the renderer may name: the catalogue's drivers, the remembered choice, and what the system dialogs returned.
  const drivers = new OfferedPaths('PKCS11_DRIVER_NOT_ALLOWED', async () => [...presentDrivers().map((d) => d.path), ...[(await settings.get()).pkcs11Library ?? []].flat()]);
  const folders = new OfferedFolders();
  const outputDir = async () => (await settings.get()).outputDir ?? defaultOutputDir(options.ports.documentsDir);
  const certificates = new CertificateService({ ledger, vault, tokens, amsFor, outputDir });
  const bundles = new BundleService({
    ledger,
    outputDir,
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

  const handlers: Handlers = {
    'app.info': async () => ({
      version: options.version,
      amsUrl,
      mockAms: mock !== undefined,
      dataDir: options.dataDir,
      tokenStorage: vault.storage,
      canBrowse: options.ports.chooseFile !== undefined,
    }),
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
        drivers: presentDrivers(),
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
    'ledger.refresh': async () => certificates.refresh(),
    'download.findToken': async ({ token }) => certificates.findByToken(token, amsUrl),
    'download.keyToken': async ({ entryId }) => certificates.keyToken(entryId),
    'download.run': async (input, context) => certificates.download(input, (event) => context.emit('download.onDidProgress', event)),
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
      await mkdir(dir, { recursive: true });
      await options.ports.openPath?.(dir);
      return null;
    },
    'bundle.keys': async () => bundles.keys(),
    'bundle.pickFile': async ({ kind }) =>
      (await options.ports.chooseFile?.({
        title: kind === 'certificate' ? 'Sertifikat / Certificate' : 'Kunci privat / Private key',
        extensions: kind === 'certificate' ? ['pem', 'crt', 'cer', 'der'] : ['pem', 'key', 'p8', 'der'],
      })) ?? null,
    'bundle.create': async (input) => bundles.create(input),
    'demo.newRequest': async () => {
      if (!mock) throw new AppError('DEMO_UNAVAILABLE');
      const { token } = await mock.mintToken(DEMO_EMAIL);
      await options.ports.writeClipboard(token);
      return { token, email: DEMO_EMAIL };
    },
  };

  return {
    dispatch: createDispatch(handlers),
    amsUrl,
    mock,
    close: async () => {
      await Promise.all([mock?.close(), tokens.close()]);
    },
  };
}
