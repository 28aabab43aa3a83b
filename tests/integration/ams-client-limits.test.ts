import { createServer, type IncomingMessage, type ServerResponse } from 'node:http';
import type { AddressInfo } from 'node:net';
import { gzipSync } from 'node:zlib';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { AppError } from '../../src/contract/errors';
import { AMS_DEFAULTS, AmsClient } from '../../src-main/services/ams-client';

/**
 * The AMS client's limits at their exact thresholds, against a fake AMS on
 * loopback: the 1 MiB answer limit (counted after decompression), the
 * per-attempt deadline and the retry budget. The budget is measured with an
 * injected clock that the fake server moves forward on each request, so the
 * limits are reached to the millisecond without any test waiting for them.
 */
const TOKEN = 'A'.repeat(40);
const EMPLOYEE = {
  requestId: 'R1',
  product: 'Tanda Tangan Digital',
  status: 'awaiting_csr',
  employee: { name: 'MAMAN', nik: '3171010101900001', nip: '199001012015031001', position: 'STAF', unit: 'UMUM', organization: 'NAMA INSTANSI', email: 'maman@instansi.go.id', locality: 'Jakarta', province: 'DKI Jakarta', country: 'ID' },
};
/** A valid employee answer padded with JSON whitespace to exactly `bytes` bytes. */
const answerOf = (bytes: number) => {
  const json = JSON.stringify(EMPLOYEE);
  return Buffer.from(json + ' '.repeat(bytes - json.length));
};

type Handler = (req: IncomingMessage, res: ServerResponse) => void;
let handler: Handler = (_req, res) => res.end();
let hits = 0;
let url = '';
const server = createServer((req, res) => {
  hits++;
  req.resume();
  handler(req, res);
});

beforeAll(async () => {
  await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
  url = `http://127.0.0.1:${(server.address() as AddressInfo).port}`;
});
afterAll(async () => {
  server.closeAllConnections();
  await new Promise((resolve) => server.close(resolve));
});

async function failure(call: () => Promise<unknown>): Promise<AppError> {
  const error = await call().then(
    () => undefined,
    (e: unknown) => e,
  );
  expect(error, 'the call should have failed').toBeInstanceOf(AppError);
  return error as AppError;
}

describe('AMS client limits', () => {
  it('the defaults: 8 s per attempt, 20 s for all attempts, 1 MiB answers, 2 retries', () => {
    expect(AMS_DEFAULTS).toEqual({ timeoutMs: 8_000, budgetMs: 20_000, maxBodyBytes: 1_048_576, retries: 2, retryDelayMs: 400 });
  });

  describe('answer size (default limit, 1,048,576 bytes)', () => {
    const plain = (bytes: number): Handler => (_req, res) => {
      const body = answerOf(bytes);
      res.writeHead(200, { 'content-type': 'application/json', 'content-length': String(body.length) });
      res.end(body);
    };
    const gzipped = (bytes: number): Handler => (_req, res) => {
      res.writeHead(200, { 'content-type': 'application/json', 'content-encoding': 'gzip' });
      res.end(gzipSync(answerOf(bytes)));
    };

    it.each([
      ['plain', plain],
      ['gzip (counted after decompression)', gzipped],
    ])('%s: 1,048,575 and 1,048,576 bytes are read, 1,048,577 is refused naming the limit', async (_name, make) => {
      for (const bytes of [1_048_575, 1_048_576]) {
        handler = make(bytes);
        expect((await new AmsClient(url).employee(TOKEN)).employee.name).toBe('MAMAN');
      }
      handler = make(1_048_577);
      const before = hits;
      const error = await failure(() => new AmsClient(url).employee(TOKEN));
      expect([error.code, error.detail]).toEqual(['SERVER_BAD_RESPONSE', 'answer over 1048576 bytes']);
      expect(hits - before, 'an over-long answer is not retried').toBe(1);
    });

    it('a configured limit is the one applied', async () => {
      handler = plain(2_000);
      expect((await new AmsClient(url, { maxBodyBytes: 2_000 }).employee(TOKEN)).requestId).toBe('R1');
      const error = await failure(() => new AmsClient(url, { maxBodyBytes: 1_999 }).employee(TOKEN));
      expect(error.detail).toBe('answer over 1999 bytes');
    });
  });

  describe('per-attempt deadline', () => {
    const silent: Handler = () => undefined;

    it('a server that never answers is cut off at the deadline and reported with it', async () => {
      handler = silent;
      const before = hits;
      const error = await failure(() => new AmsClient(url, { timeoutMs: 300, retries: 0 }).employee(TOKEN));
      expect([error.code, error.detail]).toEqual(['SERVER_TIMEOUT', 'no complete answer within 0.3 s']);
      expect(hits - before).toBe(1);
    });

    it('after several attempts the detail is the whole wait and the number of attempts, not the last slice', async () => {
      handler = silent;
      const before = hits;
      const error = await failure(() => new AmsClient(url, { timeoutMs: 300, retries: 2, retryDelayMs: 1 }).employee(TOKEN));
      expect(hits - before).toBe(3);
      expect(error.code).toBe('SERVER_TIMEOUT');
      expect(error.detail).toMatch(/^no complete answer in (0\.9|1(\.\d)?) s \(3 attempts\)$/);
    });

    it('an answered call leaves no deadline timer running (a refresh of 1,000 would leave 1,000 to fire)', async () => {
      handler = (_req, res) => res.end(JSON.stringify(EMPLOYEE));
      const set = new Set<unknown>();
      let deadlinesSet = 0;
      const realSet = globalThis.setTimeout;
      const realClear = globalThis.clearTimeout;
      globalThis.setTimeout = ((...args: Parameters<typeof setTimeout>) => {
        const timer = realSet(...args);
        if (args[1] === 10_000) deadlinesSet++;
        set.add(timer);
        return timer;
      }) as typeof setTimeout;
      globalThis.clearTimeout = ((timer: Parameters<typeof clearTimeout>[0]) => {
        set.delete(timer);
        realClear(timer);
      }) as typeof clearTimeout;
      try {
        const client = new AmsClient(url, { timeoutMs: 10_000 });
        for (let i = 0; i < 5; i++) expect((await client.employee(TOKEN)).requestId).toBe('R1');
      } finally {
        globalThis.setTimeout = realSet;
        globalThis.clearTimeout = realClear;
      }
      // The deadline is a cancellable timer, set for each attempt and cleared when it is answered.
      const deadlines = [...set].filter((timer) => (timer as { _idleTimeout?: number })._idleTimeout === 10_000);
      expect(deadlinesSet).toBe(5);
      expect(deadlines).toEqual([]);
    });

    it.each([
      ['budget below the deadline: the budget left is the deadline', 300, 'no complete answer within 0.3 s'],
      ['budget equal to the deadline', 400, 'no complete answer within 0.4 s'],
      ['budget above the deadline: the deadline', 500, 'no complete answer within 0.4 s'],
    ])('%s', async (_name, budgetMs, detail) => {
      handler = silent;
      // A stopped clock: all of the budget is left when the attempt starts.
      const error = await failure(() => new AmsClient(url, { timeoutMs: 400, budgetMs, retries: 0, now: () => 0 }).employee(TOKEN));
      expect([error.code, error.detail]).toEqual(['SERVER_TIMEOUT', detail]);
    });
  });

  describe('retry budget (default 20 s), on an injected clock', () => {
    /** A 5xx on every request, each taking `stepMs` of the injected clock. */
    const failing = (clock: { now: number }, stepMs: number): Handler => (_req, res) => {
      clock.now += stepMs;
      res.writeHead(500, { 'content-type': 'text/plain' });
      res.end('down');
    };
    // Another attempt only if, after the back-off, at least 1 s of the 20 s budget is left:
    // with a 2 s back-off, a first attempt may use up to 17 s.
    it.each([
      [16_999, 2],
      [17_000, 2],
      [17_001, 1],
    ])('a first attempt that took %i ms of the budget → %i attempt(s)', async (stepMs, attempts) => {
      const clock = { now: 5_000_000 };
      handler = failing(clock, stepMs);
      const before = hits;
      const client = new AmsClient(url, { retries: 5, retryDelayMs: 2_000, now: () => clock.now });
      const error = await failure(() => client.status(TOKEN));
      expect(error.code).toBe('SERVER_ERROR');
      expect(hits - before).toBe(attempts);
    });

    it('within the budget, the retry count caps the attempts (1 + retries)', async () => {
      const clock = { now: 0 };
      handler = failing(clock, 0);
      const before = hits;
      await failure(() => new AmsClient(url, { retries: 3, retryDelayMs: 1, now: () => clock.now }).status(TOKEN));
      expect(hits - before).toBe(4);
    });

    it('a refusal that is not a server fault is never retried', async () => {
      handler = (_req, res) => {
        res.writeHead(404, { 'content-type': 'application/json' });
        res.end(JSON.stringify({ error: { code: 'TOKEN_UNKNOWN', message: 'unknown token' } }));
      };
      const before = hits;
      expect((await failure(() => new AmsClient(url, { retries: 3, retryDelayMs: 1, now: () => 0 }).status(TOKEN))).code).toBe('TOKEN_UNKNOWN');
      expect(hits - before).toBe(1);
    });
  });
});
