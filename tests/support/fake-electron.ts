/**
 * A stand-in for the 'electron' module, for tests of the shell on machines
 * without an Electron binary. It records what the shell asks of Electron so
 * tests can check the window options, the protocol, the IPC handlers and the
 * security hooks; it implements no Electron behaviour of its own, except
 * utilityProcess.fork, which runs the module as a real child process.
 */
import { fork, type Serializable } from 'node:child_process';
import { EventEmitter } from 'node:events';
import path from 'node:path';

type Listener = (...args: unknown[]) => unknown;

export const recorded = {
  privilegedSchemes: [] as unknown[],
  protocolHandlers: new Map<string, (request: Request) => Promise<Response>>(),
  ipcHandlers: new Map<string, Listener>(),
  windows: [] as FakeBrowserWindow[],
  appListeners: new Map<string, Listener[]>(),
  permissionRequestHandler: undefined as Listener | undefined,
  permissionCheckHandler: undefined as Listener | undefined,
  exposed: new Map<string, unknown>(),
  invoked: [] as unknown[][],
  rendererListeners: new Map<string, Listener[]>(),
  clipboard: '',
  quitCalls: 0,
  userData: '',
  menu: undefined as { template: unknown } | undefined,
  messageBoxes: [] as unknown[][],
  sent: [] as unknown[][],
  resolveProxyAnswer: 'DIRECT',
  notifications: [] as { title: string; body: string }[],
  utilityProcesses: [] as { modulePath: string; args: string[]; options: { serviceName?: string }; pid: number | undefined }[],
};

let nextId = 1;

export class FakeBrowserWindow {
  readonly webContents = { id: nextId++, send: (...args: unknown[]) => void recorded.sent.push(args), isDestroyed: () => false };
  loadedUrl = '';
  constructor(readonly options: Record<string, unknown>) {
    recorded.windows.push(this);
  }
  once(): this {
    return this;
  }
  async loadURL(url: string): Promise<void> {
    this.loadedUrl = url;
  }
  isMinimized(): boolean {
    return false;
  }
  restore(): void {}
  focus(): void {}
  show(): void {}
}

export const BrowserWindow = Object.assign(FakeBrowserWindow, { getFocusedWindow: () => recorded.windows[0] ?? null });

export const dialog = {
  showOpenDialog: async () => ({ canceled: true, filePaths: [] as string[] }),
  showMessageBox: async (...args: unknown[]) => {
    recorded.messageBoxes.push(args);
    return { response: 1 };
  },
};

export const nativeImage = { createFromPath: (file: string) => ({ file }) };

export const app = {
  requestSingleInstanceLock: () => true,
  whenReady: async () => {},
  on: (event: string, listener: Listener) => {
    recorded.appListeners.set(event, [...(recorded.appListeners.get(event) ?? []), listener]);
  },
  emit: (event: string, ...args: unknown[]) => (recorded.appListeners.get(event) ?? []).map((l) => l(...args)),
  getPath: () => recorded.userData,
  getVersion: () => '0.0.0-test',
  isPackaged: false,
  quit: () => {
    recorded.quitCalls++;
  },
};

export const protocol = {
  registerSchemesAsPrivileged: (schemes: unknown[]) => recorded.privilegedSchemes.push(...schemes),
  handle: (scheme: string, handler: (request: Request) => Promise<Response>) => recorded.protocolHandlers.set(scheme, handler),
};

export const ipcMain = {
  handle: (channel: string, listener: Listener) => recorded.ipcHandlers.set(channel, listener),
};

export const session = {
  defaultSession: {
    setPermissionRequestHandler: (handler: Listener) => (recorded.permissionRequestHandler = handler),
    setPermissionCheckHandler: (handler: Listener) => (recorded.permissionCheckHandler = handler),
    resolveProxy: async () => recorded.resolveProxyAnswer,
  },
};

export const clipboard = {
  readText: () => recorded.clipboard,
  writeText: (text: string) => (recorded.clipboard = text),
};

export const Menu = {
  buildFromTemplate: (template: unknown) => ({ template }),
  setApplicationMenu: (menu: { template: unknown }) => (recorded.menu = menu),
};
export class Notification {
  static isSupported = () => true;
  constructor(private readonly options: { title: string; body: string }) {}
  show(): void {
    recorded.notifications.push({ title: this.options.title, body: this.options.body });
  }
}
export const shell = { openPath: async () => '', openExternal: async () => {} };

export const contextBridge = {
  exposeInMainWorld: (key: string, api: unknown) => recorded.exposed.set(key, api),
};

export const ipcRenderer = {
  invoke: async (...args: unknown[]) => {
    recorded.invoked.push(args);
    return { ok: true, value: null };
  },
  on: (channel: string, listener: Listener) => recorded.rendererListeners.set(channel, [...(recorded.rendererListeners.get(channel) ?? []), listener]),
  removeListener: (channel: string, listener: Listener) =>
    recorded.rendererListeners.set(channel, (recorded.rendererListeners.get(channel) ?? []).filter((l) => l !== listener)),
};

export default { app, BrowserWindow, dialog, nativeImage, protocol, ipcMain, session, clipboard, Menu, Notification, shell, contextBridge, ipcRenderer };

/**
 * utilityProcess.fork as a Node child process: Electron gives a utility
 * process `process.parentPort` (messages arrive as events with `.data`); the
 * preload below gives the child the same over Node's IPC channel.
 */
const PARENT_PORT_PRELOAD = path.resolve('tests/support/utility-parent-port.cjs');
export const utilityProcess = {
  fork: (modulePath: string, args: string[] = [], options: { serviceName?: string } = {}) => {
    const child = fork(modulePath, args, { execArgv: ['--require', PARENT_PORT_PRELOAD], stdio: 'inherit' });
    recorded.utilityProcesses.push({ modulePath, args, options, pid: child.pid });
    const events = new EventEmitter();
    child.on('message', (message) => events.emit('message', message));
    child.on('exit', (code) => events.emit('exit', code ?? 0));
    return Object.assign(events, { pid: child.pid, postMessage: (message: unknown) => void child.send(message as Serializable), kill: () => child.kill() });
  },
};
