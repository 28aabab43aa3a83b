import { useState, type FormEvent } from 'react';
import { passwordStrength } from '../../src/domain/password';
import { errorText } from '../../src/i18n/catalogue';
import { useLockStore, type Step } from '../store';
import { DownloadPassword, DownloadProgress, DownloadQuestion, DownloadSuccess } from './DownloadDialogs';
import { Modal } from './Modal';
import { FormButtons, StepList } from './Parts';
import { DriverDialog, PinDialog, TokenPickerDialog } from './TokenDialogs';
import { useT } from './use-t';

const STEPS: Step[] = ['lookup', 'keygen', 'csr', 'upload'];

/** LOCK's dialogs, one at a time, whichever tab opened them. */
export function Dialogs() {
  const dialog = useLockStore((s) => s.dialog);
  const lang = useLockStore((s) => s.lang);
  const closeDialog = useLockStore((s) => s.closeDialog);
  const answer = useLockStore((s) => s.answerUsbQuestion);
  const t = useT();

  switch (dialog.kind) {
    case 'none':
      return null;
    case 'question':
      return (
        <Modal title={t('question')} testId="usb-question">
          <p className="question">{t('usbQuestion')}</p>
          <div className="buttons">
            <button onClick={() => answer(true)}>{t('yes')}</button>
            <button onClick={() => answer(false)}>{t('no')}</button>
            <button onClick={closeDialog}>{t('cancel')}</button>
          </div>
        </Modal>
      );
    case 'password':
      return <PasswordDialog resend={dialog.resend} />;
    case 'driver':
      return <DriverDialog key={dialog.chosen ?? ''} dialog={dialog} />;
    case 'tokenPicker':
      return <TokenPickerDialog dialog={dialog} />;
    case 'pin':
      return <PinDialog dialog={dialog} />;
    case 'progress':
      return (
        <Modal title={t('progressTitle')} testId="progress">
          <StepList steps={STEPS} current={dialog.step} prefix="step_" />
        </Modal>
      );
    case 'success':
      return (
        <Modal title={t('successTitle')} testId="success">
          <p>{t('successBody')}</p>
          {dialog.result.entry.amsStatus === 'issued' ? <p className="good">{t('successIssued')}</p> : <p>{t('successNextPortal')}</p>}
          <div className="buttons">
            <button onClick={closeDialog}>{t('ok')}</button>
          </div>
        </Modal>
      );
    case 'dlQuestion':
      return <DownloadQuestion dialog={dialog} />;
    case 'dlPassword':
      return <DownloadPassword dialog={dialog} />;
    case 'dlProgress':
      return <DownloadProgress dialog={dialog} />;
    case 'dlSuccess':
      return <DownloadSuccess dialog={dialog} />;
    case 'error':
      return (
        <Modal title={t('failedTitle')} testId="error">
          <p className="error-text" data-code={dialog.error.code}>
            {errorText(lang, dialog.error)}
          </p>
          <div className="buttons">
            <button onClick={closeDialog}>{t('ok')}</button>
          </div>
        </Modal>
      );
    default: {
      const unreachable: never = dialog;
      return unreachable;
    }
  }
}

function PasswordDialog({ resend }: { resend: boolean }) {
  const t = useT();
  const lang = useLockStore((s) => s.lang);
  const submit = useLockStore((s) => s.submitFileKey);
  const closeDialog = useLockStore((s) => s.closeDialog);
  const [password, setPassword] = useState('');
  const [confirm, setConfirm] = useState('');
  const strength = passwordStrength(password);
  const mismatch = confirm !== '' && confirm !== password;
  const ready = password !== '' && password === confirm && (resend || strength.acceptable);

  const onSubmit = (event: FormEvent) => {
    event.preventDefault();
    if (ready) void submit(password, confirm);
  };

  return (
    <Modal title={t('passwordTitle')} testId="password">
      <form onSubmit={onSubmit}>
        <p>{resend ? t('passwordResendIntro') : t('passwordIntro')}</p>
        <label className="field">
          <span>{t('password')}</span>
          <input type="password" autoComplete="new-password" value={password} onChange={(e) => setPassword(e.target.value)} data-testid="password-input" />
        </label>
        {!resend && (
          <div className="meter" aria-label={t('strength')}>
            <div className="meter-track">
              <div className={`meter-fill ${strength.acceptable ? 'ok' : 'weak'}`} style={{ width: `${strength.score}%` }} />
            </div>
            <span data-testid="strength">
              {t('strength')}: {strength.score}%
            </span>
          </div>
        )}
        {!resend && password !== '' && !strength.acceptable && (
          <p className="muted" data-testid="password-hint">
            {errorText(lang, { code: 'PASSWORD_WEAK' })}
          </p>
        )}
        <label className="field">
          <span>{t('passwordConfirm')}</span>
          <input type="password" autoComplete="new-password" value={confirm} onChange={(e) => setConfirm(e.target.value)} data-testid="password-confirm" />
        </label>
        {mismatch && <p className="error-text">{t('passwordMismatch')}</p>}
        <FormButtons label={t('send')} disabled={!ready} onCancel={closeDialog} />
      </form>
    </Modal>
  );
}
