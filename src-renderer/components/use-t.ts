import { translate, type MessageKey } from '../../src/i18n/catalogue';
import { isWindowKey, translateWindow, type WindowKey } from '../../src/i18n/window-catalogue';
import { useLockStore } from '../store';

export type Key = MessageKey | WindowKey;

/** The translator for the current language: LOCK's labels and the window's own words. */
export function useT(): (key: Key, vars?: Record<string, string>) => string {
  const lang = useLockStore((s) => s.lang);
  return (key, vars) => (isWindowKey(key) ? translateWindow(lang, key, vars) : translate(lang, key, vars));
}
