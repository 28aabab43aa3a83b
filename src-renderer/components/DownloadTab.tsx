import { useEffect, useState } from 'react';
import type { LedgerEntry } from '../../src/contract/api';
import type { MessageKey } from '../../src/i18n/catalogue';
import { useLockStore } from '../store';
import { DiscardButton } from './DiscardButton';
import { useT } from './use-t';

const REFRESH_MS = 30_000;

/** Tab "Download Sertifikat Elektronik": this computer's requests, live status, download. */
export function DownloadTab() {
  const t = useT();
  const s = useLockStore();
  const { refreshDownloads } = s;
  useEffect(() => {
    const timer = setInterval(() => void refreshDownloads(), REFRESH_MS);
    return () => clearInterval(timer);
  }, [refreshDownloads]);

  return (
    <section className="tab-panel" aria-label={t('tabDownload')}>
      <p>{t('dlIntro')}</p>
      <fieldset className="group">
        <legend>{t('tokenLabel')}</legend>
        <p className="muted">{t('dlPasteHint')}</p>
        <div className="token-row">
          <input
            className="token"
            aria-label={t('tokenLabel')}
            value={s.downloadToken}
            onChange={(e) => s.setDownloadToken(e.target.value)}
            spellCheck={false}
            data-testid="dl-token"
          />
          <button onClick={() => void s.pasteDownloadToken()}>{t('paste')}</button>
          <button onClick={() => void s.findDownloadToken()} disabled={s.downloadToken.trim() === ''}>
            {t('dlFind')}
          </button>
        </div>
      </fieldset>

      {s.entries.length === 0 ? (
        <p className="muted">{t('noRequests')}</p>
      ) : (
        <table className="ledger" data-testid="ledger">
          <thead>
            <tr>
              <th>{t('colDate')}</th>
              <th>{t('colName')}</th>
              <th>{t('colProduct')}</th>
              <th>{t('colStore')}</th>
              <th>{t('colState')}</th>
              <th>{t('colNote')}</th>
              <th>{t('colAction')}</th>
            </tr>
          </thead>
          <tbody>
            {s.entries.map((e) => (
              <EntryRow key={e.id} entry={e} />
            ))}
          </tbody>
        </table>
      )}
      <div className="actions">
        <OutputFolder />
        <button onClick={() => void refreshDownloads()} data-testid="dl-refresh">
          {t('dlRefresh')}
        </button>
      </div>
    </section>
  );
}

function EntryRow({ entry }: { entry: LedgerEntry }) {
  const t = useT();
  const startDownload = useLockStore((s) => s.startDownload);
  const refreshDownloads = useLockStore((s) => s.refreshDownloads);
  const lang = useLockStore((s) => s.lang);
  const status = entry.amsStatus ?? entry.state;
  return (
    <tr data-entry={entry.id}>
      <td>{new Date(entry.createdAt).toLocaleString(lang === 'id' ? 'id-ID' : 'en-GB')}</td>
      <td>{entry.employee.name}</td>
      <td>{entry.product}</td>
      <td>{entry.keyStore === 'pkcs11' ? `${t('storeToken')} ${entry.token?.label ?? ''}` : t('storeFile')}</td>
      <td data-testid="status" data-status={status}>
        {t(`status_${status}` as MessageKey)}
        {entry.state === 'downloaded' ? ` (${t('stateDownloaded')})` : ''}
      </td>
      <td>{entry.note ?? ''}</td>
      <td>
        {entry.tokenKnown === false ? (
          <span className="muted">{t('dlNeedsToken')}</span>
        ) : status === 'issued' ? (
          <button className="primary" onClick={() => startDownload(entry)} data-testid="dl-button">
            {t('dlDownload')}
          </button>
        ) : entry.state === 'csr_ready' && status === 'awaiting_csr' ? (
          <DiscardButton input={{ entryId: entry.id }} onDone={() => void refreshDownloads()} />
        ) : null}
      </td>
    </tr>
  );
}

/** Where files go: shown, changeable (a dialog in the app, a field in the browser), openable. */
function OutputFolder() {
  const t = useT();
  const { outputDir, canChooseOutput, chooseOutputDir, setOutputDir, openOutputDir } = useLockStore();
  const [editing, setEditing] = useState<string | undefined>(undefined);
  return (
    <div className="output-folder" data-testid="output-folder">
      <span>{t('dlFolder')}: </span>
      {editing === undefined ? (
        <code>{outputDir ?? '…'}</code>
      ) : (
        <input value={editing} onChange={(e) => setEditing(e.target.value)} spellCheck={false} data-testid="output-input" />
      )}
      {editing === undefined ? (
        <button className="link-button" onClick={() => (canChooseOutput ? void chooseOutputDir() : setEditing(outputDir ?? ''))}>
          {t('dlChangeFolder')}
        </button>
      ) : (
        <button
          onClick={() => {
            void setOutputDir(editing);
            setEditing(undefined);
          }}
        >
          {t('dlSaveFolder')}
        </button>
      )}
      <button onClick={() => void openOutputDir()}>{t('dlOpenFolder')}</button>
    </div>
  );
}
