import { useEffect, useRef, type ReactNode } from 'react';

/** A LOCK-style dialog box: a title bar and a body; focus moves into it. */
export function Modal({ title, children, testId }: { title: string; children: ReactNode; testId: string }) {
  const ref = useRef<HTMLDivElement>(null);
  useEffect(() => {
    ref.current?.querySelector<HTMLElement>('input, button')?.focus();
  }, []);
  return (
    <div className="modal-backdrop">
      <div className="modal" role="dialog" aria-modal="true" aria-label={title} data-testid={testId} ref={ref}>
        <div className="modal-title">{title}</div>
        <div className="modal-body">{children}</div>
      </div>
    </div>
  );
}
