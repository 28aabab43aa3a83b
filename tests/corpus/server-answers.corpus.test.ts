import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { ErrorCode } from '../../src/contract/errors';
import { AmsClient } from '../../src-main/services/ams-client';
import { behaviours, startFakeAms } from './fake-ams';
import { expectCode } from './support';

/** Small limits so the corpus runs quickly; the defaults are the same code with larger numbers. */
const LIMITS = { timeoutMs: 600, budgetMs: 2_000, maxBodyBytes: 64 * 1024, retries: 2, retryDelayMs: 20 };
const TOKEN = 'A'.repeat(40);

const BAD: ErrorCode = 'SERVER_BAD_RESPONSE';
const expected: Record<string, ErrorCode | 'OK'> = {
  ok: 'OK',
  'slowloris-body': 'SERVER_TIMEOUT',
  'slowloris-chunked': 'SERVER_TIMEOUT',
  'never-answers': 'SERVER_TIMEOUT',
  'headers-then-silence': 'SERVER_TIMEOUT',
  'gzip-bomb-1.5GB': BAD,
  'gzip-bomb-small-header': BAD,
  'deflate-bomb': BAD,
  'brotli-bomb': BAD,
  'gzip-bomb-error-status': BAD,
  'oversize-50MB': BAD,
  'oversize-json-string': BAD,
  'bad-gzip': BAD,
  'truncated-gzip': BAD,
  'malformed-open-brace': BAD,
  'malformed-trailing-garbage': BAD,
  'malformed-html': BAD,
  'malformed-empty': BAD,
  'malformed-deep-nesting': BAD,
  'malformed-nul-bytes': BAD,
  'malformed-bom-json': BAD,
  'json-null': BAD,
  'json-array': BAD,
  'json-string': BAD,
  'json-number-overflow': BAD,
  'schema-missing-employee': BAD,
  'schema-wrong-types': BAD,
  'schema-unknown-status': BAD,
  'schema-proto-pollution': BAD,
  'schema-certificate-not-pem': BAD,
  'redirect-301-other-host': BAD,
  'redirect-302-other-host': BAD,
  'redirect-307-same-host': BAD,
  'redirect-308-https': BAD,
  'status-500-html': 'SERVER_ERROR',
  'status-502-empty': 'SERVER_ERROR',
  'status-503-retry-after': 'SERVER_ERROR',
  'status-404-html': BAD,
  'status-418': BAD,
  'status-401-unknown-code': BAD,
  'error-ansi-csr-detail': 'CSR_REJECTED',
  'error-revoked': 'CERT_REVOKED',
  'reset-immediately': 'SERVER_UNREACHABLE',
  'reset-mid-body': 'SERVER_UNREACHABLE',
  'content-length-short': BAD,
  'garbage-status-line': BAD,
  'header-overflow': BAD,
  'broken-chunked': BAD,
};

describe('corpus: hostile AMS answers (fake AMS on loopback)', () => {
  let url: string;
  let hits: Map<string, number>;
  let close: () => Promise<void>;
  beforeAll(async () => ({ url, hits, close } = await startFakeAms()));
  afterAll(() => close());

  it('every behaviour of the fake AMS has an expected outcome', () => {
    expect(Object.keys(expected).sort()).toEqual(Object.keys(behaviours).sort());
  });

  for (const [name, want] of Object.entries(expected)) {
    it(`look-up: ${name} → ${want}`, async () => {
      const client = new AmsClient(`${url}/case/${name}`, LIMITS);
      // Some faults are legitimately reported as either (a reset can look like a bad answer).
      const accept: (ErrorCode | 'OK')[] = want === 'SERVER_UNREACHABLE' ? [want, BAD] : want === BAD && name.startsWith('garbage') ? [BAD, 'SERVER_UNREACHABLE'] : [want];
      const outcome = await expectCode(() => (name.includes('certificate') ? client.certificate(TOKEN) : client.employee(TOKEN)), name === 'content-length-short' || name === 'header-overflow' || name === 'broken-chunked' ? [BAD, 'SERVER_UNREACHABLE'] : accept);
      if (name === 'error-ansi-csr-detail') expect(outcome.detail!.length).toBeLessThanOrEqual(500);
      if (want === 'SERVER_TIMEOUT') expect(outcome.detail).toMatch(/^no complete answer (within \d+(\.\d)? s|in \d+(\.\d)? s \(\d attempts\))$/);
      if (name.includes('bomb') || name.startsWith('oversize')) expect(outcome.detail).toBe(`answer over ${LIMITS.maxBodyBytes} bytes`);
    });
  }

  it('the CA-chain fetch has the same deadline and size limit, and keeps the base path', async () => {
    await expectCode(() => new AmsClient(`${url}/case/slowloris-body`, LIMITS).caChain(), 'SERVER_TIMEOUT');
    await expectCode(() => new AmsClient(`${url}/case/gzip-bomb-1.5GB`, LIMITS).caChain(), BAD);
    await expectCode(() => new AmsClient(`${url}/case/redirect-302-other-host`, LIMITS).caChain(), BAD);
    // Answered only under the base path: the fake AMS has nothing at /ca/chain.pem itself.
    expect(await new AmsClient(`${url}/case/ok`, LIMITS).caChain()).toContain('requestId');
  });

  it('a slow AMS gets at most the budget, not attempts × deadline', async () => {
    const before = hits.get('never-answers') ?? 0;
    await expectCode(() => new AmsClient(`${url}/case/never-answers`, { ...LIMITS, timeoutMs: 800, budgetMs: 1_000, retries: 5 }).status(TOKEN), 'SERVER_TIMEOUT');
    // Six attempts of 800 ms were allowed by the retry count; the 1 s budget leaves room for one.
    expect((hits.get('never-answers') ?? 0) - before).toBe(1);
    const flaky = hits.get('status-502-empty') ?? 0;
    await expectCode(() => new AmsClient(`${url}/case/status-502-empty`, { ...LIMITS, retries: 2 }).status(TOKEN), 'SERVER_ERROR');
    expect((hits.get('status-502-empty') ?? 0) - flaky).toBe(3);
  });
});
