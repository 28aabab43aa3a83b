import { errorText } from '../../src/i18n/catalogue';
import { useLockStore } from '../store';
import { DiscardButton } from './DiscardButton';
import { WaitNote } from './Parts';
import { useT, type Key } from './use-t';

const FIELDS: [Key, 'name' | 'locality' | 'unit' | 'province' | 'organization' | 'country' | 'email'][] = [
  ['name', 'name'],
  ['locality', 'locality'],
  ['unit', 'unit'],
  ['province', 'province'],
  ['organization', 'organization'],
  ['country', 'country'],
  ['email', 'email'],
];

/** Tab "Permintaan Sertifikat": paste → continue → data → generate and send. */
export function RequestTab() {
  const t = useT();
  const s = useLockStore();
  const waiting = s.wait?.kind === 'lookup';
  const canGenerate = s.lookup !== undefined && s.tokenBlocked === undefined && (s.lookup.status === 'awaiting_csr' || s.lookup.pendingLocally);

  return (
    <section className="tab-panel" role="tabpanel" id="panel-request" aria-labelledby="tab-request">
      {s.info?.mockAms && (
        <div className="demo-bar">
          <span>{s.notice === 'demo' ? t('demoDone') : t('demoHint')}</span>
          <button onClick={() => void s.newDemoRequest()} data-testid="demo">
            {t('demoButton')}
          </button>
        </div>
      )}
      <fieldset className="group">
        <legend>{t('tokenLabel')}</legend>
        <div className="token-row">
          <input
            className="token"
            aria-label={t('tokenLabel')}
            value={s.tokenInput}
            onChange={(e) => s.setTokenInput(e.target.value)}
            spellCheck={false}
            data-testid="token"
          />
          <button onClick={() => void s.paste()} disabled={s.busy}>
            {t('paste')}
          </button>
          <button onClick={() => void s.continueWithToken()} disabled={s.busy || s.tokenInput.trim() === ''} aria-busy={waiting} data-wait-origin="lookup">
            {t('continue')}
          </button>
        </div>
        <WaitNote kind="lookup" testId="lookup-wait" />
      </fieldset>

      <fieldset className="group">
        <legend>{t('employeeInfo')}</legend>
        <dl className="employee" data-testid="employee">
          {FIELDS.map(([label, field]) => (
            <div key={field} className={`row ${field}`}>
              <dt>{t(label)}</dt>
              <dd data-field={field}>{s.lookup?.employee[field] ?? '—'}</dd>
            </div>
          ))}
        </dl>
        {s.lookup && (
          <div className="hints">
            <p>
              {t('product')}: <strong>{s.lookup.product}</strong>
            </p>
            {s.tokenBlocked ? null : s.lookup.pendingLocally ? (
              <>
                <p className="warn">{t('pendingLocally')}</p>
                <p className="muted">
                  {t('discardUnsentHint')} <DiscardButton input={{ token: s.tokenInput }} onDone={() => void s.continueWithToken()} />
                </p>
              </>
            ) : s.lookup.status !== 'awaiting_csr' ? (
              <p className="warn" data-testid="already-used">
                {t('alreadyUsed', { status: t(`status_${s.lookup.status}` as Key) })}
              </p>
            ) : (
              <p>{t('onceHint')}</p>
            )}
            <p className="muted">{t('dataWrongHint')}</p>
          </div>
        )}
        {s.tokenBlocked && (
          <p className="warn" data-testid="token-blocked" data-code={s.tokenBlocked.code}>
            {errorText(s.lang, { code: s.tokenBlocked.code })}
          </p>
        )}
      </fieldset>

      <div className="actions">
        <button className="primary" disabled={!canGenerate || s.busy} onClick={s.startGenerate} data-testid="generate">
          {t('generate')}
        </button>
        <button onClick={() => void window.lock['app.quit']({})}>{t('exit')}</button>
      </div>
    </section>
  );
}
