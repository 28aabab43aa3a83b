import { useEffect, useState, type FormEvent } from 'react';
import type { TokenInfo } from '../../src/contract/api';
import { errorText } from '../../src/i18n/catalogue';
import { useLockStore, type Dialog } from '../store';
import { Modal } from './Modal';
import { FormButtons, InlineError } from './Parts';
import { useT } from './use-t';

const POLL_MS = 1500;

/** Which PKCS#11 library drives the user's token: the ones found, another file, or browse. */
export function DriverDialog({ dialog }: { dialog: Extract<Dialog, { kind: 'driver' }> }) {
  const t = useT();
  const { chooseDriver, browseDriver, closeDialog } = useLockStore();
  const known = dialog.drivers.map((d) => d.path);
  // Remounted (keyed by `chosen`) when Browse picks a file, so the field shows it.
  const [library, setLibrary] = useState(dialog.chosen ?? dialog.drivers[0]?.path ?? '');

  const onSubmit = (event: FormEvent) => {
    event.preventDefault();
    if (library.trim()) void chooseDriver(library.trim());
  };
  return (
    <Modal title={t('driverTitle')} testId="driver">
      <form onSubmit={onSubmit}>
        <p>{t('driverIntro')}</p>
        {dialog.drivers.length === 0 && <p className="warn">{t('driverNone')}</p>}
        <div className="choices">
          {dialog.drivers.map((d) => (
            <label key={d.path} className="choice">
              <input type="radio" name="driver" checked={library === d.path} onChange={() => setLibrary(d.path)} />
              <span>
                <strong>{d.name}</strong>
                <br />
                <code>{d.path}</code>
              </span>
            </label>
          ))}
        </div>
        <label className="field">
          <span>{t('driverCustom')}</span>
          <span className="with-button">
            <input
              value={known.includes(library) ? '' : library}
              onChange={(e) => setLibrary(e.target.value)}
              placeholder="/path/to/pkcs11.so"
              spellCheck={false}
              data-testid="driver-path"
            />
            {dialog.canBrowse && (
              <button type="button" onClick={() => void browseDriver()}>
                {t('browse')}
              </button>
            )}
          </span>
        </label>
        <InlineError error={dialog.error} />
        <FormButtons label={t('next')} disabled={!library.trim()} onCancel={closeDialog} />
      </form>
    </Modal>
  );
}

/** The inserted tokens, refreshed while open so insertion and removal show at once. */
export function TokenPickerDialog({ dialog }: { dialog: Extract<Dialog, { kind: 'tokenPicker' }> }) {
  const t = useT();
  const { refreshTokens, selectToken, setKeyBits, confirmToken, openDriverDialog, closeDialog } = useLockStore();
  useEffect(() => {
    const timer = setInterval(() => void refreshTokens(), POLL_MS);
    return () => clearInterval(timer);
  }, [refreshTokens]);
  const selected = dialog.tokens.find((tk) => tk.serial === dialog.selected);
  const sizes = selected?.rsaKeySizes.filter((b) => b >= 2048) ?? [];

  return (
    <Modal title={t('tokenTitle')} testId="token-picker">
      <p>{t('tokenIntro')}</p>
      {dialog.tokens.length === 0 ? (
        <p className="warn" data-testid="no-token">
          {t('tokenNone')}
        </p>
      ) : (
        <table className="ledger tokens">
          <thead>
            <tr>
              <th />
              <th>{t('colLabel')}</th>
              <th>{t('colManufacturer')}</th>
              <th>{t('colModel')}</th>
              <th>{t('colSerial')}</th>
            </tr>
          </thead>
          <tbody>
            {dialog.tokens.map((tk) => (
              <tr key={tk.serial} onClick={() => selectToken(tk.serial)} className={tk.serial === dialog.selected ? 'selected' : ''}>
                <td>
                  <input type="radio" name="token" aria-label={tk.label} checked={tk.serial === dialog.selected} onChange={() => selectToken(tk.serial)} />
                </td>
                <td>{tk.label}</td>
                <td>{tk.manufacturer}</td>
                <td>{tk.model}</td>
                <td>
                  <code>{tk.serial}</code>
                </td>
              </tr>
            ))}
          </tbody>
        </table>
      )}
      {sizes.length > 1 && (
        <label className="field">
          <span>{t('keySize')}</span>
          <select value={dialog.keyBits} onChange={(e) => setKeyBits(Number(e.target.value) as 2048 | 3072 | 4096)} data-testid="key-bits">
            {sizes.map((bits) => (
              <option key={bits} value={bits}>
                RSA {bits}
              </option>
            ))}
          </select>
        </label>
      )}
      <p className="muted">{t('tokenHint')}</p>
      <InlineError error={dialog.error} />
      <div className="buttons">
        <button type="button" className="link-button" onClick={() => void openDriverDialog()}>
          {t('changeDriver')}
        </button>
        <button onClick={confirmToken} disabled={!selected}>
          {t('next')}
        </button>
        <button onClick={closeDialog}>{t('cancel')}</button>
      </div>
    </Modal>
  );
}

/** The PIN in the app's own dialog, shaped by the token's flags, read afresh before every prompt. */
export function PinDialog({ dialog }: { dialog: Extract<Dialog, { kind: 'pin' }> }) {
  const t = useT();
  const lang = useLockStore((s) => s.lang);
  const { submitTokenKey, closeDialog } = useLockStore();
  const token: TokenInfo = dialog.token;
  const [pin, setPin] = useState('');
  const [newPin, setNewPin] = useState('');
  const [newPinConfirm, setNewPinConfirm] = useState('');
  const [finalTryConfirmed, setFinalTryConfirmed] = useState(false);

  if (token.pinLocked) {
    return (
      <Modal title={t('pinTitle')} testId="pin">
        <p className="error-text" data-code="PKCS11_PIN_LOCKED">
          {errorText(lang, { code: 'PKCS11_PIN_LOCKED' })}
        </p>
        <div className="buttons">
          <button onClick={closeDialog}>{t('ok')}</button>
        </div>
      </Modal>
    );
  }

  const pinPad = token.protectedAuthPath;
  const newPinMismatch = token.pinToBeChanged && newPinConfirm !== '' && newPin !== newPinConfirm;
  const ready =
    (pinPad || pin !== '') && (!token.pinFinalTry || finalTryConfirmed) && (!token.pinToBeChanged || (newPin !== '' && newPin === newPinConfirm));

  const onSubmit = (event: FormEvent) => {
    event.preventDefault();
    if (!ready) return;
    void submitTokenKey({
      ...(pinPad ? {} : { pin }),
      ...(token.pinToBeChanged ? { newPin } : {}),
      ...(token.pinFinalTry ? { confirmFinalTry: true } : {}),
    });
  };

  return (
    <Modal title={t('pinTitle')} testId="pin">
      <form onSubmit={onSubmit}>
        <p>{t('pinIntro', { label: token.label, serial: token.serial })}</p>
        {pinPad ? (
          <p className="warn" data-testid="pin-pad">
            {t('pinPad')}
          </p>
        ) : (
          <label className="field">
            <span>{t('pin')}</span>
            <input type="password" autoComplete="off" value={pin} onChange={(e) => setPin(e.target.value)} data-testid="pin-input" />
          </label>
        )}
        {token.pinCountLow && !token.pinFinalTry && (
          <p className="warn" data-testid="pin-count-low">
            {t('pinCountLow')}
          </p>
        )}
        {token.pinFinalTry && (
          <div className="warn" data-testid="pin-final-try">
            <p>{t('pinFinalTry')}</p>
            <label>
              <input type="checkbox" checked={finalTryConfirmed} onChange={(e) => setFinalTryConfirmed(e.target.checked)} /> {t('pinFinalTryConfirm')}
            </label>
          </div>
        )}
        {token.pinToBeChanged && (
          <>
            <p className="warn">{t('pinChange')}</p>
            <label className="field">
              <span>{t('newPin')}</span>
              <input type="password" autoComplete="off" value={newPin} onChange={(e) => setNewPin(e.target.value)} data-testid="new-pin" />
            </label>
            <label className="field">
              <span>{t('newPinConfirm')}</span>
              <input type="password" autoComplete="off" value={newPinConfirm} onChange={(e) => setNewPinConfirm(e.target.value)} data-testid="new-pin-confirm" />
            </label>
            {newPinMismatch && <p className="error-text">{t('pinMismatch')}</p>}
          </>
        )}
        <InlineError error={dialog.error} />
        <FormButtons label={t('next')} disabled={!ready} onCancel={closeDialog} />
      </form>
    </Modal>
  );
}
