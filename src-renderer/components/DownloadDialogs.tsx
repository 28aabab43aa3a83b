import { useState, type FormEvent } from 'react';
import { useLockStore, type Dialog, type DownloadStep } from '../store';
import { Modal } from './Modal';
import { FormButtons, InlineError, StepList } from './Parts';
import { useT } from './use-t';
import { PassphraseNotice } from './PassphraseNotice';

const STEPS: readonly DownloadStep[] = ['fetch', 'verify', 'write'];

/** LOCK's storage question again, with the answer this request's key calls for marked. */
export function DownloadQuestion({ dialog }: { dialog: Extract<Dialog, { kind: 'dlQuestion' }> }) {
  const t = useT();
  const { answerDownloadQuestion, closeDialog } = useLockStore();
  const onToken = dialog.entry.keyStore === 'pkcs11';
  return (
    <Modal title={t('question')} testId="dl-question">
      <p className="question">{t('usbQuestion')}</p>
      <p className="muted">{t('dlQuestionHint', { store: onToken ? `${t('storeToken')} ${dialog.entry.token?.label ?? ''}` : t('storeFile') })}</p>
      <div className="buttons">
        <button className={onToken ? 'primary' : ''} onClick={() => void answerDownloadQuestion(true)}>
          {t('yes')}
        </button>
        <button className={onToken ? '' : 'primary'} onClick={() => void answerDownloadQuestion(false)}>
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
  const onSubmit = (event: FormEvent) => {
    event.preventDefault();
    if (password) void submitDownloadPassword(password);
  };
  return (
    <Modal title={t('dlPasswordTitle')} testId="dl-password">
      <form onSubmit={onSubmit}>
        <p>{t('dlPasswordIntro')}</p>
        <label className="field">
          <span>{t('password')}</span>
          <input type="password" autoComplete="current-password" value={password} onChange={(e) => setPassword(e.target.value)} data-testid="dl-password-input" />
        </label>
        <PassphraseNotice passphrase={password} />
        <InlineError error={dialog.error} />
        <FormButtons label={t('next')} disabled={!password} onCancel={closeDialog} />
      </form>
    </Modal>
  );
}

export function DownloadProgress({ dialog }: { dialog: Extract<Dialog, { kind: 'dlProgress' }> }) {
  const t = useT();
  return (
    <Modal title={t('progressTitle')} testId="dl-progress">
      <StepList steps={STEPS} current={dialog.step} prefix="dlStep_" />
    </Modal>
  );
}

export function DownloadSuccess({ dialog }: { dialog: Extract<Dialog, { kind: 'dlSuccess' }> }) {
  const t = useT();
  const { closeDialog, openOutputDir } = useLockStore();
  const { files, onToken } = dialog.result;
  return (
    <Modal title={t('successTitle')} testId="dl-success">
      <p className="good">{t('dlSuccess')}</p>
      {onToken && <p>{t('dlOnToken')}</p>}
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
        <button onClick={closeDialog}>{t('ok')}</button>
      </div>
    </Modal>
  );
}
