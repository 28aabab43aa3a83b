import { useEffect, useId, useState, type FormEvent } from 'react';
import type { Output } from '../../src/contract/api';
import type { ErrorData } from '../../src/contract/errors';
import { passwordStrength } from '../../src/domain/password';
import { formatDateTime } from '../../src/i18n/time';
import { asErrorData, call } from '../lock-api';
import { useLockStore } from '../store';
import { FieldProblem, InlineError, PasswordField, StrengthMeter } from './Parts';
import { useT, type Key } from './use-t';
import { PassphraseNotice } from './PassphraseNotice';

type StoredKey = Output<'bundle.keys'>[number];

/** A pasted path as Windows' "Copy as path" gives it: quotes and spaces around it are not part of it. */
export function cleanPath(text: string): string {
  return text.trim().replace(/^(["'])(.*)\1$/, '$2').trim();
}

/** Tab "Bundle p12": a certificate and its private key into a .p12, saying what is missing before it can start. */
export function BundleTab() {
  const t = useT();
  const lang = useLockStore((s) => s.lang);
  const canBrowse = useLockStore((s) => s.info?.canBrowse ?? false);
  const outputDir = useLockStore((s) => s.outputDir);
  const openOutputDir = useLockStore((s) => s.openOutputDir);
  // undefined until main answers: "no keys yet" is said only when it is true.
  const [keys, setKeys] = useState<StoredKey[] | undefined>();
  const [certificateText, setCertificateText] = useState('');
  const [source, setSource] = useState<'stored' | 'file'>('stored');
  const [entryId, setEntryId] = useState('');
  const [keyText, setKeyText] = useState('');
  const [keyPassword, setKeyPassword] = useState('');
  const [password, setPassword] = useState('');
  const [confirm, setConfirm] = useState('');
  const [profile, setProfile] = useState<'compatible' | 'modern'>('compatible');
  const [busy, setBusy] = useState(false);
  const [error, setError] = useState<ErrorData | undefined>();
  const [done, setDone] = useState<Output<'bundle.create'> | undefined>();
  const ids = { cert: useId(), key: useId(), stored: useId(), reasons: useId(), mismatch: useId() };

  const certificatePath = cleanPath(certificateText);
  const keyPath = cleanPath(keyText);

  // The stored keys: at once when the tab opens, and again (after typing stops) for each certificate, so the one
  // issued for it is chosen.
  useEffect(() => {
    let current = true;
    const timer = setTimeout(() => {
      void call('bundle.keys', certificatePath ? { certificatePath } : {}).then((found) => {
        if (!current) return;
        setKeys(found);
        if (found.length === 0) setSource('file');
        const match = found.find((k) => k.matchesCertificate);
        setEntryId((chosen) => match?.entryId ?? (found.some((k) => k.entryId === chosen) ? chosen : (found[0]?.entryId ?? '')));
      });
    }, certificatePath ? 250 : 0);
    return () => {
      current = false;
      clearTimeout(timer);
    };
  }, [certificatePath]);

  const strength = passwordStrength(password);
  const keyChosen = source === 'stored' ? entryId !== '' : keyPath !== '';
  const mismatch = confirm !== '' && password !== confirm;
  const missing: [Key, Record<string, string>?][] = [];
  if (!certificatePath) missing.push(['bundleNeedCert']);
  if (!keyChosen) missing.push(['bundleNeedKey']);
  if (!strength.acceptable) missing.push(['bundleNeedStrength', { score: String(strength.score) }]);
  if (password === '' || password !== confirm) missing.push(['bundleNeedMatch']);
  const ready = !busy && missing.length === 0;

  const pick = async (kind: 'certificate' | 'key') => {
    const file = await call('bundle.pickFile', { kind }).catch(() => null);
    if (file && kind === 'certificate') setCertificateText(file);
    if (file && kind === 'key') setKeyText(file);
  };

  const onSubmit = async (event: FormEvent) => {
    event.preventDefault();
    if (!ready) return;
    setBusy(true);
    setError(undefined);
    setDone(undefined);
    try {
      setDone(
        await call('bundle.create', {
          certificatePath,
          key: source === 'stored' ? { kind: 'stored', entryId } : { kind: 'file', path: keyPath },
          ...(keyPassword ? { keyPassword } : {}),
          password,
          passwordConfirm: confirm,
          profile,
        }),
      );
    } catch (failure) {
      setError(asErrorData(failure));
    } finally {
      setBusy(false);
    }
  };

  const quoted = (text: string) => text.trim() !== '' && cleanPath(text) !== text.trim();

  return (
    <section className="tab-panel" role="tabpanel" id="panel-bundle" aria-labelledby="tab-bundle">
      <p>{t('bundleIntro')}</p>
      <form onSubmit={(e) => void onSubmit(e)} className="bundle">
        <div className="field">
          <label htmlFor={ids.cert}>{t('bundleCert')}</label>
          <span className="with-button">
            <input id={ids.cert} value={certificateText} onChange={(e) => setCertificateText(e.target.value)} spellCheck={false} data-testid="bundle-cert" />
            {canBrowse && (
              <button type="button" onClick={() => void pick('certificate')}>
                {t('choose')}
              </button>
            )}
          </span>
        </div>
        {quoted(certificateText) && <p className="muted field-note">{t('stripped')}</p>}
        <fieldset className="group">
          <legend>{t('bundleKeySource')}</legend>
          <label className="choice-inline">
            <input type="radio" name="key-source" checked={source === 'stored'} onChange={() => setSource('stored')} disabled={!keys?.length} />
            {t('bundleStoredKey')}
          </label>
          {source === 'stored' &&
            (keys === undefined ? (
              <p className="muted">{t('bundleLookingForKeys')}</p>
            ) : keys.length === 0 ? (
              <p className="muted">{t('bundleNoStoredKeys')}</p>
            ) : (
              <select value={entryId} onChange={(e) => setEntryId(e.target.value)} data-testid="bundle-stored-key" aria-label={t('bundleStoredKey')}>
                {keys.map((k) => (
                  <option key={k.entryId} value={k.entryId}>
                    {k.name} — {k.product} — {formatDateTime(k.createdAt, lang)}
                    {k.serialNumber ? ` — ${t('colSerial')} ${k.serialNumber}` : ''}
                    {k.matchesCertificate ? ` ✓ ${t('bundleMatchingKey')}` : ''}
                  </option>
                ))}
              </select>
            ))}
          <label className="choice-inline">
            <input type="radio" name="key-source" checked={source === 'file'} onChange={() => setSource('file')} data-testid="bundle-key-file-radio" />
            {t('bundleKeyFile')}
          </label>
          {source === 'file' && (
            <span className="with-button">
              <input value={keyText} onChange={(e) => setKeyText(e.target.value)} spellCheck={false} data-testid="bundle-key" aria-label={t('bundleKeyFile')} />
              {canBrowse && (
                <button type="button" onClick={() => void pick('key')}>
                  {t('choose')}
                </button>
              )}
            </span>
          )}
          <PasswordField label={t('bundleKeyPassword')} value={keyPassword} onValue={setKeyPassword} autoComplete="off" testId="bundle-key-password" />
        </fieldset>
        <PasswordField label={t('bundlePassword')} value={password} onValue={setPassword} autoComplete="new-password" testId="bundle-password" reveal />
        <PassphraseNotice passphrase={password} />
        <StrengthMeter strength={strength} testId="bundle-strength" />
        <PasswordField
          label={t('bundlePasswordConfirm')}
          value={confirm}
          onValue={setConfirm}
          autoComplete="new-password"
          testId="bundle-password-confirm"
          problemId={mismatch ? ids.mismatch : undefined}
        />
        <FieldProblem id={ids.mismatch} text={mismatch ? t('passwordMismatch') : undefined} />
        <fieldset className="group">
          <legend>{t('bundleProfile')}</legend>
          <label className="choice-inline">
            <input type="radio" name="profile" checked={profile === 'compatible'} onChange={() => setProfile('compatible')} />
            {t('bundleCompatible')}
          </label>
          <label className="choice-inline">
            <input type="radio" name="profile" checked={profile === 'modern'} onChange={() => setProfile('modern')} />
            {t('bundleModern')}
          </label>
        </fieldset>
        <p className="muted" data-testid="bundle-destination">
          {t('bundleDestination', { dir: outputDir ?? '…' })}
        </p>
        <InlineError error={error} />
        <div role="status">
          {done && (
            <p className="good" data-testid="bundle-done">
              {t('bundleDone', { path: done.p12Path, chain: String(done.chainLength) })}{' '}
              <button type="button" className="link-button" onClick={() => void openOutputDir()}>
                {t('dlOpenFolder')}
              </button>
            </p>
          )}
        </div>
        <div className="actions">
          <div id={ids.reasons} data-testid="bundle-reasons" aria-live="polite">
            {missing.length > 0 && (
              <>
                <span className="muted">{t('bundleWhyDisabled')}</span>
                <ul className="reasons">
                  {missing.map(([k, vars]) => (
                    <li key={k} data-reason={k}>
                      {t(k, vars)}
                    </li>
                  ))}
                </ul>
              </>
            )}
          </div>
          <button type="submit" className="primary" disabled={!ready} aria-describedby={ids.reasons} data-testid="bundle-create">
            {t('bundleCreate')}
          </button>
        </div>
      </form>
    </section>
  );
}
