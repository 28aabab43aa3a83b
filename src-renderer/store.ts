import { create, type StateCreator } from 'zustand';
import type { AppInfo, LedgerEntry, LookupResult, Output, TokenInfo } from '../src/contract/api';
import type { ErrorData, Lang } from '../src/contract/errors';
import { asErrorData, call } from './lock-api';
import { createDownloadSlice, type DownloadSlice } from './download-slice';
import { createTokenSlice, type TokenSlice } from './token-slice';

export type Tab = 'request' | 'download' | 'bundle';
export type Step = 'lookup' | 'keygen' | 'csr' | 'upload' | 'done';
export type Driver = Output<'pkcs11.drivers'>['drivers'][number];

/** The request tab walks through LOCK's dialogs in this order. */
export type Dialog =
  | { kind: 'none' }
  | { kind: 'question' }
  | { kind: 'password'; resend: boolean }
  | { kind: 'driver'; drivers: Driver[]; chosen: string | undefined; canBrowse: boolean; error?: ErrorData }
  | { kind: 'tokenPicker'; library: string; tokens: TokenInfo[]; selected: string | undefined; keyBits: 2048 | 3072 | 4096; error?: ErrorData }
  | { kind: 'pin'; library: string; token: TokenInfo; purpose: PinPurpose; error?: ErrorData }
  | { kind: 'progress'; step: Step }
  | { kind: 'success'; result: Output<'request.submit'> }
  | { kind: 'dlQuestion'; entry: LedgerEntry }
  | { kind: 'dlPassword'; entry: LedgerEntry; error?: ErrorData }
  | { kind: 'dlProgress'; step: DownloadStep }
  | { kind: 'dlSuccess'; result: Output<'download.run'> }
  | { kind: 'error'; error: ErrorData };

/** What a PIN is for: a new key for a request, or storing a downloaded certificate. */
export type PinPurpose = { kind: 'request'; keyBits: 2048 | 3072 | 4096 } | { kind: 'download'; entryId: string };
export type DownloadStep = 'fetch' | 'verify' | 'write' | 'done';

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
  submitFileKey(password: string, passwordConfirm: string): Promise<void>;
  setProgress(step: Step): void;
  showError(error: unknown): void;
  closeDialog(): void;
}

export type LockState = AppSlice & RequestSlice & TokenSlice & DownloadSlice;

const createAppSlice: StateCreator<LockState, [], [], AppSlice> = (set, get) => ({
  lang: 'id',
  tab: 'request',
  info: undefined,
  notice: undefined,
  setLang: (lang) => set({ lang }),
  setTab: (tab) => {
    set({ tab });
    if (tab === 'download') void get().refreshDownloads();
  },
  loadInfo: async () => set({ info: await call('app.info', {}) }),
  newDemoRequest: async () => {
    try {
      await call('demo.newRequest', {});
      set({ notice: 'demo' });
    } catch (error) {
      get().showError(error);
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
      get().showError(error);
    }
  },
  continueWithToken: async () => {
    set({ busy: true, lookup: undefined });
    try {
      set({ lookup: await call('request.lookup', { token: get().tokenInput }) });
    } catch (error) {
      get().showError(error);
    } finally {
      set({ busy: false });
    }
  },
  startGenerate: () => set({ dialog: { kind: 'question' } }),
  answerUsbQuestion: (usb) => {
    const pending = get().lookup?.pendingKeyStore;
    // A key made earlier decides: say so now rather than after the PIN or password.
    if (pending === 'file' && usb) return set({ dialog: { kind: 'error', error: { code: 'EXISTING_KEY_IN_FILE' } } });
    if (pending === 'pkcs11' && !usb) return set({ dialog: { kind: 'error', error: { code: 'EXISTING_KEY_ON_TOKEN' } } });
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
