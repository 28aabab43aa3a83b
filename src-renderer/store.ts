import { create, type StateCreator } from 'zustand';
import type { AppInfo, LedgerEntry, LookupResult, Output } from '../src/contract/api';
import type { ErrorData, Lang } from '../src/contract/errors';
import { asErrorData, call } from './lock-api';

export type Tab = 'request' | 'download' | 'bundle';
export type Step = 'lookup' | 'keygen' | 'csr' | 'upload' | 'done';

/** The request tab walks through LOCK's dialogs in this order. */
export type Dialog =
  | { kind: 'none' }
  | { kind: 'question' }
  | { kind: 'password'; resend: boolean }
  | { kind: 'progress'; step: Step }
  | { kind: 'success'; result: Output<'request.submit'> }
  | { kind: 'error'; error: ErrorData };

interface AppSlice {
  lang: Lang;
  tab: Tab;
  info: AppInfo | undefined;
  notice: string | undefined;
  setLang(lang: Lang): void;
  setTab(tab: Tab): void;
  loadInfo(): Promise<void>;
  newDemoRequest(): Promise<void>;
}

interface RequestSlice {
  tokenInput: string;
  lookup: LookupResult | undefined;
  busy: boolean;
  dialog: Dialog;
  setTokenInput(text: string): void;
  paste(): Promise<void>;
  continueWithToken(): Promise<void>;
  startGenerate(): void;
  answerUsbQuestion(usb: boolean): void;
  submit(password: string, passwordConfirm: string): Promise<void>;
  setProgress(step: Step): void;
  closeDialog(): void;
}

interface LedgerSlice {
  entries: LedgerEntry[];
  loadEntries(): Promise<void>;
}

export type LockState = AppSlice & RequestSlice & LedgerSlice;

const createAppSlice: StateCreator<LockState, [], [], AppSlice> = (set, get) => ({
  lang: 'id',
  tab: 'request',
  info: undefined,
  notice: undefined,
  setLang: (lang) => set({ lang }),
  setTab: (tab) => {
    set({ tab });
    if (tab === 'download') void get().loadEntries();
  },
  loadInfo: async () => set({ info: await call('app.info', {}) }),
  newDemoRequest: async () => {
    try {
      await call('demo.newRequest', {});
      set({ notice: 'demo' });
    } catch (error) {
      set({ dialog: { kind: 'error', error: asErrorData(error) } });
    }
  },
});

const createRequestSlice: StateCreator<LockState, [], [], RequestSlice> = (set, get) => ({
  tokenInput: '',
  lookup: undefined,
  busy: false,
  dialog: { kind: 'none' },
  // A changed token invalidates the data shown for the old one.
  setTokenInput: (text) => set({ tokenInput: text, lookup: undefined }),
  paste: async () => {
    try {
      get().setTokenInput(await call('clipboard.readText', {}));
    } catch (error) {
      set({ dialog: { kind: 'error', error: asErrorData(error) } });
    }
  },
  continueWithToken: async () => {
    set({ busy: true, lookup: undefined });
    try {
      set({ lookup: await call('request.lookup', { token: get().tokenInput }) });
    } catch (error) {
      set({ dialog: { kind: 'error', error: asErrorData(error) } });
    } finally {
      set({ busy: false });
    }
  },
  startGenerate: () => set({ dialog: { kind: 'question' } }),
  answerUsbQuestion: (usb) => {
    if (usb) set({ dialog: { kind: 'error', error: { code: 'KEYSTORE_UNSUPPORTED' } } });
    else set({ dialog: { kind: 'password', resend: get().lookup?.pendingLocally ?? false } });
  },
  submit: async (password, passwordConfirm) => {
    set({ busy: true, dialog: { kind: 'progress', step: 'lookup' } });
    try {
      const result = await call('request.submit', { token: get().tokenInput, keyStore: 'file', password, passwordConfirm });
      const lookup = get().lookup;
      set({
        dialog: { kind: 'success', result },
        lookup: lookup && { ...lookup, status: result.entry.amsStatus ?? lookup.status, pendingLocally: false },
      });
    } catch (error) {
      set({ dialog: { kind: 'error', error: asErrorData(error) } });
    } finally {
      set({ busy: false });
    }
  },
  setProgress: (step) => {
    if (get().dialog.kind === 'progress') set({ dialog: { kind: 'progress', step } });
  },
  closeDialog: () => set({ dialog: { kind: 'none' } }),
});

const createLedgerSlice: StateCreator<LockState, [], [], LedgerSlice> = (set) => ({
  entries: [],
  loadEntries: async () => set({ entries: await call('ledger.list', {}) }),
});

export const useLockStore = create<LockState>()((...a) => ({
  ...createAppSlice(...a),
  ...createRequestSlice(...a),
  ...createLedgerSlice(...a),
}));
