import { passphraseOpensEverywhere } from '../../src/domain/passphrase-compat';
import { useT } from './use-t';

/** A small inline notice under a .p12 passphrase field: which programs will not open it. */
export function PassphraseNotice({ passphrase }: { passphrase: string }) {
  const t = useT();
  if (passphraseOpensEverywhere(passphrase)) return null;
  return (
    <p className="notice" role="note" data-testid="p12-nonascii-notice">
      {t('p12NonAscii')}
    </p>
  );
}
