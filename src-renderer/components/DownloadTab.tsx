import { useLockStore } from '../store';
import { useT } from './use-t';

/** Tab "Download Sertifikat Elektronik": for now, this computer's requests from the ledger. */
export function DownloadTab() {
  const t = useT();
  const entries = useLockStore((s) => s.entries);
  return (
    <section className="tab-panel" aria-label={t('tabDownload')}>
      <p>{t('downloadIntro')}</p>
      {entries.length === 0 ? (
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
            </tr>
          </thead>
          <tbody>
            {entries.map((e) => (
              <tr key={e.id}>
                <td>{new Date(e.createdAt).toLocaleString()}</td>
                <td>{e.employee.name}</td>
                <td>{e.product}</td>
                <td>{e.keyStore === 'pkcs11' ? `${t('storeToken')} ${e.token?.label ?? ''}` : t('storeFile')}</td>
                <td>{e.amsStatus ?? e.state}</td>
              </tr>
            ))}
          </tbody>
        </table>
      )}
    </section>
  );
}
