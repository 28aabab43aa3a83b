import { useEffect, useRef, type KeyboardEvent } from 'react';
import { BundleTab } from './components/BundleTab';
import { Dialogs } from './components/Dialogs';
import { DownloadTab } from './components/DownloadTab';
import { RequestTab } from './components/RequestTab';
import { SettingsView } from './components/SettingsView';
import { useT, type Key } from './components/use-t';
import { useLockStore, type Tab } from './store';

const TABS: [Tab, Key][] = [
  ['request', 'tabRequest'],
  ['download', 'tabDownload'],
  ['bundle', 'tabBundle'],
];

/** Statuses are watched in the background too, so an issued certificate is announced wherever the user is. */
const WATCH_MS = 30_000;

export function App() {
  const t = useT();
  const { tab, setTab, lang, setLang, info, loadInfo, setProgress, setDownloadProgress, refreshDownloads } = useLockStore();
  const tabRefs = useRef<Record<Tab, HTMLButtonElement | null>>({ request: null, download: null, bundle: null });

  useEffect(() => {
    void loadInfo().then(() => refreshDownloads());
    const offRequest = window.lock.on('request.onDidProgress', ({ step }) => setProgress(step));
    const offDownload = window.lock.on('download.onDidProgress', ({ step }) => setDownloadProgress(step));
    const timer = setInterval(() => void refreshDownloads(), WATCH_MS);
    return () => {
      offRequest();
      offDownload();
      clearInterval(timer);
    };
  }, [loadInfo, setProgress, setDownloadProgress, refreshDownloads]);

  useEffect(() => {
    document.documentElement.lang = lang;
  }, [lang]);

  // A tablist: arrows, Home and End move between tabs and select them.
  const onTabKey = (event: KeyboardEvent<HTMLDivElement>) => {
    const at = TABS.findIndex(([id]) => id === tab);
    const to =
      event.key === 'ArrowRight' ? (at + 1) % TABS.length : event.key === 'ArrowLeft' ? (at + TABS.length - 1) % TABS.length : event.key === 'Home' ? 0 : event.key === 'End' ? TABS.length - 1 : -1;
    if (to < 0) return;
    event.preventDefault();
    const next = TABS[to]![0];
    setTab(next);
    tabRefs.current[next]?.focus();
  };

  return (
    <div className="window">
      <header className="titlebar">
        <h1 className="title">
          {t('appTitle')} {info ? `${info.version}` : ''}
        </h1>
        <button className="link" onClick={() => setLang(lang === 'id' ? 'en' : 'id')} data-testid="lang" lang={lang === 'id' ? 'en' : 'id'}>
          {t('language')}
        </button>
        <SettingsView />
      </header>
      <nav className="tabs" aria-label={t('tabsLabel')}>
        <div className="tablist" role="tablist" aria-label={t('tabsLabel')} onKeyDown={onTabKey}>
        {TABS.map(([id, label]) => (
          <button
            key={id}
            id={`tab-${id}`}
            ref={(el) => {
              tabRefs.current[id] = el;
            }}
            role="tab"
            aria-selected={tab === id}
            aria-controls={`panel-${id}`}
            tabIndex={tab === id ? 0 : -1}
            className={tab === id ? 'tab active' : 'tab'}
            onClick={() => setTab(id)}
          >
            {t(label)}
          </button>
        ))}
        </div>
      </nav>
      <main className="panel-scroll">
        {tab === 'request' && <RequestTab />}
        {tab === 'download' && <DownloadTab />}
        {tab === 'bundle' && <BundleTab />}
      </main>
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
