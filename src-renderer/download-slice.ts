import type { StateCreator } from 'zustand';
import type { Input, LedgerEntry } from '../src/contract/api';
import type { ErrorData } from '../src/contract/errors';
import { asErrorData, call } from './lock-api';
import { CANCELLED, type DownloadStep, type LockState } from './store';

/** Tab "Download Sertifikat Elektronik": requests, their status, the download dialogs, the output folder. */
export interface DownloadSlice {
  entries: LedgerEntry[];
  /** When the statuses were last read from AMS, and why the last try failed. */
  refreshedAt: Date | undefined;
  refreshError: ErrorData | undefined;
  /** Refreshes under way (the tab says aria-busy meanwhile). */
  refreshing: number;
  outputDir: string | undefined;
  canChooseOutput: boolean;
  downloadToken: string;
  setDownloadToken(text: string): void;
  pasteDownloadToken(): Promise<void>;
  findDownloadToken(): Promise<void>;
  /** `visible`: the user asked, so the wait shows with Batal; background refreshes stay quiet. */
  refreshDownloads(options?: { visible?: boolean }): Promise<void>;
  startDownload(entry: LedgerEntry): void;
  answerDownloadQuestion(usb: boolean): Promise<void>;
  submitDownloadPassword(password: string): Promise<void>;
  runDownload(input: Input<'download.run'>): Promise<void>;
  setDownloadProgress(step: DownloadStep): void;
  chooseOutputDir(): Promise<void>;
  setOutputDir(dir: string): Promise<void>;
  openOutputDir(): Promise<void>;
  /** A page of the configured AMS in the system browser (the H-30 reminder's renewal link). */
  openAmsPage(url: string): Promise<void>;
}

export const createDownloadSlice: StateCreator<LockState, [], [], DownloadSlice> = (set, get) => {
  // Refreshes overlap (opening the tab, the 30 s watch, after a find): the list shown is never older than one shown before.
  let started = 0;
  let shown = 0;
  return {
    entries: [],
    refreshedAt: undefined,
    refreshError: undefined,
    refreshing: 0,
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
        const found = await get().waitFor('find', () => call('download.findToken', { token: get().downloadToken }));
        if (found === CANCELLED) return;
        set({ downloadToken: '' });
        await get().refreshDownloads();
      } catch (error) {
        get().showError(error);
      }
    },
    refreshDownloads: async (options = {}) => {
      const load = () => Promise.all([call('ledger.refresh', {}), call('output.info', {})]);
      const mine = ++started;
      set((s) => ({ refreshing: s.refreshing + 1 }));
      try {
        const loaded = options.visible ? await get().waitFor('refresh', load) : await load();
        if (loaded === CANCELLED || mine < shown) return;
        shown = mine;
        const [entries, output] = loaded;
        // An entry AMS did not answer for is shown as last known, and the tab says so.
        const failed = entries.find((e) => e.refreshError)?.refreshError;
        set({
          entries,
          outputDir: output.dir,
          canChooseOutput: output.canChoose,
          refreshError: failed,
          ...(failed ? {} : { refreshedAt: new Date() }),
        });
      } catch (error) {
        if (mine >= shown) set({ refreshError: asErrorData(error) });
      } finally {
        set((s) => ({ refreshing: s.refreshing - 1 }));
      }
    },
    startDownload: (entry) => set({ dialog: { kind: 'dlQuestion', entry } }),
    answerDownloadQuestion: async (usb) => {
      const dialog = get().dialog;
      if (dialog.kind !== 'dlQuestion') return;
      const { entry } = dialog;
      // The other answer is explained in the question itself, with the right one focused.
      if (usb !== (entry.keyStore === 'pkcs11')) return set({ dialog: { kind: 'dlQuestion', entry, hint: true } });
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
      const run = get().beginRun({ kind: 'dlProgress', step: 'fetch' });
      try {
        const result = await call('download.run', input);
        if (get().mayShow(run)) set({ dialog: { kind: 'dlSuccess', result } });
      } catch (error) {
        if (get().mayShow(run)) set({ dialog: { kind: 'error', error: asErrorData(error) } });
      } finally {
        if (get().activeRun === run) set({ activeRun: undefined });
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
    openAmsPage: async (url) => {
      await call('app.openAmsPage', { url }).catch((error: unknown) => get().showError(error));
    },
  };
};
