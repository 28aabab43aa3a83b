import { passphraseOpensEverywhere } from '../../src/domain/passphrase-compat';
import { translate } from '../../src/i18n/catalogue';
import type { CliIo } from './args';

/** On stderr, in both languages: a .p12 passphrase Java's keytool and jarsigner cannot open. */
export function warnIfJavaCannotOpen(passphrase: string, io: CliIo): void {
  if (passphraseOpensEverywhere(passphrase)) return;
  io.err(`PERINGATAN: ${translate('id', 'p12NonAscii')}`);
  io.err(`WARNING: ${translate('en', 'p12NonAscii')}`);
}
