import axios, { AxiosError, type AxiosInstance } from 'axios';
import type * as z from 'zod';
import { AppError, type ErrorCode } from '../../src/contract/errors';
import { agentsFor, type AmsNetwork } from './network';
import {
  amsErrorBodySchema,
  amsPaths,
  certificateResponseSchema,
  employeeResponseSchema,
  statusResponseSchema,
  type AmsErrorCode,
  type CertificateResponse,
  type EmployeeResponse,
  type StatusResponse,
} from '../../src/ams-api/schemas';

export interface AmsClientOptions {
  /** Deadline for one attempt: connect, headers and the whole body. */
  timeoutMs?: number;
  /** Cap on all attempts of one call together, back-off included. */
  budgetMs?: number;
  /** Largest answer accepted, counted after decompression. */
  maxBodyBytes?: number;
  /** Extra attempts after a network failure, a time-out or a 5xx answer, within the budget. */
  retries?: number;
  retryDelayMs?: number;
  /** Proxy and extra trust anchors (office networks); default: direct, Node's CAs. */
  network?: AmsNetwork;
  /** The clock the retry budget is measured with; tests inject one to reach its limits exactly. */
  now?: () => number;
}

export const AMS_DEFAULTS = { timeoutMs: 8_000, budgetMs: 20_000, maxBodyBytes: 1024 * 1024, retries: 2, retryDelayMs: 400 } as const;

/** How each AMS error code reaches the user. */
const amsCodeToAppCode: Record<AmsErrorCode, ErrorCode> = {
  BAD_REQUEST: 'SERVER_BAD_RESPONSE',
  TOKEN_UNKNOWN: 'TOKEN_UNKNOWN',
  TOKEN_EXPIRED: 'TOKEN_EXPIRED',
  TOKEN_ALREADY_USED: 'TOKEN_ALREADY_USED',
  CSR_INVALID: 'CSR_REJECTED',
  NOT_ISSUED: 'CERT_NOT_ISSUED',
  REVOKED: 'CERT_REVOKED',
  NOT_ALLOWED: 'SERVER_BAD_RESPONSE',
  PROFILE_INVALID: 'INPUT_INVALID',
  ADMIN_KEY_INVALID: 'ADMIN_KEY_INVALID',
  USER_UNKNOWN: 'USER_UNKNOWN',
  NOT_FOUND: 'SERVER_BAD_RESPONSE',
  INTERNAL: 'SERVER_ERROR',
};

// SERVER_UNTRUSTED and SERVER_CERT_TIME are not among them: the same certificate comes back on every try.
const RETRYABLE: ErrorCode[] = ['SERVER_UNREACHABLE', 'SERVER_TIMEOUT', 'SERVER_ERROR'];
const retryable = (error: unknown): boolean => error instanceof AppError && RETRYABLE.includes(error.code);
/**
 * A server certificate this client does not trust: OpenSSL's verify results as Node names them
 * (src/crypto/crypto_common.cc; UNSPECIFIED for one Node has no name for, such as a CA without
 * keyCertSign) and Node's own host name check. Not the server's TLS alerts about *our* side
 * (ERR_SSL_…_ALERT_…), nor OUT_OF_MEM.
 */
const UNTRUSTED_CERTIFICATE = new Set([
  'UNABLE_TO_GET_ISSUER_CERT',
  'UNABLE_TO_GET_CRL',
  'UNABLE_TO_DECRYPT_CERT_SIGNATURE',
  'UNABLE_TO_DECRYPT_CRL_SIGNATURE',
  'UNABLE_TO_DECODE_ISSUER_PUBLIC_KEY',
  'CERT_SIGNATURE_FAILURE',
  'CRL_SIGNATURE_FAILURE',
  'CRL_NOT_YET_VALID',
  'CRL_HAS_EXPIRED',
  'ERROR_IN_CERT_NOT_BEFORE_FIELD',
  'ERROR_IN_CERT_NOT_AFTER_FIELD',
  'ERROR_IN_CRL_LAST_UPDATE_FIELD',
  'ERROR_IN_CRL_NEXT_UPDATE_FIELD',
  'DEPTH_ZERO_SELF_SIGNED_CERT',
  'SELF_SIGNED_CERT_IN_CHAIN',
  'UNABLE_TO_GET_ISSUER_CERT_LOCALLY',
  'UNABLE_TO_VERIFY_LEAF_SIGNATURE',
  'CERT_CHAIN_TOO_LONG',
  'CERT_REVOKED',
  'INVALID_CA',
  'PATH_LENGTH_EXCEEDED',
  'INVALID_PURPOSE',
  'CERT_UNTRUSTED',
  'CERT_REJECTED',
  'HOSTNAME_MISMATCH',
  'UNSPECIFIED',
  'ERR_TLS_CERT_ALTNAME_INVALID',
]);
/** Outside its dates: most often this computer's clock, not the server. */
const CERTIFICATE_DATES = new Set(['CERT_NOT_YET_VALID', 'CERT_HAS_EXPIRED']);

/**
 * The LOCK-facing AMS API. Every call is safe to repeat — a CSR upload
 * included, because AMS answers an identical re-upload as success — so network
 * failures and 5xx answers are retried, within a total budget. Each attempt
 * has an overall deadline (a server trickling its body one byte at a time is
 * cut off) and a size limit counted after decompression (a gzip bomb stops at
 * the limit), both named in the error.
 */
export class AmsClient {
  private readonly http: AxiosInstance;
  private readonly limits: Required<Omit<AmsClientOptions, 'network' | 'now'>>;
  private readonly now: () => number;

  constructor(
    readonly baseUrl: string,
    options: AmsClientOptions = {},
  ) {
    const { network, now, ...limits } = options;
    this.limits = { ...AMS_DEFAULTS, ...definedOnly(limits) };
    this.now = now ?? Date.now;
    this.http = axios.create({
      // The base path is kept: paths are joined onto it, never resolved against the host.
      baseURL: baseUrl,
      headers: { 'content-type': 'application/json', accept: 'application/json' },
      // Answers are validated against the shared schemas, never trusted as-is.
      transformResponse: (data: unknown) => data,
      responseType: 'text',
      validateStatus: () => true,
      // Node's http stack, always: the fetch adapter has no per-socket limits or proxy agents.
      adapter: 'http',
      maxRedirects: 0,
      maxContentLength: this.limits.maxBodyBytes,
      proxy: false,
    });
    // The agents are made before the first request: a proxy's agent is loaded only when one is set.
    let agents: ReturnType<typeof agentsFor> | undefined;
    this.http.interceptors.request.use(async (config) => Object.assign(config, await (agents ??= agentsFor(network, baseUrl))));
  }

  employee(token: string): Promise<EmployeeResponse> {
    return this.post(amsPaths.employee, { token }, employeeResponseSchema);
  }

  uploadCsr(token: string, csr: string): Promise<StatusResponse> {
    return this.post(amsPaths.csr, { token, csr }, statusResponseSchema);
  }

  status(token: string): Promise<StatusResponse> {
    return this.post(amsPaths.status, { token }, statusResponseSchema);
  }

  /** The issued certificate and its CA chain; CERT_NOT_ISSUED before issuance, CERT_REVOKED after revocation. */
  certificate(token: string): Promise<CertificateResponse> {
    return this.post(amsPaths.certificate, { token }, certificateResponseSchema);
  }

  /** AMS's CA chain (PEM), one attempt under the same deadline and size limit. */
  async caChain(): Promise<string> {
    const response = await this.attempt((signal) => this.http.get<string>(amsPaths.caChain, { signal, headers: { accept: 'application/x-pem-file, text/plain' } }), this.limits.timeoutMs);
    if (response.status !== 200 || typeof response.data !== 'string') throw new AppError('SERVER_BAD_RESPONSE', { detail: `CA chain: HTTP ${response.status}` });
    return response.data;
  }

  private async post<S extends z.ZodType>(path: string, body: unknown, schema: S): Promise<z.infer<S>> {
    const started = this.now();
    for (let attempt = 0; ; attempt++) {
      const left = this.limits.budgetMs - (this.now() - started);
      try {
        return await this.once(path, body, schema, Math.min(this.limits.timeoutMs, left));
      } catch (error) {
        const delay = this.limits.retryDelayMs * 2 ** attempt;
        const leftAfterDelay = this.limits.budgetMs - (this.now() - started) - delay;
        // Another try only when it would still have a useful slice of the budget.
        if (!retryable(error) || attempt >= this.limits.retries || leftAfterDelay < Math.min(1_000, this.limits.timeoutMs)) {
          // After several tries the wait the user had is the whole of them, not the last one's slice.
          if (attempt > 0 && (error as AppError).code === 'SERVER_TIMEOUT') {
            throw new AppError('SERVER_TIMEOUT', { detail: `no complete answer in ${seconds(this.now() - started)} (${attempt + 1} attempts)`, cause: error });
          }
          throw error;
        }
        await new Promise((resolve) => setTimeout(resolve, delay));
      }
    }
  }

  private async once<S extends z.ZodType>(path: string, body: unknown, schema: S, deadlineMs: number): Promise<z.infer<S>> {
    const response = await this.attempt((signal) => this.http.post<string>(path, JSON.stringify(body), { signal }), deadlineMs);
    if (response.status >= 300 && response.status < 400) throw new AppError('SERVER_BAD_RESPONSE', { detail: `HTTP ${response.status}: redirects are not followed` });
    const json = parseJson(response.data);
    if (response.status >= 200 && response.status < 300) {
      const parsed = schema.safeParse(json);
      if (!parsed.success) throw new AppError('SERVER_BAD_RESPONSE', { detail: `HTTP ${response.status}: not the expected answer`, expected: false });
      return parsed.data;
    }
    const failure = amsErrorBodySchema.safeParse(json);
    if (failure.success) {
      const code = amsCodeToAppCode[failure.data.error.code];
      const detail = code === 'CSR_REJECTED' ? failure.data.error.message.slice(0, 500) : undefined;
      throw new AppError(code, detail === undefined ? {} : { detail });
    }
    throw new AppError(response.status >= 500 ? 'SERVER_ERROR' : 'SERVER_BAD_RESPONSE', { detail: `HTTP ${response.status}` });
  }

  /** One HTTP exchange under an overall deadline; network and limit failures as coded errors. */
  private async attempt<T>(send: (signal: AbortSignal) => Promise<T>, deadlineMs: number): Promise<T> {
    // Not AbortSignal.timeout: its timer cannot be cancelled, so every answered call would still fire
    // (and build a DOMException) seconds later — a thousand of them during the next refresh.
    const controller = new AbortController();
    const timer = setTimeout(() => controller.abort(), Math.max(1, deadlineMs));
    try {
      return await send(controller.signal);
    } catch (cause) {
      if (controller.signal.aborted) throw new AppError('SERVER_TIMEOUT', { detail: `no complete answer within ${seconds(deadlineMs)}`, cause });
      throw this.networkError(cause);
    } finally {
      clearTimeout(timer);
    }
  }

  private networkError(cause: unknown): AppError {
    const error = cause instanceof AxiosError ? cause : undefined;
    if (error?.message.includes('maxContentLength')) {
      return new AppError('SERVER_BAD_RESPONSE', { detail: `answer over ${this.limits.maxBodyBytes} bytes`, cause });
    }
    const code = error?.code;
    if (code === AxiosError.ECONNABORTED || code === AxiosError.ETIMEDOUT) return new AppError('SERVER_TIMEOUT', { cause });
    // A broken gzip stream, an HTTP parse error or a bad redirect: the server answered, badly.
    if (code === AxiosError.ERR_BAD_RESPONSE || code?.startsWith('Z_') || code?.startsWith('HPE_') || code === 'ERR_FR_TOO_MANY_REDIRECTS') {
      return new AppError('SERVER_BAD_RESPONSE', { detail: code, cause });
    }
    // Reached, but not the server it claims to be (or an inspecting proxy whose CA is not trusted here).
    if (code && CERTIFICATE_DATES.has(code)) return new AppError('SERVER_CERT_TIME', { detail: code, cause });
    if (code && UNTRUSTED_CERTIFICATE.has(code)) return new AppError('SERVER_UNTRUSTED', { detail: code, cause });
    return new AppError('SERVER_UNREACHABLE', { ...(code ? { detail: code } : {}), cause });
  }
}

function parseJson(text: unknown): unknown {
  if (typeof text !== 'string') return undefined;
  try {
    return JSON.parse(text) as unknown;
  } catch {
    return undefined;
  }
}

const seconds = (ms: number) => `${Math.round(ms / 100) / 10} s`;
const definedOnly = <T extends object>(o: T) => Object.fromEntries(Object.entries(o).filter(([, v]) => v !== undefined)) as Partial<T>;
