import path from 'node:path';
import { AppError } from '../../src/contract/errors';
import { startMockAms, type MockAms } from '../mock-ams/server';
import { AmsClient } from './ams-client';
import { createDispatch, type Dispatch, type Handlers } from './api-dispatch';
import { RequestLedger } from './request-ledger';
import { RequestService } from './request-service';
import { presentDrivers } from './pkcs11/driver-catalogue';
import { TokenService } from './pkcs11/token-service';
import { SettingsStore } from './settings';
import { TokenVault } from './token-vault';

const LIBRARY_EXTENSIONS: Partial<Record<NodeJS.Platform, string[]>> = { win32: ['dll'], darwin: ['dylib', 'so'], linux: ['so'] };

/** What a shell provides that only it can: the clipboard and quitting. */
export interface ShellPorts {
  readClipboard(): Promise<string> | string;
  writeClipboard(text: string): Promise<void> | void;
  quit(): void;
  /** The system's open-file dialog, where the shell has one; null when cancelled. */
  chooseFile?(options: { title: string; extensions: string[] }): Promise<string | null>;
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
  const requests = new RequestService({
    ams: new AmsClient(amsUrl),
    ledger: RequestLedger.inDataDir(options.dataDir),
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
    'request.submit': async (input, context) => requests.submit(input, (event) => context.emit('request.onDidProgress', event)),
    'request.status': async ({ token }) => requests.status(token),
    'ledger.list': async () => requests.list(),
    'pkcs11.drivers': async () => {
      const { pkcs11Library } = await settings.get();
      return {
        drivers: presentDrivers(),
        ...(pkcs11Library === undefined ? {} : { chosen: pkcs11Library }),
        canBrowse: options.ports.chooseFile !== undefined,
      };
    },
    'pkcs11.chooseDriver': async ({ library }) => {
      const found = await tokens.listTokens(library);
      await settings.update({ pkcs11Library: library });
      return { library, tokens: found };
    },
    'pkcs11.browseDriver': async () =>
      (await options.ports.chooseFile?.({ title: 'Driver token (PKCS#11) / Token driver', extensions: LIBRARY_EXTENSIONS[process.platform] ?? ['so'] })) ?? null,
    'pkcs11.tokens': async ({ library }) => tokens.listTokens(library),
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
