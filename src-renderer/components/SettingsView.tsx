import { useCallback, useEffect, useState } from 'react';
import type { Output } from '../../src/contract/api';
import { errorText } from '../../src/i18n/catalogue';
import { asErrorData, call } from '../lock-api';
import { useLockStore } from '../store';
import { Modal } from './Modal';
import { useT } from './use-t';

type View = Output<'settings.get'>;
type Draft = Pick<View, 'language' | 'outputDir' | 'proxyMode' | 'trustSystemCa'> & { server: 'mock' | 'url'; amsUrl: string; proxyUrl: string };

const toDraft = (v: View): Draft => ({
  server: v.amsUrl ? 'url' : 'mock',
  amsUrl: v.amsUrl ?? '',
  language: v.language,
  outputDir: v.outputDir,
  proxyMode: v.proxyMode,
  proxyUrl: v.proxyUrl ?? '',
  trustSystemCa: v.trustSystemCa,
});

/**
 * Pengaturan: the AMS server, language, output folder and the office network
 * (proxy, OS certificate store). Opened from the title bar, or from the menu
 * LOCK → Pengaturan in the app. Network and server changes apply at the next start.
 */
export function SettingsView() {
  const t = useT();
  const { lang, setLang } = useLockStore();
  const [open, setOpen] = useState(false);
  const [saved, setSaved] = useState<View | null>(null);
  const [draft, setDraft] = useState<Draft | null>(null);
  const [message, setMessage] = useState<string | null>(null);

  const show = useCallback(async () => {
    setMessage(null);
    try {
      const view = await call('settings.get', {});
      setSaved(view);
      setDraft(toDraft(view));
      setOpen(true);
    } catch (error) {
      setMessage(errorText(useLockStore.getState().lang, asErrorData(error)));
    }
  }, []);

  // The saved language applies from the start; the menu LOCK → Pengaturan opens the view.
  useEffect(() => {
    call('settings.get', {})
      .then((view) => {
        // Unless the title-bar switch was used meanwhile (the page starts in Indonesian).
        // Shown, not saved again: a late write here could undo a switch made meanwhile.
        if (useLockStore.getState().lang === 'id') useLockStore.setState({ lang: view.language });
      })
      .catch(() => {});
    return window.lock.on('settings.onDidRequestOpen', () => void show());
  }, [show]);

  const chooseFolder = async () => {
    try {
      const dir = await call('output.choose', {});
      if (dir) edit({ outputDir: dir });
    } catch (error) {
      setMessage(errorText(useLockStore.getState().lang, asErrorData(error)));
    }
  };

  const save = async () => {
    if (!draft) return;
    try {
      const result = await call('settings.set', {
        amsUrl: draft.server === 'url' ? draft.amsUrl.trim() : null,
        language: draft.language,
        outputDir: draft.outputDir,
        proxyMode: draft.proxyMode,
        proxyUrl: draft.proxyMode === 'manual' ? draft.proxyUrl.trim() : null,
        trustSystemCa: draft.trustSystemCa,
      });
      setSaved(result);
      setLang(result.language);
      setMessage(result.restartNeeded ? t('settingsRestart') : t('settingsSaved'));
    } catch (error) {
      setMessage(errorText(lang, asErrorData(error)));
    }
  };

  const edit = (change: Partial<Draft>) => setDraft((d) => (d ? { ...d, ...change } : d));

  return (
    <>
      <button className="link" onClick={() => void show()} data-testid="open-settings">
        {t('settings')}
      </button>
      {open && draft && saved && (
        <Modal title={t('settings')} testId="settings" onCancel={() => setOpen(false)}>
          <form
            className="settings"
            onSubmit={(e) => {
              e.preventDefault();
              void save();
            }}
          >
            <fieldset>
              <legend>{t('settingsServer')}</legend>
              <label>
                <input type="radio" name="server" checked={draft.server === 'mock'} onChange={() => edit({ server: 'mock' })} /> {t('settingsServerMock')}
              </label>
              <label>
                <input type="radio" name="server" checked={draft.server === 'url'} onChange={() => edit({ server: 'url' })} /> {t('settingsServerUrl')}
              </label>
              {draft.server === 'url' && (
                <input type="url" aria-label={t('settingsServerUrl')} value={draft.amsUrl} placeholder="https://ams.example.go.id" onChange={(e) => edit({ amsUrl: e.target.value })} />
              )}
              {saved.amsUrlFromEnv && <p className="hint">{t('settingsServerEnv', { url: saved.amsUrlFromEnv })}</p>}
            </fieldset>
            <div className="settings-row">
              <label htmlFor="settings-language">{t('settingsLanguage')}</label>
              <select id="settings-language" value={draft.language} onChange={(e) => edit({ language: e.target.value === 'en' ? 'en' : 'id' })}>
                <option value="id">Bahasa Indonesia</option>
                <option value="en">English</option>
              </select>
            </div>
            <div className="settings-row">
              <label htmlFor="settings-output">{t('settingsOutput')}</label>
              <div className="settings-folder">
                <input id="settings-output" value={draft.outputDir} readOnly />
                {/* A typed folder is refused (OUTPUT_DIR_NOT_ALLOWED): only the system folder dialog chooses one. */}
                <button type="button" onClick={() => void chooseFolder()}>
                  {t('choose')}
                </button>
              </div>
            </div>
            <fieldset>
              <legend>{t('settingsProxy')}</legend>
              {(['system', 'manual', 'none'] as const).map((mode) => (
                <label key={mode}>
                  <input type="radio" name="proxy" checked={draft.proxyMode === mode} onChange={() => edit({ proxyMode: mode })} />{' '}
                  {t(mode === 'system' ? 'settingsProxySystem' : mode === 'manual' ? 'settingsProxyManual' : 'settingsProxyNone')}
                </label>
              ))}
              {draft.proxyMode === 'manual' && (
                <input type="url" aria-label={t('settingsProxyManual')} value={draft.proxyUrl} placeholder="http://proxy.kantor:8080" onChange={(e) => edit({ proxyUrl: e.target.value })} />
              )}
              <label>
                <input type="checkbox" checked={draft.trustSystemCa} onChange={(e) => edit({ trustSystemCa: e.target.checked })} /> {t('settingsSystemCa')}
              </label>
            </fieldset>
            {message && (
              <p role="status" data-testid="settings-message">
                {message}
              </p>
            )}
            <div className="buttons">
              <button type="submit">{t('settingsSave')}</button>
              <button type="button" onClick={() => setOpen(false)}>
                {t('settingsClose')}
              </button>
            </div>
          </form>
        </Modal>
      )}
    </>
  );
}
