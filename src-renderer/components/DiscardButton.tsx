import { useState } from 'react';
import type { Input } from '../../src/contract/api';
import { call } from '../lock-api';
import { useLockStore } from '../store';
import { useT } from './use-t';

/**
 * The way out of an unsent request (key lost, password forgotten): a small
 * button that asks once more, then discards. The main process asks AMS first
 * and refuses (DISCARD_NOT_ALLOWED) when AMS already holds the CSR.
 */
export function DiscardButton({ input, onDone }: { input: Input<'request.discard'>; onDone: () => void }) {
  const t = useT();
  const showError = useLockStore((s) => s.showError);
  const [asking, setAsking] = useState(false);
  const [busy, setBusy] = useState(false);
  const discard = async () => {
    setBusy(true);
    try {
      await call('request.discard', input);
      onDone();
    } catch (error) {
      showError(error);
    } finally {
      setBusy(false);
      setAsking(false);
    }
  };
  if (!asking) {
    return (
      <button className="link-button" title={t('discardUnsentHint')} onClick={() => setAsking(true)} data-testid="discard-unsent">
        {t('discardUnsent')}
      </button>
    );
  }
  return (
    <span role="group" aria-label={t('discardUnsent')}>
      <span className="warn">{t('discardConfirm')} </span>
      <button disabled={busy} onClick={() => void discard()} data-testid="discard-confirm">
        {t('discardUnsent')}
      </button>
      <button disabled={busy} onClick={() => setAsking(false)}>
        {t('cancel')}
      </button>
    </span>
  );
}
