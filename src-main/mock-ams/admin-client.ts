import { AppError } from '../../src/contract/errors';
import { ADMIN_KEY_HEADER, amsErrorBodySchema } from '../../src/ams-api/schemas';

/** The mock AMS's admin API, for the CLI and QA scripts. */
export class MockAdminClient {
  constructor(
    private readonly server: string,
    private readonly adminKey: string,
    /** How long one call (answer and body) may take before SERVER_TIMEOUT. */
    private readonly timeoutMs = 20_000,
  ) {}

  async call(path: string, body?: unknown): Promise<unknown> {
    let response: Response;
    try {
      response = await fetch(new URL(path, this.server), {
        method: body === undefined ? 'GET' : 'POST',
        headers: { [ADMIN_KEY_HEADER]: this.adminKey, 'content-type': 'application/json' },
        ...(body === undefined ? {} : { body: JSON.stringify(body) }),
        signal: AbortSignal.timeout(this.timeoutMs),
      });
    } catch (cause) {
      if ((cause as Error).name === 'TimeoutError') throw this.timedOut(cause);
      // fetch says only "fetch failed"; the reason (ECONNREFUSED, ENOTFOUND, "bad port") is its cause.
      const inner = (cause as Error).cause as NodeJS.ErrnoException | undefined;
      const reason = inner?.code ?? inner?.message ?? (cause as Error).message;
      throw new AppError('SERVER_UNREACHABLE', { detail: `${reason}: ${this.server}`, cause });
    }
    const json = (await response.json().catch((cause: Error) => {
      if (cause.name === 'TimeoutError') throw this.timedOut(cause);
    })) as unknown;
    // An answer that is not JSON (a stray server on the port) is not a result.
    if (response.ok && json === undefined) throw new AppError('SERVER_BAD_RESPONSE', { detail: `not JSON: ${this.server}` });
    if (response.ok) return json;
    const failure = amsErrorBodySchema.safeParse(json);
    if (failure.success && failure.data.error.code === 'ADMIN_KEY_INVALID') throw new AppError('ADMIN_KEY_INVALID');
    if (failure.success && failure.data.error.code === 'USER_UNKNOWN') throw new AppError('USER_UNKNOWN');
    throw new AppError('INPUT_INVALID', { detail: failure.success ? `${failure.data.error.code}: ${failure.data.error.message}` : `HTTP ${response.status}` });
  }

  /** A server that takes the connection and then does not answer (or stops mid-answer): said as such, not as unreachable. */
  private timedOut(cause: unknown): AppError {
    return new AppError('SERVER_TIMEOUT', { detail: `${this.timeoutMs} ms: ${this.server}`, cause });
  }
}
