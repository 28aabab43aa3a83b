import type { Input } from '../../../src/contract/api';
import { readSecretFile } from '../../services/secret-file';
import { required, UsageError, type CommandContext } from '../args';
import { printable } from '../printable';
import { pickToken, readToken, requestService, translator } from '../services';

/** `request`: generate the key (file or token), build the CSR and send it once. */
export async function run(ctx: CommandContext): Promise<number> {
  const { values, io } = ctx;
  const t = translator(values);
  const keyStore = required(values['key-store'], '--key-store');
  if (keyStore !== 'file' && keyStore !== 'pkcs11') throw new UsageError('--key-store takes file or pkcs11');
  const token = await readToken(values);
  const service = await requestService(ctx);
  let input: Input<'request.submit'>;
  if (keyStore === 'file') {
    const password = await readSecretFile(required(values['password-file'], '--password-file'), 'password');
    input = { token, keyStore, password, passwordConfirm: password };
  } else {
    const library = required(values.module, '--module');
    const pin = await readSecretFile(required(values['pin-file'], '--pin-file'), 'pin');
    const chosen = await pickToken(library, values['token-label']);
    input = { token, keyStore, library, tokenSerial: chosen.serial, pin };
  }
  const result = await service.submit(
    input,
    // Progress only for a person at a terminal: scripts get one error line or none.
    (p) => (process.stderr.isTTY ? io.err(`… ${t(`step_${p.step}`)}`) : undefined),
  );
  const vars = { requestId: printable(result.entry.requestId), status: result.entry.amsStatus ?? '' };
  if (values.json) io.out(JSON.stringify(result, null, 2));
  else io.out(t(result.resent ? 'cliResent' : 'cliSent', vars));
  return 0;
}
