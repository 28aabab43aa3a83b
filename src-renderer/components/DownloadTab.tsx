import { useState } from 'react';
import type { LedgerEntry } from '../../src/contract/api';
import { errorText } from '../../src/i18n/catalogue';
import { formatDate, formatDateTime, formatTime } from '../../src/i18n/time';
import { useLockStore } from '../store';
import { DiscardButton } from './DiscardButton';
import { TokenCertificatesButton } from './TokenCertificates';
import { rowView } from '../status-view';
import { WaitNote } from './Parts';
import { useT } from './use-t';

/** Tab "Download Sertifikat Elektronik": this computer's requests, their true status and next step, download. */
export function DownloadTab() {
  const t = useT();
  const s = useLockStore();
  const { refreshDownloads } = s;

  return (
    <section className="tab-panel" role="tabpanel" id="panel-download" aria-labelledby="tab-download" aria-busy={s.refreshing > 0}>
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
          <button onClick={() => void s.findDownloadToken()} disabled={s.downloadToken.trim() === ''} data-wait-origin="find">
            {t('dlFind')}
          </button>
        </div>
        <WaitNote kind="find" testId="find-wait" />
      </fieldset>

      <div className="refresh-row">
        <span className="muted" data-testid="dl-updated">
          {s.refreshedAt ? t('updatedAt', { time: formatTime(s.refreshedAt, s.lang) }) : ''}
        </span>
        <WaitNote kind="refresh" testId="refresh-wait" />
        <button onClick={() => void refreshDownloads({ visible: true })} data-testid="dl-refresh" data-wait-origin="refresh">
          {t('dlRefresh')}
        </button>
      </div>
      <div role="alert" className="inline-error">
        {s.refreshError && (
          <p className="warn" data-testid="dl-refresh-failed" data-code={s.refreshError.code}>
            {t('refreshFailed', { reason: errorText(s.lang, { code: s.refreshError.code }) })}
          </p>
        )}
      </div>

      {s.entries.length === 0 ? (
        <p className="muted">{t('noRequests')}</p>
      ) : (
        <div className="table-scroll">
          <table className="ledger" data-testid="ledger">
            <caption className="sr-only">{t('tabDownload')}</caption>
            <thead>
              <tr>
                <th scope="col">{t('colDate')}</th>
                <th scope="col">{t('colName')}</th>
                <th scope="col">{t('colStore')}</th>
                <th scope="col">{t('colSerial')}</th>
                <th scope="col">{t('colState')}</th>
                <th scope="col">{t('colNote')}</th>
                <th scope="col">{t('colAction')}</th>
              </tr>
            </thead>
            <tbody>
              {s.entries.map((e) => (
                <EntryRow key={e.id} entry={e} />
              ))}
            </tbody>
          </table>
        </div>
      )}
      <div className="actions">
        <OutputFolder />
      </div>
    </section>
  );
}

/** Where the portal offers Permohonan Pembaruan: its certificate list (opened in the system browser). */
const renewalPage = (amsUrl: string) => `${amsUrl.replace(/\/+$/, '')}/portal/certificates`;

function EntryRow({ entry }: { entry: LedgerEntry }) {
  const t = useT();
  const startDownload = useLockStore((s) => s.startDownload);
  const refreshDownloads = useLockStore((s) => s.refreshDownloads);
  const lang = useLockStore((s) => s.lang);
  const openAmsPage = useLockStore((s) => s.openAmsPage);
  const amsUrl = useLockStore((s) => s.info?.amsUrl);
  const view = rowView(entry, new Date());
  const label = view.status === 'downloaded' ? t('dlDownloadAgain') : t('dlDownload');
  return (
    <tr data-entry={entry.id}>
      <td>{formatDateTime(entry.createdAt, lang)}</td>
      <td>
        {entry.employee.name}
        <br />
        <span className="muted small">{entry.product}</span>
      </td>
      <td data-testid="key-location">
        {entry.keyStore === 'pkcs11' ? t('keyOnToken', { label: entry.token?.label ?? '', serial: entry.token?.serial ?? '' }) : t('keyFileAt')}
      </td>
      <td data-testid="certificate">
        {entry.certificate ? (
          <>
            <code>{entry.certificate.serialNumber}</code>
            <br />
            <span className="small">
              {t('colValidity')} {formatDate(entry.certificate.notAfter, lang)}
            </span>
          </>
        ) : (
          '—'
        )}
      </td>
      <td data-status={view.status}>
        <strong className={`status ${view.tone}`} data-testid="status" data-status={view.status}>
          {t(view.label)}
          {view.status === 'downloaded' ? ` (${t('stateDownloaded')})` : ''}
        </strong>
        <br />
        <span className="small" data-testid="next-step">
          {t(view.next, view.vars)}
        </span>
        {view.next === 'next_expiring' && amsUrl && (
          <>
            <br />
            <a
              className="small"
              href={renewalPage(amsUrl)}
              onClick={(event) => {
                event.preventDefault();
                void openAmsPage(renewalPage(amsUrl));
              }}
              data-testid="renewal-link"
            >
              {t('openRenewal')}
            </a>
          </>
        )}
        {entry.refreshError && (
          <>
            <br />
            <span className="small warn" data-testid="row-stale">
              {t('refreshFailed', { reason: errorText(lang, { code: entry.refreshError.code }) })}
            </span>
          </>
        )}
      </td>
      <td>{entry.note ?? ''}</td>
      <td>
        {view.download ? (
          // The visible label first, then which request, so voice control and screen readers agree.
          <button className="primary" onClick={() => startDownload(entry)} data-testid="dl-button" aria-label={`${label}: ${entry.employee.name}, ${entry.product}`}>
            {label}
          </button>
        ) : entry.tokenKnown !== false && entry.state === 'csr_ready' && entry.amsStatus === 'awaiting_csr' ? (
          <DiscardButton input={{ entryId: entry.id }} onDone={() => void refreshDownloads()} />
        ) : null}
        {entry.keyStore === 'pkcs11' && entry.certificate && <TokenCertificatesButton entry={entry} />}
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
        <input value={editing} onChange={(e) => setEditing(e.target.value)} spellCheck={false} aria-label={t('dlFolder')} data-testid="output-input" />
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
