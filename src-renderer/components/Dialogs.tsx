import { useId, useState, type FormEvent } from 'react';
import { passwordStrength } from '../../src/domain/password';
import { errorText } from '../../src/i18n/catalogue';
import { useLockStore, type Dialog, type Step } from '../store';
import { DownloadPassword, DownloadProgress, DownloadQuestion, DownloadSuccess } from './DownloadDialogs';
import { Modal, ProgressModal } from './Modal';
import { ErrorMessage, FieldProblem, FormButtons, PasswordField, StepList, StrengthMeter } from './Parts';
import { DriverDialog, PinDialog, TokenPickerDialog } from './TokenDialogs';
import { useT } from './use-t';

const STEPS: Step[] = ['lookup', 'keygen', 'csr', 'upload'];

/** LOCK's dialogs, one at a time, whichever tab opened them; each kind is its own modal. */
export function Dialogs() {
  const dialog = useLockStore((s) => s.dialog);
  if (dialog.kind === 'none') return null;
  return <OneDialog key={dialog.kind} dialog={dialog} />;
}

function OneDialog({ dialog }: { dialog: Exclude<Dialog, { kind: 'none' }> }) {
  const closeDialog = useLockStore((s) => s.closeDialog);
  const answer = useLockStore((s) => s.answerUsbQuestion);
  const t = useT();

  switch (dialog.kind) {
    case 'question':
      return (
        <Modal title={t('question')} testId="usb-question" onCancel={closeDialog} alert focusKey={dialog.hint ?? ''}>
          <p className="question dialog-message">{t('usbQuestion')}</p>
          {dialog.hint && (
            <p className="warn" role="alert" data-testid="question-hint">
              {t(dialog.hint === 'file' ? 'questionHintFile' : 'questionHintToken', { label: dialog.label ?? '' })}
            </p>
          )}
          <div className="buttons">
            <button onClick={() => answer(true)} data-autofocus={dialog.hint === 'token' ? true : undefined}>
              {t('yes')}
            </button>
            <button onClick={() => answer(false)} data-autofocus={dialog.hint === 'file' ? true : undefined}>
              {t('no')}
            </button>
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
        <ProgressModal testId="progress">
          <StepList steps={STEPS} current={dialog.step} prefix="step_" />
        </ProgressModal>
      );
    case 'stopped':
      return (
        <Modal title={t('stoppedTitle')} testId="stopped" onCancel={closeDialog}>
          <p className="dialog-message">{t(dialog.what === 'request' ? 'stoppedRequest' : 'stoppedDownload')}</p>
          <div className="buttons">
            <button className="primary" onClick={closeDialog} data-autofocus>
              {t('ok')}
            </button>
          </div>
        </Modal>
      );
    case 'success':
      return <SubmitResult dialog={dialog} />;
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
        <Modal title={t('failedTitle')} testId="error" onCancel={closeDialog} alert>
          <ErrorMessage error={dialog.error} className="error-text dialog-message" />
          <div className="buttons">
            <button className="primary" onClick={closeDialog} data-autofocus>
              {t('ok')}
            </button>
          </div>
        </Modal>
      );
    default: {
      const unreachable: never = dialog;
      return unreachable;
    }
  }
}

/** After (3): success only when AMS says so; a rejection or a failed enrollment says what happened. */
function SubmitResult({ dialog }: { dialog: Extract<Dialog, { kind: 'success' }> }) {
  const t = useT();
  const closeDialog = useLockStore((s) => s.closeDialog);
  const status = dialog.result.entry.amsStatus;
  const failed = status === 'enroll_failed' || status === 'rejected';
  const title = status === 'enroll_failed' ? t('enrollFailedTitle') : status === 'rejected' ? t('rejectedTitle') : t('successTitle');
  return (
    <Modal title={title} testId={failed ? 'submit-failed' : 'success'} onCancel={closeDialog} alert={failed}>
      <div className="dialog-message">
        {status === 'enroll_failed' ? (
          <p className="error-text">{t('enrollFailedBody')}</p>
        ) : status === 'rejected' ? (
          <>
            <p className="error-text">{t('rejectedBody')}</p>
            {dialog.result.entry.note && <p>{dialog.result.entry.note}</p>}
          </>
        ) : (
          <>
            <p>{t('successBody')}</p>
            {status === 'issued' ? <p className="good">{t('successIssued')}</p> : <p>{t('successNextPortal')}</p>}
          </>
        )}
      </div>
      <div className="buttons">
        <button className="primary" onClick={closeDialog} data-autofocus>
          {t('ok')}
        </button>
      </div>
    </Modal>
  );
}

function PasswordDialog({ resend }: { resend: boolean }) {
  const t = useT();
  const lang = useLockStore((s) => s.lang);
  const submit = useLockStore((s) => s.submitFileKey);
  const closeDialog = useLockStore((s) => s.closeDialog);
  const [password, setPassword] = useState('');
  const [confirm, setConfirm] = useState('');
  const hintId = useId();
  const mismatchId = useId();
  const strength = passwordStrength(password);
  const mismatch = confirm !== '' && confirm !== password;
  const weak = !resend && password !== '' && !strength.acceptable;
  const ready = password !== '' && password === confirm && (resend || strength.acceptable);

  const onSubmit = (event: FormEvent) => {
    event.preventDefault();
    if (ready) void submit(password, confirm);
  };

  return (
    <Modal title={t('passwordTitle')} testId="password" onCancel={closeDialog}>
      <form onSubmit={onSubmit}>
        <p className="dialog-message">{resend ? t('passwordResendIntro') : t('passwordIntro')}</p>
        <PasswordField
          label={t('password')}
          value={password}
          onValue={setPassword}
          autoComplete="new-password"
          testId="password-input"
          problemId={weak ? hintId : undefined}
          reveal
        />
        {!resend && <StrengthMeter strength={strength} />}
        {!resend && (
          <p id={hintId} className={weak ? 'muted field-note' : 'sr-only'} data-testid={weak ? 'password-hint' : undefined} aria-live="polite">
            {weak ? errorText(lang, { code: 'PASSWORD_WEAK' }) : ''}
          </p>
        )}
        <PasswordField
          label={t('passwordConfirm')}
          value={confirm}
          onValue={setConfirm}
          autoComplete="new-password"
          testId="password-confirm"
          problemId={mismatch ? mismatchId : undefined}
        />
        <FieldProblem id={mismatchId} text={mismatch ? t('passwordMismatch') : undefined} />
        <FormButtons label={t('send')} disabled={!ready} onCancel={closeDialog} />
      </form>
    </Modal>
  );
}
