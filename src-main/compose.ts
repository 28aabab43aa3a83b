import path from 'node:path';
import { startOnStablePort } from './mock-ams/embedded-port';
import { startMockThread, type EmbeddedMock, type MockWorkerOptions } from './mock-ams/mock-thread';
import { startCore, type Core, type CoreOptions } from './services/core';
import { SettingsStore } from './services/settings';

export interface ComposeOptions extends Omit<CoreOptions, 'embedded'> {
  /** The embedded mock's port: 'stable' (saved in its data folder; the app) or a number (0: any free port; tests). */
  mockPort?: 'stable' | number;
  /** Where the mock runs: a worker thread unless the shell has a better place (Electron: a utility process). */
  startMock?: (options: MockWorkerOptions) => Promise<EmbeddedMock>;
  /** Where the shell shows warnings (a taken mock port); the console by default. */
  warn?: (message: string) => void;
}

export interface ComposedApp {
  core: Core;
  /** The embedded mock AMS, when no AMS is set. */
  mock: EmbeddedMock | undefined;
  close(): Promise<void>;
}

/**
 * What every shell does at start: the embedded mock AMS first — only when no
 * AMS is set (LOCK_AMS_URL, or the server saved in the settings view) — then
 * the core, pointed at it. Services never start a server.
 */
export async function composeApp(options: ComposeOptions): Promise<ComposedApp> {
  const { mockPort = 0, startMock = startMockThread, warn, ...coreOptions } = options;
  const server = options.amsUrl ?? (await SettingsStore.inDataDir(options.dataDir).get()).amsUrl;
  const mockDir = path.join(options.dataDir, 'mock-ams');
  const start = (port: number) => startMock({ dataDir: mockDir, autoApprove: true, port });
  const mock = server ? undefined : mockPort === 'stable' ? await startOnStablePort(mockDir, start, warn) : await start(mockPort);
  try {
    const core = await startCore({ ...coreOptions, ...(mock ? { embedded: mock } : {}) });
    return {
      core,
      mock,
      close: async () => {
        await core.close();
        await mock?.close();
      },
    };
  } catch (error) {
    await mock?.close();
    throw error;
  }
}
