import { AppError } from '../../../src/contract/errors';
import { startMockThread } from '../../mock-ams/mock-thread';
import type { CommandContext } from '../args';

/** `mock-ams serve`: the mock AMS until SIGINT/SIGTERM. */
export async function run({ values, io, dataDir }: CommandContext): Promise<number> {
  const port = values.port === undefined ? 0 : Number(values.port);
  if (!Number.isInteger(port) || port < 0 || port > 65535) throw new AppError('INPUT_INVALID', { detail: '--port 0..65535' });
  // On its own thread, as in the app: the same code path and the same memory limits.
  const mock = await startMockThread({
    dataDir: values['data-dir'] ?? `${dataDir}/mock-ams`,
    port,
    host: values.host ?? '127.0.0.1',
    autoApprove: values['auto-approve'] ?? false,
  });
  io.out(`AMS mock listening on ${mock.url}`);
  io.out(`Admin key: ${mock.adminKey}`);
  await new Promise<void>((resolve) => {
    process.once('SIGINT', resolve);
    process.once('SIGTERM', resolve);
  });
  await mock.close();
  return 0;
}
