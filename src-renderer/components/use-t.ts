import { translate, type MessageKey } from '../i18n';
import { useLockStore } from '../store';

/** The translator for the current language. */
export function useT(): (key: MessageKey, vars?: Record<string, string>) => string {
  const lang = useLockStore((s) => s.lang);
  return (key, vars) => translate(lang, key, vars);
}
