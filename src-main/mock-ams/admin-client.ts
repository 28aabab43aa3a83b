import { AppError } from '../../src/contract/errors';
import { ADMIN_KEY_HEADER, amsErrorBodySchema } from '../../src/ams-api/schemas';

/** The mock AMS's admin API, for the CLI and QA scripts. */
export class MockAdminClient {
  constructor(
    private readonly server: string,
    private readonly adminKey: string,
  ) {}

  async call(path: string, body?: unknown): Promise<unknown> {
    let response: Response;
    try {
      response = await fetch(new URL(path, this.server), {
        method: body === undefined ? 'GET' : 'POST',
        headers: { [ADMIN_KEY_HEADER]: this.adminKey, 'content-type': 'application/json' },
        ...(body === undefined ? {} : { body: JSON.stringify(body) }),
        signal: AbortSignal.timeout(20_000),
      });
    } catch (cause) {
      // fetch says only "fetch failed"; the reason (ECONNREFUSED, ENOTFOUND, "bad port") is its cause.
      const inner = (cause as Error).cause as NodeJS.ErrnoException | undefined;
      const reason = inner?.code ?? inner?.message ?? (cause as Error).message;
      throw new AppError('SERVER_UNREACHABLE', { detail: `${reason}: ${this.server}`, cause });
    }
    const json = (await response.json().catch(() => undefined)) as unknown;
    if (response.ok) return json;
    const failure = amsErrorBodySchema.safeParse(json);
    if (failure.success && failure.data.error.code === 'ADMIN_KEY_INVALID') throw new AppError('ADMIN_KEY_INVALID');
    if (failure.success && failure.data.error.code === 'USER_UNKNOWN') throw new AppError('USER_UNKNOWN');
    throw new AppError('INPUT_INVALID', { detail: failure.success ? `${failure.data.error.code}: ${failure.data.error.message}` : `HTTP ${response.status}` });
  }
}
