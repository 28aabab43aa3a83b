import { amsPaths } from '../../../src/ams-api/schemas';
import { AppError } from '../../../src/contract/errors';
import { MockAdminClient } from '../../mock-ams/admin-client';
import { readSecretFile, readTextFile } from '../../services/secret-file';
import { required, UsageError, type CommandContext, type Values } from '../args';

/** The `mock-ams` QA commands other than serve: each is one admin API call. */
export async function run({ positionals, values, io }: CommandContext): Promise<number> {
  const client = new MockAdminClient(required(values.server, '--server'), await adminKey(values));
  const action = positionals[1]!;
  if (action === 'mint-token') {
    const minted = (await client.call(amsPaths.adminTokens, { email: required(values.email, '--email'), product: values.product })) as { token: string };
    io.out(minted.token);
    return 0;
  }
  const [adminPath, body] = await adminCall(action, values);
  io.out(JSON.stringify(await client.call(adminPath, body), null, 2));
  return 0;
}

/** The admin key from --admin-key-file (or `-`), else LOCK_ADMIN_KEY: never from argv. */
async function adminKey(values: Values): Promise<string> {
  const file = values['admin-key-file'];
  if (file !== undefined) return readSecretFile(file, 'token');
  const fromEnv = process.env['LOCK_ADMIN_KEY']?.trim();
  if (fromEnv) return fromEnv;
  throw new UsageError('--admin-key-file FILE or the environment variable LOCK_ADMIN_KEY is required');
}

const count = (value: string | undefined, flag: string): number | undefined => {
  if (value === undefined) return undefined;
  const n = Number(value);
  if (!Number.isFinite(n)) throw new UsageError(`${flag} takes a number`);
  return n;
};
const defined = (o: Record<string, unknown>) => Object.fromEntries(Object.entries(o).filter(([, v]) => v !== undefined));

/** The admin API call behind each `mock-ams` QA command. */
async function adminCall(action: string, values: Values): Promise<[string, unknown]> {
  switch (action) {
    case 'approve':
    case 'reject':
      return [amsPaths.adminDecisions, defined({ requestId: required(values.request, '--request'), decision: action, note: values.note })];
    case 'settings':
      return [amsPaths.adminSettings, defined({ autoApprove: values['auto-approve'], enrollmentFails: values['enrollment-fails'] })];
    case 'faults':
      return [
        amsPaths.adminFaults,
        defined({
          latencyMs: count(values['latency-ms'], '--latency-ms'),
          serverErrors: count(values['server-errors'], '--server-errors'),
          garbage: count(values.garbage, '--garbage'),
          dropAfterCsrStored: count(values['drop-after-csr'], '--drop-after-csr'),
        }),
      ];
    case 'clock':
      return [amsPaths.adminClock, { offsetDays: count(required(values.days, '--days'), '--days') }];
    case 'revoke':
      return [amsPaths.adminRevoke, { serialNumber: required(values.serial, '--serial'), reason: values.reason ?? 'unspecified' }];
    case 'expire-token':
      return [amsPaths.adminExpireToken, { requestId: required(values.request, '--request') }];
    case 'create-user': {
      const file = required(values['user-file'], '--user-file');
      try {
        return [amsPaths.adminUsers, JSON.parse(await readTextFile(file)) as unknown];
      } catch (cause) {
        if (cause instanceof AppError) throw cause;
        throw new AppError('INPUT_INVALID', { detail: `${file} is not JSON`, cause });
      }
    }
    case 'requests':
      return [amsPaths.adminRequests, undefined];
    default:
      return [amsPaths.adminReset, {}];
  }
}
