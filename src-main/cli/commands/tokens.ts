import type { TokenInfo } from '../../../src/contract/api';
import { AppError } from '../../../src/contract/errors';
import { presentDrivers } from '../../services/pkcs11/driver-catalogue';
import type { CommandContext } from '../args';
import { printable } from '../printable';
import { tokenService } from '../services';

/** `tokens`: the USB tokens present, through one driver or every catalogue driver found. */
export async function run({ values, io }: CommandContext): Promise<number> {
  const libraries = values.module ? [values.module] : presentDrivers().map((d) => d.path);
  const found = [];
  for (const library of libraries) {
    for (const token of await tokenService().listTokens(library)) found.push({ library, ...token });
  }
  if (values.json) io.out(JSON.stringify(found, null, 2));
  else if (found.length === 0) throw new AppError('PKCS11_NO_TOKEN');
  else for (const t of found) io.out([t.label, t.manufacturer, t.model, `serial ${t.serial}`, t.library].map(printable).join('\t') + pinNote(t));
  return 0;
}

function pinNote(token: TokenInfo): string {
  if (token.pinLocked) return '\tPIN LOCKED';
  if (token.pinFinalTry) return '\tPIN: last attempt';
  if (token.pinCountLow) return '\tPIN: wrong PIN entered before';
  return '';
}
