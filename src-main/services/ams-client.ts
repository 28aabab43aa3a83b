import axios, { AxiosError, type AxiosInstance } from 'axios';
import type { z } from 'zod';
import { AppError, type ErrorCode } from '../../src/contract/errors';
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
  timeoutMs?: number;
  /** Extra attempts after a network failure or a 5xx answer. */
  retries?: number;
  retryDelayMs?: number;
}

/** How each AMS error code reaches the user. */
const amsCodeToAppCode: Record<AmsErrorCode, ErrorCode> = {
  BAD_REQUEST: 'SERVER_BAD_RESPONSE',
  TOKEN_UNKNOWN: 'TOKEN_UNKNOWN',
  TOKEN_EXPIRED: 'TOKEN_EXPIRED',
  TOKEN_ALREADY_USED: 'TOKEN_ALREADY_USED',
  CSR_INVALID: 'CSR_REJECTED',
  NOT_ISSUED: 'CERT_NOT_ISSUED',
  NOT_ALLOWED: 'SERVER_BAD_RESPONSE',
  PROFILE_INVALID: 'INPUT_INVALID',
  ADMIN_KEY_INVALID: 'ADMIN_KEY_INVALID',
  USER_UNKNOWN: 'USER_UNKNOWN',
  NOT_FOUND: 'SERVER_BAD_RESPONSE',
  INTERNAL: 'SERVER_ERROR',
};

/**
 * The LOCK-facing AMS API. Every call is safe to repeat — a CSR upload
 * included, because AMS answers an identical re-upload as success — so network
 * failures and 5xx answers are retried a bounded number of times.
 */
export class AmsClient {
  private readonly http: AxiosInstance;
  private readonly retries: number;
  private readonly retryDelayMs: number;

  constructor(
    readonly baseUrl: string,
    options: AmsClientOptions = {},
  ) {
    this.http = axios.create({
      baseURL: baseUrl,
      timeout: options.timeoutMs ?? 20_000,
      headers: { 'content-type': 'application/json', accept: 'application/json' },
      // Answers are validated against the shared schemas, never trusted as-is.
      transformResponse: (data: unknown) => data,
      validateStatus: () => true,
      maxRedirects: 0,
      proxy: false,
    });
    this.retries = options.retries ?? 2;
    this.retryDelayMs = options.retryDelayMs ?? 400;
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

  /** The issued certificate and its CA chain; CERT_NOT_ISSUED before issuance. */
  certificate(token: string): Promise<CertificateResponse> {
    return this.post(amsPaths.certificate, { token }, certificateResponseSchema);
  }

  private async post<S extends z.ZodType>(path: string, body: unknown, schema: S): Promise<z.infer<S>> {
    for (let attempt = 0; ; attempt++) {
      try {
        return await this.once(path, body, schema);
      } catch (error) {
        const retryable = error instanceof AppError && ['SERVER_UNREACHABLE', 'SERVER_TIMEOUT', 'SERVER_ERROR'].includes(error.code);
        if (!retryable || attempt >= this.retries) throw error;
        await new Promise((resolve) => setTimeout(resolve, this.retryDelayMs * 2 ** attempt));
      }
    }
  }

  private async once<S extends z.ZodType>(path: string, body: unknown, schema: S): Promise<z.infer<S>> {
    let response;
    try {
      response = await this.http.post<string>(path, JSON.stringify(body));
    } catch (cause) {
      throw networkError(cause);
    }
    const json = parseJson(response.data);
    if (response.status >= 200 && response.status < 300) {
      const parsed = schema.safeParse(json);
      if (!parsed.success) throw new AppError('SERVER_BAD_RESPONSE', { detail: `HTTP ${response.status}`, expected: false });
      return parsed.data;
    }
    const failure = amsErrorBodySchema.safeParse(json);
    if (failure.success) {
      const code = amsCodeToAppCode[failure.data.error.code];
      const detail = code === 'CSR_REJECTED' ? failure.data.error.message : undefined;
      throw new AppError(code, detail === undefined ? {} : { detail });
    }
    throw new AppError(response.status >= 500 ? 'SERVER_ERROR' : 'SERVER_BAD_RESPONSE', { detail: `HTTP ${response.status}` });
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

function networkError(cause: unknown): AppError {
  const code = cause instanceof AxiosError ? cause.code : undefined;
  if (code === 'ECONNABORTED' || code === 'ETIMEDOUT' || code === AxiosError.ETIMEDOUT) {
    return new AppError('SERVER_TIMEOUT', { cause });
  }
  return new AppError('SERVER_UNREACHABLE', { detail: code, cause });
}
