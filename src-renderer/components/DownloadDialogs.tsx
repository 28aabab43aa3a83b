import { useId, useState, type FormEvent } from 'react';
import { useLockStore, type Dialog, type DownloadStep } from '../store';
import { Modal, ProgressModal } from './Modal';
import { FormButtons, InlineError, PasswordField, StepList } from './Parts';
import { useT } from './use-t';
import { PassphraseNotice } from './PassphraseNotice';
import { RealUseResult } from './RealUseResult';

const STEPS: readonly DownloadStep[] = ['fetch', 'verify', 'write'];

/** LOCK's storage question again, with the answer this request's key calls for marked and focused. */
export function DownloadQuestion({ dialog }: { dialog: Extract<Dialog, { kind: 'dlQuestion' }> }) {
  const t = useT();
  const { answerDownloadQuestion, closeDialog } = useLockStore();
  const onToken = dialog.entry.keyStore === 'pkcs11';
  const label = dialog.entry.token?.label ?? '';
  return (
    <Modal title={t('question')} testId="dl-question" onCancel={closeDialog} alert focusKey={dialog.hint ? 'hint' : ''}>
      <p className="question dialog-message">{t('usbQuestion')}</p>
      <p className="muted">{t('dlQuestionHint', { store: onToken ? `${t('storeToken')} ${label}` : t('storeFile') })}</p>
      {dialog.hint && (
        <p className="warn" role="alert" data-testid="question-hint">
          {onToken ? t('questionHintToken', { label }) : t('questionHintFile')}
        </p>
      )}
      <div className="buttons">
        <button className={onToken ? 'primary' : ''} onClick={() => void answerDownloadQuestion(true)} data-autofocus={onToken ? true : undefined}>
          {t('yes')}
        </button>
        <button className={onToken ? '' : 'primary'} onClick={() => void answerDownloadQuestion(false)} data-autofocus={onToken ? undefined : true}>
          {t('no')}
        </button>
        <button onClick={closeDialog}>{t('cancel')}</button>
      </div>
    </Modal>
  );
}

export function DownloadPassword({ dialog }: { dialog: Extract<Dialog, { kind: 'dlPassword' }> }) {
  const t = useT();
  const { submitDownloadPassword, closeDialog } = useLockStore();
  const [password, setPassword] = useState('');
  const errorId = useId();
  const onSubmit = (event: FormEvent) => {
    event.preventDefault();
    if (password) void submitDownloadPassword(password);
  };
  return (
    <Modal title={t('dlPasswordTitle')} testId="dl-password" onCancel={closeDialog} focusKey={dialog.error?.code ?? ''}>
      <form onSubmit={onSubmit}>
        <p className="dialog-message">{t('dlPasswordIntro')}</p>
        <PasswordField
          label={t('password')}
          value={password}
          onValue={setPassword}
          autoComplete="current-password"
          testId="dl-password-input"
          problemId={dialog.error ? errorId : undefined}
          reveal
        />
        <PassphraseNotice passphrase={password} />
        <InlineError error={dialog.error} id={errorId} />
        <FormButtons label={t('next')} disabled={!password} onCancel={closeDialog} />
      </form>
    </Modal>
  );
}

export function DownloadProgress({ dialog }: { dialog: Extract<Dialog, { kind: 'dlProgress' }> }) {
  return (
    <ProgressModal testId="dl-progress">
      <StepList steps={STEPS} current={dialog.step} prefix="dlStep_" />
    </ProgressModal>
  );
}

export function DownloadSuccess({ dialog }: { dialog: Extract<Dialog, { kind: 'dlSuccess' }> }) {
  const t = useT();
  const { closeDialog, openOutputDir } = useLockStore();
  const { files, onToken } = dialog.result;
  return (
    <Modal title={t('successTitle')} testId="dl-success" onCancel={closeDialog}>
      <div className="dialog-message">
        <p className="good">{t('dlSuccess')}</p>
        {onToken && <p>{t('dlOnToken')}</p>}
        <RealUseResult realUse={dialog.result.realUse} />
      </div>
      <p>{t('dlFiles')}</p>
      <ul className="files">
        {[files.pem, files.p12].filter(Boolean).map((file) => (
          <li key={file}>
            <code>{file}</code>
          </li>
        ))}
      </ul>
      <div className="buttons">
        <button onClick={() => void openOutputDir()}>{t('dlOpenFolder')}</button>
        <button className="primary" onClick={closeDialog} data-autofocus>
          {t('ok')}
        </button>
      </div>
    </Modal>
  );
}
