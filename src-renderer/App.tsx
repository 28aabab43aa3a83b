import { useEffect } from 'react';
import { BundleTab } from './components/BundleTab';
import { Dialogs } from './components/Dialogs';
import { DownloadTab } from './components/DownloadTab';
import { RequestTab } from './components/RequestTab';
import { SettingsView } from './components/SettingsView';
import { useT } from './components/use-t';
import type { MessageKey } from '../src/i18n/catalogue';
import { useLockStore, type Tab } from './store';

const TABS: [Tab, MessageKey][] = [
  ['request', 'tabRequest'],
  ['download', 'tabDownload'],
  ['bundle', 'tabBundle'],
];

export function App() {
  const t = useT();
  const { tab, setTab, lang, setLang, info, loadInfo, setProgress, setDownloadProgress } = useLockStore();

  useEffect(() => {
    void loadInfo();
    const offRequest = window.lock.on('request.onDidProgress', ({ step }) => setProgress(step));
    const offDownload = window.lock.on('download.onDidProgress', ({ step }) => setDownloadProgress(step));
    return () => {
      offRequest();
      offDownload();
    };
  }, [loadInfo, setProgress, setDownloadProgress]);

  useEffect(() => {
    document.documentElement.lang = lang;
  }, [lang]);

  return (
    <div className="window">
      <header className="titlebar">
        <span className="title">
          {t('appTitle')} {info ? `${info.version}` : ''}
        </span>
        <button className="link" onClick={() => setLang(lang === 'id' ? 'en' : 'id')} data-testid="lang">
          {t('language')}
        </button>
        <SettingsView />
      </header>
      <nav className="tabs" role="tablist">
        {TABS.map(([id, label]) => (
          <button key={id} role="tab" aria-selected={tab === id} className={tab === id ? 'tab active' : 'tab'} onClick={() => setTab(id)}>
            {t(label)}
          </button>
        ))}
      </nav>
      {tab === 'request' && <RequestTab />}
      {tab === 'download' && <DownloadTab />}
      {tab === 'bundle' && <BundleTab />}
      <Dialogs />
      <footer className="statusbar">
        <span>
          {t('server')}: {info?.amsUrl ?? '…'}
          {info?.mockAms ? ' (mock)' : ''}
        </span>
        {info?.tokenStorage === 'session' && <span className="warn">{t('sessionOnly')}</span>}
      </footer>
    </div>
  );
}
