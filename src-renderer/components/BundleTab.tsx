import { useEffect, useState, type FormEvent } from 'react';
import type { Output } from '../../src/contract/api';
import type { ErrorData } from '../../src/contract/errors';
import { passwordStrength } from '../../src/domain/password';
import { errorText } from '../../src/i18n/catalogue';
import { asErrorData, call } from '../lock-api';
import { useLockStore } from '../store';
import { useT } from './use-t';
import { PassphraseNotice } from './PassphraseNotice';

type StoredKey = Output<'bundle.keys'>[number];

/** Tab "Bundle p12": a certificate and its private key into a .p12. */
export function BundleTab() {
  const t = useT();
  const lang = useLockStore((s) => s.lang);
  const canBrowse = useLockStore((s) => s.info?.canBrowse ?? false);
  const openOutputDir = useLockStore((s) => s.openOutputDir);
  const [keys, setKeys] = useState<StoredKey[]>([]);
  const [certificatePath, setCertificatePath] = useState('');
  const [source, setSource] = useState<'stored' | 'file'>('stored');
  const [entryId, setEntryId] = useState('');
  const [keyPath, setKeyPath] = useState('');
  const [keyPassword, setKeyPassword] = useState('');
  const [password, setPassword] = useState('');
  const [confirm, setConfirm] = useState('');
  const [profile, setProfile] = useState<'compatible' | 'modern'>('compatible');
  const [busy, setBusy] = useState(false);
  const [error, setError] = useState<ErrorData | undefined>();
  const [done, setDone] = useState<Output<'bundle.create'> | undefined>();

  useEffect(() => {
    void call('bundle.keys', {}).then((found) => {
      setKeys(found);
      if (found.length === 0) setSource('file');
      else setEntryId((current) => current || found[0]!.entryId);
    });
  }, []);

  const strength = passwordStrength(password);
  const keyChosen = source === 'stored' ? entryId !== '' : keyPath.trim() !== '';
  const ready = !busy && certificatePath.trim() !== '' && keyChosen && strength.acceptable && password === confirm;

  const pick = async (kind: 'certificate' | 'key') => {
    const file = await call('bundle.pickFile', { kind }).catch(() => null);
    if (file && kind === 'certificate') setCertificatePath(file);
    if (file && kind === 'key') setKeyPath(file);
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
          certificatePath: certificatePath.trim(),
          key: source === 'stored' ? { kind: 'stored', entryId } : { kind: 'file', path: keyPath.trim() },
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

  return (
    <section className="tab-panel" aria-label={t('tabBundle')}>
      <p>{t('bundleIntro')}</p>
      <form onSubmit={(e) => void onSubmit(e)} className="bundle">
        <label className="field">
          <span>{t('bundleCert')}</span>
          <span className="with-button">
            <input value={certificatePath} onChange={(e) => setCertificatePath(e.target.value)} spellCheck={false} data-testid="bundle-cert" />
            {canBrowse && (
              <button type="button" onClick={() => void pick('certificate')}>
                {t('choose')}
              </button>
            )}
          </span>
        </label>
        <fieldset className="group">
          <legend>{t('bundleKeySource')}</legend>
          <label className="choice-inline">
            <input type="radio" name="key-source" checked={source === 'stored'} onChange={() => setSource('stored')} disabled={keys.length === 0} />
            {t('bundleStoredKey')}
          </label>
          {source === 'stored' &&
            (keys.length === 0 ? (
              <p className="muted">{t('bundleNoStoredKeys')}</p>
            ) : (
              <select value={entryId} onChange={(e) => setEntryId(e.target.value)} data-testid="bundle-stored-key">
                {keys.map((k) => (
                  <option key={k.entryId} value={k.entryId}>
                    {k.name} — {k.product} — {new Date(k.createdAt).toLocaleString(lang === 'id' ? 'id-ID' : 'en-GB')}
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
              <input value={keyPath} onChange={(e) => setKeyPath(e.target.value)} spellCheck={false} data-testid="bundle-key" />
              {canBrowse && (
                <button type="button" onClick={() => void pick('key')}>
                  {t('choose')}
                </button>
              )}
            </span>
          )}
          <label className="field">
            <span>{t('bundleKeyPassword')}</span>
            <input type="password" autoComplete="off" value={keyPassword} onChange={(e) => setKeyPassword(e.target.value)} data-testid="bundle-key-password" />
          </label>
        </fieldset>
        <label className="field">
          <span>{t('bundlePassword')}</span>
          <input type="password" autoComplete="new-password" value={password} onChange={(e) => setPassword(e.target.value)} data-testid="bundle-password" />
        </label>
        <PassphraseNotice passphrase={password} />
        <div className="meter">
          <div className="meter-track">
            <div className={`meter-fill ${strength.acceptable ? 'ok' : 'weak'}`} style={{ width: `${strength.score}%` }} />
          </div>
          <span>
            {t('strength')}: {strength.score}%
          </span>
        </div>
        <label className="field">
          <span>{t('bundlePasswordConfirm')}</span>
          <input type="password" autoComplete="new-password" value={confirm} onChange={(e) => setConfirm(e.target.value)} data-testid="bundle-password-confirm" />
        </label>
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
        {error && (
          <p className="error-text" data-code={error.code} data-testid="bundle-error">
            {errorText(lang, error)}
          </p>
        )}
        {done && (
          <p className="good" data-testid="bundle-done">
            {t('bundleDone', { path: done.p12Path, chain: String(done.chainLength) })}{' '}
            <button type="button" className="link-button" onClick={() => void openOutputDir()}>
              {t('dlOpenFolder')}
            </button>
          </p>
        )}
        <div className="actions">
          <span />
          <button type="submit" className="primary" disabled={!ready} data-testid="bundle-create">
            {t('bundleCreate')}
          </button>
        </div>
      </form>
    </section>
  );
}
