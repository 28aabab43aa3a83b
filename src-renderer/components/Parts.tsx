import { useId, useState, type InputHTMLAttributes } from 'react';
import type { ErrorData } from '../../src/contract/errors';
import { REQUIRED_STRENGTH, type PasswordCheck } from '../../src/domain/password';
import { errorText } from '../../src/i18n/catalogue';
import { plainReason } from '../../src/i18n/window-catalogue';
import { useLockStore, type WaitKind } from '../store';
import { useT, type Key } from './use-t';

/** A numbered list of steps, the current one bold and the done ones ticked, over a busy bar. */
export function StepList<S extends string>({ steps, current, prefix }: { steps: readonly S[]; current: S | 'done'; prefix: 'step_' | 'dlStep_' }) {
  const t = useT();
  const at = current === 'done' ? steps.length : steps.indexOf(current);
  return (
    <>
      <ol className="steps dialog-message" aria-live="polite">
        {steps.map((step, i) => {
          const state = i < at ? 'done' : i === at ? 'active' : 'todo';
          return (
            <li key={step} className={`step ${state}`} data-state={state} aria-current={state === 'active' ? 'step' : undefined}>
              {t(`${prefix}${step}` as Key)}
            </li>
          );
        })}
      </ol>
      <div className="progress-bar" aria-hidden="true">
        <div className="progress-fill" />
      </div>
    </>
  );
}

/**
 * An error's message in the user's language; technical detail (CKR codes, OS
 * reasons) stays available behind "Detail" instead of inside the sentence.
 */
export function ErrorMessage({ error, id, className = 'error-text' }: { error: ErrorData; id?: string; className?: string }) {
  const t = useT();
  const lang = useLockStore((s) => s.lang);
  const plain = plainReason(error.detail);
  return (
    <div className="error-block">
      <p className={className} data-code={error.code} id={id}>
        {errorText(lang, { code: error.code })}
        {plain && ` ${t(plain)}`}
      </p>
      {error.detail && (
        <details className="detail">
          <summary>{t('detail')}</summary>
          <code data-testid="error-detail">{error.detail}</code>
        </details>
      )}
    </div>
  );
}

/** An error shown inside the dialog or form that caused it; announced as it appears. */
export function InlineError({ error, id }: { error: ErrorData | undefined; id?: string }) {
  return (
    <div role="alert" data-testid={error ? 'inline-error' : undefined} className="inline-error">
      {error && <ErrorMessage error={error} {...(id ? { id } : {})} />}
    </div>
  );
}

/** A short problem with one field (mismatch): a live region the field points at. */
export function FieldProblem({ id, text }: { id: string; text: string | undefined }) {
  return (
    <p id={id} role="status" className={text ? 'error-text' : 'sr-only'}>
      {text ?? ''}
    </p>
  );
}

/** A dialog form's buttons: the action (disabled until the form is ready) and Batal. */
export function FormButtons({ label, disabled, onCancel }: { label: string; disabled: boolean; onCancel: () => void }) {
  const t = useT();
  return (
    <div className="buttons">
      <button type="submit" className="primary" disabled={disabled}>
        {label}
      </button>
      <button type="button" onClick={onCancel}>
        {t('cancel')}
      </button>
    </div>
  );
}

type FieldProps = Omit<InputHTMLAttributes<HTMLInputElement>, 'type' | 'onChange'> & {
  label: string;
  value: string;
  onValue(value: string): void;
  /** The id of a message describing a problem: marks the field invalid and points at it. */
  problemId?: string | undefined;
  testId?: string;
  /** Offer "show password". */
  reveal?: boolean;
};

/** A labelled password field, aligned with the others, optionally with "show password". */
export function PasswordField({ label, value, onValue, problemId, testId, reveal = false, ...rest }: FieldProps) {
  const t = useT();
  const id = useId();
  const [shown, setShown] = useState(false);
  return (
    <div className="field">
      <label htmlFor={id}>{label}</label>
      <span className="with-button">
        <input
          id={id}
          type={shown ? 'text' : 'password'}
          value={value}
          onChange={(e) => onValue(e.target.value)}
          aria-invalid={problemId ? true : undefined}
          aria-describedby={problemId}
          data-testid={testId}
          spellCheck={false}
          {...rest}
        />
        {reveal && (
          <label className="reveal">
            <input type="checkbox" checked={shown} onChange={(e) => setShown(e.target.checked)} data-testid={testId ? `${testId}-reveal` : undefined} />
            {t('showPassword')}
          </label>
        )}
      </span>
    </div>
  );
}

/** LOCK's strength meter as a real <meter>, with the 50% mark it must pass. */
export function StrengthMeter({ strength, testId = 'strength' }: { strength: PasswordCheck; testId?: string }) {
  const t = useT();
  return (
    <div className="meter">
      <span className="meter-track">
        <meter
          min={0}
          max={100}
          low={REQUIRED_STRENGTH + 1}
          high={75}
          optimum={100}
          value={strength.score}
          aria-label={t('strengthLabel')}
          aria-valuetext={`${strength.score}%`}
          className={strength.acceptable ? 'ok' : 'weak'}
        />
        <span className="meter-mark" title={t('strengthMark')} aria-hidden="true" />
      </span>
      <span data-testid={testId} aria-live="polite">
        {t('strength')}: {strength.score}%
      </span>
      {strength.patterns.length > 0 && (
        <span className="small muted guessable" data-testid={`${testId}-patterns`}>
          {t('guessable')} {strength.patterns.map((p) => `${p.text} (${t(`pattern_${p.kind}` as Key)})`).join(', ')}
        </span>
      )}
    </div>
  );
}

/** "Menghubungi AMS…" with Batal while a network step of this kind runs; a word after Batal. */
export function WaitNote({ kind, testId }: { kind: WaitKind; testId: string }) {
  const t = useT();
  const wait = useLockStore((s) => s.wait);
  const dismissed = useLockStore((s) => s.dismissed);
  const cancelWait = useLockStore((s) => s.cancelWait);
  const waiting = wait?.kind === kind;
  return (
    <div className="wait-note" role="status" data-testid={testId}>
      {waiting && (
        <>
          <span className="spinner" aria-hidden="true" />
          <span>{t('contacting')}</span>
          <button
            type="button"
            onClick={() => {
              cancelWait();
              // Back to the button that started the wait, so the keyboard user is not lost.
              document.querySelector<HTMLElement>(`[data-wait-origin="${kind}"]`)?.focus();
            }}
            data-testid={`${testId}-cancel`}
          >
            {t('cancel')}
          </button>
        </>
      )}
      {!waiting && dismissed === kind && <span className="muted">{t('waitDismissed')}</span>}
    </div>
  );
}
