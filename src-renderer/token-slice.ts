import type { StateCreator } from 'zustand';
import type { Input, TokenInfo } from '../src/contract/api';
import type { ErrorData } from '../src/contract/errors';
import { asErrorData, call } from './lock-api';
import type { LockState } from './store';

type KeyBits = 2048 | 3072 | 4096;

/** The "Yes" path (key on a USB token) and the submission both paths share. */
export interface TokenSlice {
  openTokenPath(): Promise<void>;
  openDriverDialog(error?: ErrorData): Promise<void>;
  chooseDriver(library: string): Promise<void>;
  browseDriver(): Promise<void>;
  refreshTokens(): Promise<void>;
  selectToken(serial: string): void;
  setKeyBits(bits: KeyBits): void;
  confirmToken(): void;
  submitTokenKey(login: { pin?: string; newPin?: string; confirmFinalTry?: boolean }): Promise<void>;
  runSubmit(input: Input<'request.submit'>): Promise<void>;
}

/** Token refusals no retry can fix. */
export const BLOCKING = new Set(['TOKEN_EXPIRED', 'TOKEN_ALREADY_USED', 'TOKEN_UNKNOWN']);

const PIN_ERRORS = new Set(['PKCS11_PIN_INCORRECT', 'PKCS11_PIN_NEARLY_LOCKED', 'PKCS11_PIN_FINAL_TRY', 'PKCS11_PIN_MUST_CHANGE', 'PKCS11_PIN_INVALID', 'PKCS11_PIN_LOCKED']);

/** Keep the user's choice while the token is still there; otherwise the first usable token. */
function preselect(tokens: TokenInfo[], previous: string | undefined): string | undefined {
  if (previous && tokens.some((t) => t.serial === previous)) return previous;
  return (tokens.find((t) => !t.pinLocked) ?? tokens[0])?.serial;
}

export const createTokenSlice: StateCreator<LockState, [], [], TokenSlice> = (set, get) => ({
  openTokenPath: async () => {
    try {
      const { chosen } = await call('pkcs11.drivers', {});
      if (!chosen) return await get().openDriverDialog();
      const tokens = await call('pkcs11.tokens', { library: chosen });
      set({ dialog: { kind: 'tokenPicker', library: chosen, tokens, selected: preselect(tokens, undefined), keyBits: 2048 } });
    } catch (error) {
      // The remembered driver no longer loads: let the user choose again, saying why.
      await get().openDriverDialog(asErrorData(error));
    }
  },
  openDriverDialog: async (error) => {
    try {
      const { drivers, chosen, canBrowse } = await call('pkcs11.drivers', {});
      set({ dialog: { kind: 'driver', drivers, chosen, canBrowse, ...(error ? { error } : {}) } });
    } catch (failure) {
      get().showError(failure);
    }
  },
  chooseDriver: async (library) => {
    const dialog = get().dialog;
    try {
      const { tokens } = await call('pkcs11.chooseDriver', { library });
      set({ dialog: { kind: 'tokenPicker', library, tokens, selected: preselect(tokens, undefined), keyBits: 2048 } });
    } catch (error) {
      if (dialog.kind === 'driver') set({ dialog: { ...dialog, chosen: library, error: asErrorData(error) } });
      else get().showError(error);
    }
  },
  browseDriver: async () => {
    const dialog = get().dialog;
    const file = await call('pkcs11.browseDriver', {}).catch(() => null);
    if (file && dialog.kind === 'driver') set({ dialog: { ...dialog, chosen: file } });
  },
  refreshTokens: async () => {
    const dialog = get().dialog;
    if (dialog.kind !== 'tokenPicker') return;
    try {
      const tokens = await call('pkcs11.tokens', { library: dialog.library });
      const now = get().dialog;
      if (now.kind !== 'tokenPicker' || now.library !== dialog.library) return;
      const { error: _error, ...rest } = now;
      set({ dialog: { ...rest, tokens, selected: preselect(tokens, now.selected) } });
    } catch (error) {
      const now = get().dialog;
      if (now.kind === 'tokenPicker') set({ dialog: { ...now, error: asErrorData(error) } });
    }
  },
  selectToken: (serial) => {
    const dialog = get().dialog;
    if (dialog.kind === 'tokenPicker') set({ dialog: { ...dialog, selected: serial } });
  },
  setKeyBits: (bits) => {
    const dialog = get().dialog;
    if (dialog.kind === 'tokenPicker') set({ dialog: { ...dialog, keyBits: bits } });
  },
  confirmToken: () => {
    const dialog = get().dialog;
    if (dialog.kind !== 'tokenPicker') return;
    const token = dialog.tokens.find((t) => t.serial === dialog.selected);
    if (token) set({ dialog: { kind: 'pin', library: dialog.library, token, purpose: { kind: 'request', keyBits: dialog.keyBits } } });
  },
  submitTokenKey: async (login) => {
    const dialog = get().dialog;
    if (dialog.kind !== 'pin') return;
    if (dialog.purpose.kind === 'download') {
      await get().runDownload({ entryId: dialog.purpose.entryId, keyStore: 'pkcs11', ...login });
    } else {
      await get().runSubmit({
        token: get().tokenInput,
        keyStore: 'pkcs11',
        library: dialog.library,
        tokenSerial: dialog.token.serial,
        keyBits: dialog.purpose.keyBits,
        ...login,
      });
    }
    // A PIN problem goes back to the PIN dialog, with the token's flags read again.
    const after = get().dialog;
    if (after.kind === 'error' && PIN_ERRORS.has(after.error.code)) {
      const tokens = await call('pkcs11.tokens', { library: dialog.library }).catch(() => []);
      const token = tokens.find((t) => t.serial === dialog.token.serial) ?? dialog.token;
      set({ dialog: { ...dialog, token, error: after.error } });
    }
  },
  runSubmit: async (input) => {
    set({ busy: true });
    const run = get().beginRun({ kind: 'progress', step: 'lookup' });
    try {
      const result = await call('request.submit', input);
      const lookup = get().tokenInput === input.token ? get().lookup : undefined;
      if (lookup) set({ lookup: { ...lookup, status: result.entry.amsStatus ?? lookup.status, pendingLocally: false } });
      if (get().mayShow(run)) set({ dialog: { kind: 'success', result } });
    } catch (error) {
      const data = asErrorData(error);
      // AMS refused the token for good: (3) must not be offered again for it.
      if (BLOCKING.has(data.code) && get().tokenInput === input.token) set({ tokenBlocked: data });
      // A failure is never swallowed: shown unless another dialog is open (the Download tab then tells).
      if (get().mayShow(run)) get().showError(error);
    } finally {
      // A run the user stopped waiting for: the Download tab shows where it ended.
      if (get().activeRun === run) set({ activeRun: undefined });
      else void get().refreshDownloads();
      set({ busy: false });
    }
  },
});
