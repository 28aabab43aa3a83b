import { useId, useState, type FormEvent } from 'react';
import type { LedgerEntry, TokenCertificate, TokenInfo } from '../../src/contract/api';
import type { ErrorData } from '../../src/contract/errors';
import { formatDate } from '../../src/i18n/time';
import { asErrorData, call } from '../lock-api';
import { useLockStore } from '../store';
import { Modal } from './Modal';
import { FormButtons, InlineError, PasswordField } from './Parts';
import { useT } from './use-t';

type View =
  | { step: 'list' }
  | { step: 'confirm'; item: TokenCertificate }
  | { step: 'pin'; item: TokenCertificate; error?: ErrorData }
  | { step: 'removed'; item: TokenCertificate; keyRemoved: boolean };

interface Open {
  library: string;
  token: TokenInfo;
  items: TokenCertificate[];
  view: View;
  error?: ErrorData;
}

/**
 * "Sertifikat di token" on a token key's row: the token's certificates with
 * their state, and "Hapus dari token" for a replaced, revoked or expired one —
 * confirmed (it cannot be undone; says whether the key goes too), then the PIN.
 * The main side decides again after the PIN and refuses a current certificate.
 */
export function TokenCertificatesButton({ entry }: { entry: LedgerEntry }) {
  const t = useT();
  const showError = useLockStore((s) => s.showError);
  const [open, setOpen] = useState<Open | undefined>(undefined);
  const [busy, setBusy] = useState(false);

  const load = async () => {
    setBusy(true);
    try {
      const { library, token } = await call('download.keyToken', { entryId: entry.id });
      const items = await call('download.tokenCertificates', { library, tokenSerial: token.serial });
      setOpen({ library, token, items, view: { step: 'list' } });
    } catch (error) {
      showError(error);
    } finally {
      setBusy(false);
    }
  };
  const close = () => setOpen(undefined);

  return (
    <>
      <button className="link-button" disabled={busy} onClick={() => void load()} data-testid="token-certs-open">
        {t('tcOpen')}
      </button>
      {open && <TokenCertificatesDialog open={open} setOpen={setOpen} onClose={close} />}
    </>
  );
}

function TokenCertificatesDialog({ open, setOpen, onClose }: { open: Open; setOpen: (next: Open) => void; onClose: () => void }) {
  const t = useT();
  const { view, token } = open;
  const title = t('tcTitle', { label: token.label });
  const show = (next: View) => setOpen({ ...open, view: next });

  const remove = async (item: TokenCertificate, login: { pin?: string; confirmFinalTry?: boolean }) => {
    try {
      const result = await call('download.removeTokenCertificate', { library: open.library, tokenSerial: token.serial, fingerprint: item.fingerprint, ...login });
      let items = open.items.filter((c) => c.fingerprint !== item.fingerprint);
      items = await call('download.tokenCertificates', { library: open.library, tokenSerial: token.serial }).catch(() => items);
      setOpen({ ...open, items, view: { step: 'removed', item, keyRemoved: result.keyRemoved } });
    } catch (error) {
      show({ step: 'pin', item, error: asErrorData(error) });
    }
  };

  if (view.step === 'confirm') {
    return (
      <Modal title={title} testId="token-certs-confirm" onCancel={() => show({ step: 'list' })} alert>
        <div className="dialog-message">
          <p className="warn">{t('tcConfirm', { label: view.item.label, serial: view.item.serialNumber })}</p>
          <p>{view.item.removesKey ? t('tcConfirmKey') : t('tcConfirmKeep')}</p>
        </div>
        <div className="buttons">
          <button className="primary" onClick={() => show({ step: 'pin', item: view.item })} data-testid="token-certs-confirm-yes">
            {t('tcConfirmYes')}
          </button>
          <button onClick={() => show({ step: 'list' })} data-autofocus>
            {t('cancel')}
          </button>
        </div>
      </Modal>
    );
  }
  if (view.step === 'pin') return <RemovePin token={token} item={view.item} error={view.error} onSubmit={(login) => remove(view.item, login)} onCancel={() => show({ step: 'list' })} />;
  if (view.step === 'removed') {
    return (
      <Modal title={title} testId="token-certs-removed" onCancel={onClose}>
        <div className="dialog-message">
          <p className="good">{t('tcRemoved', { label: view.item.label })}</p>
          {view.keyRemoved && <p>{t('tcRemovedKey')}</p>}
        </div>
        <div className="buttons">
          <button onClick={() => show({ step: 'list' })}>{t('tcBack')}</button>
          <button className="primary" onClick={onClose} data-autofocus>
            {t('ok')}
          </button>
        </div>
      </Modal>
    );
  }
  return (
    <Modal title={title} testId="token-certs" onCancel={onClose}>
      <p className="dialog-message">{t('tcIntro')}</p>
      {open.items.length === 0 ? <p className="muted">{t('tcEmpty')}</p> : <CertificateTable items={open.items} onRemove={(item) => show({ step: 'confirm', item })} />}
      <div className="buttons">
        <button className="primary" onClick={onClose} data-autofocus>
          {t('ok')}
        </button>
      </div>
    </Modal>
  );
}

function CertificateTable({ items, onRemove }: { items: TokenCertificate[]; onRemove: (item: TokenCertificate) => void }) {
  const t = useT();
  const lang = useLockStore((s) => s.lang);
  return (
    <div className="table-scroll">
      <table className="ledger" data-testid="token-certs-table">
        <thead>
          <tr>
            <th scope="col">{t('tcColName')}</th>
            <th scope="col">{t('tcColSerial')}</th>
            <th scope="col">{t('tcColValidity')}</th>
            <th scope="col">{t('tcColState')}</th>
            <th scope="col">{t('colAction')}</th>
          </tr>
        </thead>
        <tbody>
          {items.map((item) => (
            <tr key={item.fingerprint} data-fingerprint={item.fingerprint} data-state={item.state}>
              <td>
                {item.commonName}
                <br />
                <span className="muted small">{item.label}</span>
              </td>
              <td>
                <code>{item.serialNumber}</code>
              </td>
              <td className="small">
                {formatDate(item.notBefore, lang)} – {formatDate(item.notAfter, lang)}
              </td>
              <td data-testid="token-cert-state">{item.category === 'authority' ? t('tcAuthority') : t(`tcState_${item.state}`)}</td>
              <td>
                {item.removable && (
                  <button onClick={() => onRemove(item)} data-testid="token-cert-remove" aria-label={`${t('tcRemove')}: ${item.label}`}>
                    {t('tcRemove')}
                  </button>
                )}
              </td>
            </tr>
          ))}
        </tbody>
      </table>
    </div>
  );
}

function RemovePin(props: {
  token: TokenInfo;
  item: TokenCertificate;
  error: ErrorData | undefined;
  onSubmit: (login: { pin?: string; confirmFinalTry?: boolean }) => Promise<void>;
  onCancel: () => void;
}) {
  const { token, error } = props;
  const t = useT();
  const [pin, setPin] = useState('');
  const [finalTry, setFinalTry] = useState(false);
  const [busy, setBusy] = useState(false);
  const errorId = useId();
  const pinPad = token.protectedAuthPath;
  const ready = !busy && (pinPad || pin !== '') && (!token.pinFinalTry || finalTry);
  const submit = async (event: FormEvent) => {
    event.preventDefault();
    if (!ready) return;
    setBusy(true);
    await props.onSubmit({ ...(pinPad ? {} : { pin }), ...(token.pinFinalTry ? { confirmFinalTry: true } : {}) });
    setBusy(false);
  };
  return (
    <Modal title={t('pinTitle')} testId="token-certs-pin" onCancel={props.onCancel} focusKey={error?.code ?? ''}>
      <form onSubmit={(e) => void submit(e)}>
        <div className="dialog-message">
          <p>{t('tcPinIntro')}</p>
          <p>{t('pinIntro', { label: token.label, serial: token.serial })}</p>
        </div>
        {pinPad ? (
          <p className="warn">{t('pinPad')}</p>
        ) : (
          <PasswordField label={t('pin')} value={pin} onValue={setPin} autoComplete="off" testId="token-certs-pin-input" problemId={error ? errorId : undefined} />
        )}
        {token.pinFinalTry && (
          <div className="warn">
            <p>{t('pinFinalTry')}</p>
            <label>
              <input type="checkbox" checked={finalTry} onChange={(e) => setFinalTry(e.target.checked)} /> {t('pinFinalTryConfirm')}
            </label>
          </div>
        )}
        <InlineError error={error} id={errorId} />
        <FormButtons label={t('tcRemove')} disabled={!ready} onCancel={props.onCancel} />
      </form>
    </Modal>
  );
}
