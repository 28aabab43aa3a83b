import { createInterface } from 'node:readline/promises';
import { AppError } from '../../../src/contract/errors';
import { AmsClient } from '../../services/ams-client';
import { DiscardService } from '../../services/discard-service';
import { TokenVault } from '../../services/token-vault';
import type { CommandContext } from '../args';
import { printable } from '../printable';
import { openLedger, readToken, serverUrl, translator } from '../services';

/**
 * `discard`: the way out of an unsent request whose key is gone or whose
 * password is forgotten. Asks first (or --yes); AMS must still be waiting for
 * the CSR, else DISCARD_NOT_ALLOWED and nothing changes. The key is set aside.
 */
export async function run({ values, io, dataDir }: CommandContext): Promise<number> {
  const t = translator(values);
  const server = serverUrl(values);
  const token = await readToken(values);
  const discards = new DiscardService({ ledger: openLedger(dataDir), vault: await TokenVault.open(), amsFor: (s) => new AmsClient(s), dataDir });
  // Nothing to discard (or a CSR already sent) is said before the question, not after it.
  await discards.discardable({ token, server });
  if (!values.yes) {
    // A script has no one to answer: it is told about --yes instead of reading a silent "no".
    if (!process.stdin.isTTY || !process.stderr.isTTY) throw new AppError('CONFIRMATION_NEEDED');
    if (!(await confirm(t('cliDiscardConfirm')))) {
      io.err(t('cliDiscardCancelled'));
      return 1;
    }
  }
  const result = await discards.discard({ token, server });
  if (values.json) io.out(JSON.stringify(result, null, 2));
  else io.out(t('cliDiscarded', { requestId: printable(result.entry.requestId), key: result.keptKeyAt ?? result.entry.token?.label ?? '—' }));
  return 0;
}

/** A yes/no on the terminal. */
async function confirm(question: string): Promise<boolean> {
  const rl = createInterface({ input: process.stdin, output: process.stderr });
  try {
    return /^(y|ya|yes)$/i.test((await rl.question(`${question} [y/N] `)).trim());
  } finally {
    rl.close();
  }
}
