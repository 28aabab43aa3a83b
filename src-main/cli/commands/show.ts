import type { MessageKey } from '../../../src/i18n/catalogue';
import type { CommandContext } from '../args';
import { printable } from '../printable';
import { readToken, requestService, translator } from '../services';

/** `show`: the employee data AMS holds for a token ((2) Lanjutkan). */
export async function run(ctx: CommandContext): Promise<number> {
  const { values, io } = ctx;
  const t = translator(values);
  const token = await readToken(values);
  const result = await (await requestService(ctx)).lookup(token);
  if (values.json) {
    io.out(JSON.stringify(result, null, 2));
    return 0;
  }
  const e = result.employee;
  io.out(`${t('employeeInfo')} (${t('product')}: ${printable(result.product)}, status: ${result.status})`);
  const rows: [MessageKey, string][] = [
    ['name', e.name],
    ['unit', e.unit],
    ['organization', e.organization],
    ['email', e.email],
    ['locality', e.locality],
    ['province', e.province],
    ['country', e.country],
  ];
  for (const [label, value] of rows) io.out(`  ${t(label).padEnd(20)}: ${printable(value)}`);
  return 0;
}
