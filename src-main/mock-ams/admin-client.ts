import { AppError } from '../../src/contract/errors';
import { ADMIN_KEY_HEADER, amsErrorBodySchema } from '../../src/ams-api/schemas';

export interface MockAdminLimits {
  /** How long one call (answer and body) may take before SERVER_TIMEOUT. */
  timeoutMs?: number;
  /** The largest answer read (64 MB by default, far above any the mock gives): a server that floods is refused, not buffered. */
  maxAnswerBytes?: number;
}

/** The mock AMS's admin API, for the CLI and QA scripts. */
export class MockAdminClient {
  private readonly timeoutMs: number;
  private readonly maxAnswerBytes: number;

  constructor(
    private readonly server: string,
    private readonly adminKey: string,
    { timeoutMs = 20_000, maxAnswerBytes = 64 * 1024 * 1024 }: MockAdminLimits = {},
  ) {
    this.timeoutMs = timeoutMs;
    this.maxAnswerBytes = maxAnswerBytes;
  }

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
    const text = await this.answerText(response);
    let json: unknown;
    try {
      json = JSON.parse(text);
    } catch {
      // An answer that is not JSON (a stray server on the port) is not a result.
      if (response.ok) throw new AppError('SERVER_BAD_RESPONSE', { detail: `not JSON: ${this.server}` });
    }
    if (response.ok) return json;
    const failure = amsErrorBodySchema.safeParse(json);
    if (failure.success && failure.data.error.code === 'ADMIN_KEY_INVALID') throw new AppError('ADMIN_KEY_INVALID');
    if (failure.success && failure.data.error.code === 'USER_UNKNOWN') throw new AppError('USER_UNKNOWN');
    throw new AppError('INPUT_INVALID', { detail: failure.success ? `${failure.data.error.code}: ${failure.data.error.message}` : `HTTP ${response.status}` });
  }

  /** The answer's body as text, read at most `maxAnswerBytes` far. */
  private async answerText(response: Response): Promise<string> {
    const tooLarge = () => new AppError('SERVER_BAD_RESPONSE', { detail: `answer over ${this.maxAnswerBytes} bytes: ${this.server}` });
    if (Number(response.headers.get('content-length')) > this.maxAnswerBytes) {
      await response.body?.cancel();
      throw tooLarge();
    }
    const chunks: Uint8Array[] = [];
    let length = 0;
    try {
      // Leaving the loop early cancels the stream, which closes the connection.
      for await (const chunk of response.body ?? []) {
        length += chunk.byteLength;
        if (length > this.maxAnswerBytes) throw tooLarge();
        chunks.push(chunk);
      }
    } catch (cause) {
      if ((cause as Error).name === 'TimeoutError') throw this.timedOut(cause);
      if (cause instanceof AppError) throw cause;
      // The connection dropped mid-answer: what came is not a whole answer.
      throw new AppError('SERVER_BAD_RESPONSE', { detail: `answer cut short: ${this.server}`, cause });
    }
    return Buffer.concat(chunks).toString('utf8');
  }

  /** A server that takes the connection and then does not answer (or stops mid-answer): said as such, not as unreachable. */
  private timedOut(cause: unknown): AppError {
    return new AppError('SERVER_TIMEOUT', { detail: `${this.timeoutMs} ms: ${this.server}`, cause });
  }
}
