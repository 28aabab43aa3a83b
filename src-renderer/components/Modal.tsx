import { useEffect, useId, useRef, type KeyboardEvent, type ReactNode } from 'react';
import { useLockStore } from '../store';
import { useT } from './use-t';

let opener: HTMLElement | undefined;

const FOCUSABLE = 'button:not(:disabled), input:not(:disabled), select:not(:disabled), textarea:not(:disabled), summary, a[href], [tabindex]:not([tabindex="-1"])';

export interface ModalProps {
  title: string;
  children: ReactNode;
  testId: string;
  /** Escape and the dialog's Batal: absent for a wait that cannot be dismissed. */
  onCancel?: () => void;
  /** An error or a question that needs an answer: role alertdialog. */
  alert?: boolean;
  /** Changes whenever the dialog's state does, so focus moves to the default control again. */
  focusKey?: string;
}

/**
 * A LOCK-style dialog box on a native modal <dialog>: the page behind is inert,
 * Tab cycles inside, Escape is Batal, and at every state change focus goes to
 * the control marked data-autofocus (else the first field, else the default button).
 * Its description is the element with class "dialog-message".
 */
export function Modal({ title, children, testId, onCancel, alert = false, focusKey = '' }: ModalProps) {
  const ref = useRef<HTMLDialogElement>(null);
  const titleId = useId();
  const descriptionId = useId();

  useEffect(() => {
    const dialog = ref.current;
    if (!dialog) return;
    // The control that opened the first of a chain of dialogs gets focus back after the last.
    const active = document.activeElement;
    if (active instanceof HTMLElement && active !== document.body && !active.closest('dialog')) opener = active;
    // jsdom has no showModal; the open attribute keeps component tests meaningful.
    if (!dialog.open) {
      if (typeof dialog.showModal === 'function') dialog.showModal();
      else dialog.setAttribute('open', '');
    }
    // Escape is handled on keydown (below); the browser's own close would bypass the store.
    const onCancelEvent = (event: Event) => event.preventDefault();
    dialog.addEventListener('cancel', onCancelEvent);
    return () => {
      dialog.removeEventListener('cancel', onCancelEvent);
      // After the dialog is gone (and no other took its place), focus returns to where the user was.
      setTimeout(() => {
        if (document.querySelector('dialog[open]')) return;
        if (document.activeElement && document.activeElement !== document.body) return;
        const back = opener?.isConnected && !(opener as HTMLButtonElement).disabled ? opener : document.querySelector<HTMLElement>('[role=tab][aria-selected=true]');
        back?.focus();
      }, 0);
    };
  }, []);

  useEffect(() => {
    const dialog = ref.current;
    if (!dialog) return;
    const message = dialog.querySelector('.dialog-message');
    if (message) {
      message.id = descriptionId;
      dialog.setAttribute('aria-describedby', descriptionId);
    } else dialog.removeAttribute('aria-describedby');
    const target =
      dialog.querySelector<HTMLElement>('[aria-invalid="true"]:not(:disabled)') ??
      dialog.querySelector<HTMLElement>('[data-autofocus]:not(:disabled)') ??
      dialog.querySelector<HTMLElement>('input:not(:disabled):not([type=radio]):not([type=checkbox])') ??
      dialog.querySelector<HTMLElement>('button[type=submit]:not(:disabled), button.default:not(:disabled)') ??
      dialog.querySelector<HTMLElement>(FOCUSABLE) ??
      dialog;
    target.focus();
  }, [focusKey, descriptionId]);

  // The dialog's own focus trap: Tab from the last control goes to the first and back.
  const onKeyDown = (event: KeyboardEvent<HTMLDialogElement>) => {
    if (event.key === 'Escape') {
      event.preventDefault();
      onCancel?.();
      return;
    }
    if (event.key !== 'Tab' || !ref.current) return;
    const focusable = [...ref.current.querySelectorAll<HTMLElement>(FOCUSABLE)].filter((el) => el.offsetParent !== null || el === document.activeElement);
    if (focusable.length === 0) return event.preventDefault();
    const first = focusable[0]!;
    const last = focusable[focusable.length - 1]!;
    const active = document.activeElement;
    if (event.shiftKey && (active === first || !ref.current.contains(active))) {
      event.preventDefault();
      last.focus();
    } else if (!event.shiftKey && (active === last || !ref.current.contains(active))) {
      event.preventDefault();
      first.focus();
    }
  };

  return (
    <dialog
      ref={ref}
      className="modal"
      role={alert ? 'alertdialog' : 'dialog'}
      aria-modal="true"
      aria-labelledby={titleId}
      data-testid={testId}
      tabIndex={-1}
      onKeyDown={onKeyDown}
    >
      <h2 className="modal-title" id={titleId}>
        {title}
      </h2>
      <div className="modal-body">{children}</div>
    </dialog>
  );
}

/**
 * A progress dialog: its steps and "Berhenti menunggu" (also Escape). Stopping hides the wait only:
 * the work goes on in the main process, so no sent CSR or written key is ever abandoned halfway.
 * Focus rests on the steps, so a repeated Enter from the button that started the work stops nothing.
 */
export function ProgressModal({ testId, children }: { testId: string; children: ReactNode }) {
  const t = useT();
  const stopWaiting = useLockStore((s) => s.stopWaiting);
  return (
    <Modal title={t('progressTitle')} testId={testId} onCancel={stopWaiting}>
      <div tabIndex={-1} data-autofocus>
        {children}
      </div>
      <p className="muted dialog-message">{t('progressNote')}</p>
      <div className="buttons">
        <button onClick={stopWaiting} data-testid="stop-waiting">
          {t('stopWaiting')}
        </button>
      </div>
    </Modal>
  );
}
