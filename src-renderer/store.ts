import { create, type StateCreator } from 'zustand';
import type { AppInfo, LedgerEntry, LookupResult, Output, TokenInfo } from '../src/contract/api';
import type { ErrorData, Lang } from '../src/contract/errors';
import { asErrorData, call } from './lock-api';
import { createDownloadSlice, type DownloadSlice } from './download-slice';
import { BLOCKING, createTokenSlice, type TokenSlice } from './token-slice';

export type Tab = 'request' | 'download' | 'bundle';
export type Step = 'lookup' | 'keygen' | 'csr' | 'upload' | 'done';
export type Driver = Output<'pkcs11.drivers'>['drivers'][number];

/** The request tab walks through LOCK's dialogs in this order. */
export type Dialog =
  | { kind: 'none' }
  | { kind: 'question'; hint?: 'file' | 'token'; label?: string }
  | { kind: 'password'; resend: boolean }
  | { kind: 'driver'; drivers: Driver[]; chosen: string | undefined; canBrowse: boolean; error?: ErrorData }
  | { kind: 'tokenPicker'; library: string; tokens: TokenInfo[]; selected: string | undefined; keyBits: 2048 | 3072 | 4096; error?: ErrorData }
  | { kind: 'pin'; library: string; token: TokenInfo; purpose: PinPurpose; error?: ErrorData }
  | { kind: 'progress'; step: Step }
  | { kind: 'success'; result: Output<'request.submit'> }
  | { kind: 'dlQuestion'; entry: LedgerEntry; hint?: boolean }
  | { kind: 'dlPassword'; entry: LedgerEntry; error?: ErrorData }
  | { kind: 'dlProgress'; step: DownloadStep }
  | { kind: 'dlSuccess'; result: Output<'download.run'> }
  | { kind: 'stopped'; what: 'request' | 'download' }
  | { kind: 'error'; error: ErrorData };

/** What a PIN is for: a new key for a request, or storing a downloaded certificate. */
export type PinPurpose = { kind: 'request'; keyBits: 2048 | 3072 | 4096 } | { kind: 'download'; entryId: string };
export type DownloadStep = 'fetch' | 'verify' | 'write' | 'done';

/** A network step the user is waiting for, shown as "Menghubungi AMS…" with Batal. */
export type WaitKind = 'lookup' | 'find' | 'refresh';
export const CANCELLED = Symbol('cancelled');

interface AppSlice {
  lang: Lang;
  tab: Tab;
  info: AppInfo | undefined;
  notice: string | undefined;
  wait: { kind: WaitKind; id: number } | undefined;
  /** The submission or download whose progress dialog is on screen; cleared by "stop waiting". */
  activeRun: number | undefined;
  /** Opens the progress dialog of a new run and returns its number. */
  beginRun(dialog: Dialog): number;
  /** Whether a run's result may be shown now: its own progress is on screen, or nothing else is open. */
  mayShow(run: number): boolean;
  /** The progress dialog's "Berhenti menunggu": the run goes on in the main process; its result comes later. */
  stopWaiting(): void;
  /** The last wait the user dismissed, said once beside its button. */
  dismissed: WaitKind | undefined;
  /** Runs a network step visibly; resolves to CANCELLED when the user pressed Batal meanwhile. */
  waitFor<T>(kind: WaitKind, run: () => Promise<T>): Promise<T | typeof CANCELLED>;
  cancelWait(): void;
  setLang(lang: Lang): void;
  setTab(tab: Tab): void;
  loadInfo(): Promise<void>;
  newDemoRequest(): Promise<void>;
}

interface RequestSlice {
  tokenInput: string;
  lookup: LookupResult | undefined;
  /** The token was refused for good (expired, used, unknown): (3) is no longer offered. */
  tokenBlocked: ErrorData | undefined;
  busy: boolean;
  dialog: Dialog;
  setTokenInput(text: string): void;
  paste(): Promise<void>;
  continueWithToken(): Promise<void>;
  startGenerate(): void;
  answerUsbQuestion(usb: boolean): void;
  submitFileKey(password: string, passwordConfirm: string): Promise<void>;
  setProgress(step: Step): void;
  showError(error: unknown): void;
  closeDialog(): void;
}

export type LockState = AppSlice & RequestSlice & TokenSlice & DownloadSlice;

let waitSeq = 0;
let runSeq = 0;

const createAppSlice: StateCreator<LockState, [], [], AppSlice> = (set, get) => ({
  lang: 'id',
  tab: 'request',
  info: undefined,
  notice: undefined,
  wait: undefined,
  activeRun: undefined,
  beginRun: (dialog) => {
    const run = ++runSeq;
    set({ activeRun: run, dialog });
    return run;
  },
  mayShow: (run) => {
    const { activeRun, dialog } = get();
    return activeRun === run || (activeRun === undefined && (dialog.kind === 'none' || dialog.kind === 'stopped'));
  },
  stopWaiting: () => {
    const { dialog } = get();
    if (dialog.kind !== 'progress' && dialog.kind !== 'dlProgress') return;
    set({ activeRun: undefined, dialog: { kind: 'stopped', what: dialog.kind === 'progress' ? 'request' : 'download' } });
  },
  dismissed: undefined,
  waitFor: async (kind, run) => {
    const id = ++waitSeq;
    set({ wait: { kind, id }, dismissed: undefined });
    try {
      const value = await run();
      return get().wait?.id === id ? value : CANCELLED;
    } catch (error) {
      if (get().wait?.id !== id) return CANCELLED;
      throw error;
    } finally {
      if (get().wait?.id === id) set({ wait: undefined });
    }
  },
  // The call itself ends at the network layer's deadline; its late answer is ignored.
  cancelWait: () => set((s) => ({ wait: undefined, dismissed: s.wait?.kind })),
  setLang: (lang) => {
    set({ lang });
    void call('app.setLanguage', { lang }).catch(() => undefined);
  },
  setTab: (tab) => {
    set({ tab });
    if (tab === 'download') void get().refreshDownloads();
  },
  loadInfo: async () => {
    const info = await call('app.info', {});
    set({ info, ...(info.language ? { lang: info.language } : {}) });
  },
  // Busy until the new token is on the clipboard: Paste pressed sooner would read the previous one.
  // The button itself stays enabled (disabling it would drop keyboard focus); a second press meanwhile is ignored.
  newDemoRequest: async () => {
    if (get().busy) return;
    // The previous demo's "copied, press Paste" is no longer true until this one is copied.
    set({ busy: true, notice: undefined });
    try {
      await call('demo.newRequest', {});
      set({ notice: 'demo' });
    } catch (error) {
      get().showError(error);
    } finally {
      set({ busy: false });
    }
  },
});

const createRequestSlice: StateCreator<LockState, [], [], RequestSlice> = (set, get) => ({
  tokenInput: '',
  lookup: undefined,
  tokenBlocked: undefined,
  busy: false,
  dialog: { kind: 'none' },
  // A changed token invalidates the data shown for the old one.
  setTokenInput: (text) => set({ tokenInput: text, lookup: undefined, tokenBlocked: undefined }),
  paste: async () => {
    try {
      get().setTokenInput(await call('clipboard.readText', {}));
    } catch (error) {
      get().showError(error);
    }
  },
  continueWithToken: async () => {
    set({ lookup: undefined, tokenBlocked: undefined });
    try {
      const lookup = await get().waitFor('lookup', () => call('request.lookup', { token: get().tokenInput }));
      if (lookup !== CANCELLED) set({ lookup });
    } catch (error) {
      const data = asErrorData(error);
      if (BLOCKING.has(data.code)) set({ tokenBlocked: data });
      get().showError(error);
    }
  },
  startGenerate: () => set({ dialog: { kind: 'question' } }),
  answerUsbQuestion: (usb) => {
    const pending = get().lookup?.pendingKeyStore;
    // A key made earlier decides: explain in the question itself rather than fail.
    if (pending === 'file' && usb) return set({ dialog: { kind: 'question', hint: 'file' } });
    if (pending === 'pkcs11' && !usb) return set({ dialog: { kind: 'question', hint: 'token' } });
    if (usb) void get().openTokenPath();
    else set({ dialog: { kind: 'password', resend: pending === 'file' } });
  },
  submitFileKey: async (password, passwordConfirm) => {
    await get().runSubmit({ token: get().tokenInput, keyStore: 'file', password, passwordConfirm });
  },
  setProgress: (step) => {
    if (get().dialog.kind === 'progress') set({ dialog: { kind: 'progress', step } });
  },
  showError: (error) => set({ dialog: { kind: 'error', error: asErrorData(error) } }),
  closeDialog: () => set({ dialog: { kind: 'none' } }),
});

export const useLockStore = create<LockState>()((...a) => ({
  ...createAppSlice(...a),
  ...createRequestSlice(...a),
  ...createTokenSlice(...a),
  ...createDownloadSlice(...a),
}));
