import type { ErrorData } from '../../src/contract/errors';
import { errorText, type MessageKey } from '../../src/i18n/catalogue';
import { useLockStore } from '../store';
import { useT } from './use-t';

/** A numbered list of steps, the current one bold and the done ones ticked, over a busy bar. */
export function StepList<S extends string>({ steps, current, prefix }: { steps: readonly S[]; current: S | 'done'; prefix: 'step_' | 'dlStep_' }) {
  const t = useT();
  const at = current === 'done' ? steps.length : steps.indexOf(current);
  return (
    <>
      <ol className="steps" aria-live="polite">
        {steps.map((step, i) => {
          const state = i < at ? 'done' : i === at ? 'active' : 'todo';
          return (
            <li key={step} className={`step ${state}`} data-state={state}>
              {t(`${prefix}${step}` as MessageKey)}
            </li>
          );
        })}
      </ol>
      <div className="progress-bar">
        <div className="progress-fill" />
      </div>
    </>
  );
}

/** An error shown inside the dialog or form that caused it. */
export function InlineError({ error }: { error: ErrorData | undefined }) {
  const lang = useLockStore((s) => s.lang);
  if (!error) return null;
  return (
    <p className="error-text" data-code={error.code} data-testid="inline-error">
      {errorText(lang, error)}
    </p>
  );
}

/** A dialog form's buttons: the action (disabled until the form is ready) and Batal. */
export function FormButtons({ label, disabled, onCancel }: { label: string; disabled: boolean; onCancel: () => void }) {
  const t = useT();
  return (
    <div className="buttons">
      <button type="submit" disabled={disabled}>
        {label}
      </button>
      <button type="button" onClick={onCancel}>
        {t('cancel')}
      </button>
    </div>
  );
}
