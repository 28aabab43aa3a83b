import type { CommandContext } from '../args';
import { printable } from '../printable';
import { readToken, requestService, translator } from '../services';

/** `status`: the request's status in AMS and the verifier's note. */
export async function run(ctx: CommandContext): Promise<number> {
  const { values, io } = ctx;
  const t = translator(values);
  const token = await readToken(values);
  const result = await (await requestService(ctx)).status(token);
  if (values.json) io.out(JSON.stringify(result, null, 2));
  else io.out(`${t('cliStatus', { requestId: printable(result.requestId), status: result.status })}${result.note ? ` (${printable(result.note)})` : ''}`);
  return 0;
}
