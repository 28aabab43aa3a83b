import type { TokenInfo } from '../../src/contract/api';

/** A token as the driver describes it (a logged-out token, no PIN flags raised); `over` changes what a test needs. */
export const tokenInfo = (over: Partial<TokenInfo> = {}): TokenInfo => ({
  serial: 'A1B2C3',
  label: 'ST3',
  manufacturer: 'Longmai',
  model: 'mToken',
  slotDescription: 'reader',
  loginRequired: true,
  protectedAuthPath: false,
  pinCountLow: false,
  pinFinalTry: false,
  pinLocked: false,
  pinToBeChanged: false,
  writeProtected: false,
  rsaKeySizes: [2048],
  ...over,
});
