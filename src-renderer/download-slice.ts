import type { StateCreator } from 'zustand';
import type { Input, LedgerEntry } from '../src/contract/api';
import { asErrorData, call } from './lock-api';
import type { DownloadStep, LockState } from './store';

/** Tab "Download Sertifikat Elektronik": requests, their status, the download dialogs, the output folder. */
export interface DownloadSlice {
  entries: LedgerEntry[];
  outputDir: string | undefined;
  canChooseOutput: boolean;
  downloadToken: string;
  setDownloadToken(text: string): void;
  pasteDownloadToken(): Promise<void>;
  findDownloadToken(): Promise<void>;
  refreshDownloads(): Promise<void>;
  startDownload(entry: LedgerEntry): void;
  answerDownloadQuestion(usb: boolean): Promise<void>;
  submitDownloadPassword(password: string): Promise<void>;
  runDownload(input: Input<'download.run'>): Promise<void>;
  setDownloadProgress(step: DownloadStep): void;
  chooseOutputDir(): Promise<void>;
  setOutputDir(dir: string): Promise<void>;
  openOutputDir(): Promise<void>;
}

export const createDownloadSlice: StateCreator<LockState, [], [], DownloadSlice> = (set, get) => ({
  entries: [],
  outputDir: undefined,
  canChooseOutput: false,
  downloadToken: '',
  setDownloadToken: (text) => set({ downloadToken: text }),
  pasteDownloadToken: async () => {
    try {
      set({ downloadToken: await call('clipboard.readText', {}) });
    } catch (error) {
      get().showError(error);
    }
  },
  findDownloadToken: async () => {
    try {
      await call('download.findToken', { token: get().downloadToken });
      set({ downloadToken: '' });
      await get().refreshDownloads();
    } catch (error) {
      get().showError(error);
    }
  },
  refreshDownloads: async () => {
    try {
      const [entries, output] = await Promise.all([call('ledger.refresh', {}), call('output.info', {})]);
      set({ entries, outputDir: output.dir, canChooseOutput: output.canChoose });
    } catch (error) {
      get().showError(error);
    }
  },
  startDownload: (entry) => set({ dialog: { kind: 'dlQuestion', entry } }),
  answerDownloadQuestion: async (usb) => {
    const dialog = get().dialog;
    if (dialog.kind !== 'dlQuestion') return;
    const { entry } = dialog;
    if (usb !== (entry.keyStore === 'pkcs11')) {
      return set({ dialog: { kind: 'error', error: { code: entry.keyStore === 'file' ? 'EXISTING_KEY_IN_FILE' : 'EXISTING_KEY_ON_TOKEN' } } });
    }
    if (!usb) return set({ dialog: { kind: 'dlPassword', entry } });
    try {
      const { library, token } = await call('download.keyToken', { entryId: entry.id });
      set({ dialog: { kind: 'pin', library, token, purpose: { kind: 'download', entryId: entry.id } } });
    } catch (error) {
      get().showError(error);
    }
  },
  submitDownloadPassword: async (password) => {
    const dialog = get().dialog;
    if (dialog.kind !== 'dlPassword') return;
    await get().runDownload({ entryId: dialog.entry.id, keyStore: 'file', password });
    const after = get().dialog;
    // A wrong passphrase goes back to the passphrase dialog.
    if (after.kind === 'error' && after.error.code === 'KEY_PASSWORD_INCORRECT') set({ dialog: { ...dialog, error: after.error } });
  },
  runDownload: async (input) => {
    set({ dialog: { kind: 'dlProgress', step: 'fetch' } });
    try {
      const result = await call('download.run', input);
      set({ dialog: { kind: 'dlSuccess', result } });
    } catch (error) {
      set({ dialog: { kind: 'error', error: asErrorData(error) } });
    }
    await get().refreshDownloads();
  },
  setDownloadProgress: (step) => {
    if (get().dialog.kind === 'dlProgress') set({ dialog: { kind: 'dlProgress', step } });
  },
  chooseOutputDir: async () => {
    try {
      const dir = await call('output.choose', {});
      if (dir) set({ outputDir: dir });
    } catch (error) {
      get().showError(error);
    }
  },
  setOutputDir: async (dir) => {
    try {
      set({ outputDir: (await call('output.set', { dir })).dir });
    } catch (error) {
      get().showError(error);
    }
  },
  openOutputDir: async () => {
    await call('output.open', {}).catch((error: unknown) => get().showError(error));
  },
});
