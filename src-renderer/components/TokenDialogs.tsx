import { useEffect, useId, useState, type FormEvent } from 'react';
import type { TokenInfo } from '../../src/contract/api';
import { errorText } from '../../src/i18n/catalogue';
import { preselectDriver } from '../driver-choice';
import { useLockStore, type Dialog } from '../store';
import { Modal } from './Modal';
import { FieldProblem, FormButtons, InlineError, PasswordField } from './Parts';
import { isWindowKey } from '../../src/i18n/window-catalogue';
import { useT, type Key } from './use-t';

const POLL_MS = 1500;

/** Which PKCS#11 library drives the user's token: the ones found, another file, or browse. */
export function DriverDialog({ dialog }: { dialog: Extract<Dialog, { kind: 'driver' }> }) {
  const t = useT();
  const { chooseDriver, browseDriver, closeDialog } = useLockStore();
  const known = dialog.drivers.map((d) => d.path);
  // Remounted (keyed by `chosen`) when Browse picks a file, so the field shows it.
  const [library, setLibrary] = useState(preselectDriver(dialog.drivers, dialog.chosen));
  const customId = useId();

  const onSubmit = (event: FormEvent) => {
    event.preventDefault();
    if (library.trim()) void chooseDriver(library.trim());
  };
  return (
    <Modal title={t('driverTitle')} testId="driver" onCancel={closeDialog} focusKey={dialog.error?.code ?? ''}>
      <form onSubmit={onSubmit}>
        <p className="dialog-message">{t('driverIntro')}</p>
        {dialog.drivers.length === 0 && <p className="warn">{t('driverNone')}</p>}
        <div className="choices">
          {dialog.drivers.map((d) => (
            <label key={d.path} className="choice">
              <input type="radio" name="driver" checked={library === d.path} onChange={() => setLibrary(d.path)} />
              <span>
                <strong>{d.name}</strong>
                <br />
                {isWindowKey(`driver_${d.id}`) && (
                  <>
                    <span className="muted">{t(`driver_${d.id}` as Key)}</span>
                    <br />
                  </>
                )}
                {d.tokens && (
                  <>
                    <span className={d.tokens.length ? 'good' : 'muted'} data-testid="driver-tokens">
                      {d.tokens.length ? t('driverTokens', { labels: d.tokens.join(', ') }) : t('driverNoToken')}
                    </span>
                    <br />
                  </>
                )}
                <code>{d.path}</code>
              </span>
            </label>
          ))}
        </div>
        <div className="field">
          <label htmlFor={customId}>{t('driverCustom')}</label>
          <span className="with-button">
            <input
              id={customId}
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
        </div>
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
    <Modal title={t('tokenTitle')} testId="token-picker" onCancel={closeDialog}>
      <p className="dialog-message">{t('tokenIntro')}</p>
      {dialog.tokens.length === 0 ? (
        <p className="warn" data-testid="no-token">
          {t('tokenNone')}
        </p>
      ) : (
        <table className="ledger tokens" aria-label={t('tokenTitle')}>
          <thead>
            <tr>
              <th>
                <span className="sr-only">{t('tokenTitle')}</span>
              </th>
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
        <button type="button" className="link-button" onClick={() => void openDriverDialog()} data-testid="change-driver">
          {t('changeDriver')}
        </button>
        <button className="primary" onClick={confirmToken} disabled={!selected} data-autofocus>
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
  const errorId = useId();
  const mismatchId = useId();

  if (token.pinLocked) {
    return (
      <Modal title={t('pinTitle')} testId="pin" onCancel={closeDialog} alert>
        <p className="error-text dialog-message" data-code="PKCS11_PIN_LOCKED">
          {errorText(lang, { code: 'PKCS11_PIN_LOCKED' })}
        </p>
        <div className="buttons">
          <button className="primary" onClick={closeDialog} data-autofocus>
            {t('ok')}
          </button>
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
    <Modal title={t('pinTitle')} testId="pin" onCancel={closeDialog} focusKey={dialog.error?.code ?? ''}>
      <form onSubmit={onSubmit}>
        <p className="dialog-message">{t('pinIntro', { label: token.label, serial: token.serial })}</p>
        {pinPad ? (
          <p className="warn" data-testid="pin-pad">
            {t('pinPad')}
          </p>
        ) : (
          <PasswordField label={t('pin')} value={pin} onValue={setPin} autoComplete="off" testId="pin-input" problemId={dialog.error ? errorId : undefined} />
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
            <PasswordField label={t('newPin')} value={newPin} onValue={setNewPin} autoComplete="off" testId="new-pin" />
            <PasswordField
              label={t('newPinConfirm')}
              value={newPinConfirm}
              onValue={setNewPinConfirm}
              autoComplete="off"
              testId="new-pin-confirm"
              problemId={newPinMismatch ? mismatchId : undefined}
            />
            <FieldProblem id={mismatchId} text={newPinMismatch ? t('pinMismatch') : undefined} />
          </>
        )}
        <InlineError error={dialog.error} id={errorId} />
        <FormButtons label={t('next')} disabled={!ready} onCancel={closeDialog} />
      </form>
    </Modal>
  );
}
