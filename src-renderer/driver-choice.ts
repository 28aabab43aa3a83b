import type { Driver } from './store';

/** The driver the dialog starts on: the one remembered, else the first that sees a token now, else the first found. */
export function preselectDriver(drivers: readonly Driver[], chosen: string | undefined): string {
  return chosen ?? (drivers.find((d) => d.tokens?.length) ?? drivers[0])?.path ?? '';
}
