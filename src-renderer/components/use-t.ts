import { translate, type MessageKey } from '../../src/i18n/catalogue';
import { useLockStore } from '../store';

/** The translator for the current language. */
export function useT(): (key: MessageKey, vars?: Record<string, string>) => string {
  const lang = useLockStore((s) => s.lang);
  return (key, vars) => translate(lang, key, vars);
}
