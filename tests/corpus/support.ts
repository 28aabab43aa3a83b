import { appendFileSync, readdirSync, statSync } from 'node:fs';
import path from 'node:path';
import { expect } from 'vitest';
import { AppError, isErrorCode, type ErrorCode } from '../../src/contract/errors';

/**
 * The bad-input corpus: every case must end in a coded error (or a deliberate
 * success), within a time cap far above its own deadline (a hang detector, not
 * a performance claim), with bounded memory growth, no stack trace in what a
 * person sees, and nothing written where nothing should be.
 */
export const CASE_TIME_CAP_MS = 20_000;
export const CASE_MEMORY_CAP_MB = 256;

export interface Outcome {
  code: ErrorCode | 'OK';
  detail?: string | undefined;
}

/** Runs one case and returns its outcome; throws (fails the test) on a crash, a hang or a memory blow-up. */
export async function runCase(action: () => Promise<unknown>, caps: { timeMs?: number; memoryMb?: number } = {}): Promise<Outcome> {
  const timeCap = caps.timeMs ?? CASE_TIME_CAP_MS;
  const rssBefore = process.memoryUsage().rss;
  let peak = rssBefore;
  const sampler = setInterval(() => (peak = Math.max(peak, process.memoryUsage().rss)), 20);
  const started = Date.now();
  let timer: NodeJS.Timeout | undefined;
  try {
    const hang = new Promise<never>((_, reject) => {
      timer = setTimeout(() => reject(new Error(`HANG: no outcome within ${timeCap} ms`)), timeCap);
    });
    let outcome: Outcome;
    try {
      await Promise.race([action(), hang]);
      outcome = { code: 'OK' };
    } catch (error) {
      if (error instanceof Error && error.message.startsWith('HANG:')) throw error;
      if (!(error instanceof AppError)) throw new Error(`CRASH: not a coded error: ${String((error as Error)?.stack ?? error)}`, { cause: error });
      outcome = { code: error.code, detail: error.detail };
    }
    expect(Date.now() - started, 'time cap').toBeLessThan(timeCap);
    peak = Math.max(peak, process.memoryUsage().rss);
    expect((peak - rssBefore) / 1024 / 1024, 'memory growth (MB)').toBeLessThan(caps.memoryMb ?? CASE_MEMORY_CAP_MB);
    expect(outcome.detail ?? '', 'no stack trace in the detail').not.toMatch(/\n\s+at |\.ts:\d+/);
    // LOCK_CORPUS_TALLY=file counts the inputs run and their outcomes (for the README's figure).
    const tally = process.env['LOCK_CORPUS_TALLY'];
    if (tally) appendFileSync(tally, `${outcome.code}\n`);
    return outcome;
  } finally {
    clearTimeout(timer);
    clearInterval(sampler);
  }
}

/** Asserts a case's outcome is one of the expected codes. */
export async function expectCode(action: () => Promise<unknown>, want: ErrorCode | 'OK' | (ErrorCode | 'OK')[], caps?: { timeMs?: number; memoryMb?: number }): Promise<Outcome> {
  const outcome = await runCase(action, caps);
  const wanted = Array.isArray(want) ? want : [want];
  expect(wanted, `got ${outcome.code}${outcome.detail ? ` (${outcome.detail})` : ''}`).toContain(outcome.code);
  return outcome;
}

/** Every file under a folder with its size and mtime, to show a case wrote nothing. */
export function snapshot(dir: string): string[] {
  const out: string[] = [];
  const walk = (d: string) => {
    let names: string[];
    try {
      names = readdirSync(d);
    } catch {
      return;
    }
    for (const name of names.sort()) {
      const full = path.join(d, name);
      const s = statSync(full);
      if (s.isDirectory()) walk(full);
      else out.push(`${path.relative(dir, full)} ${s.size} ${s.mtimeMs}`);
    }
  };
  walk(dir);
  return out;
}

/** An HTTP answer a person might see: a coded JSON error or a page, never a stack trace. */
export function expectNoStack(body: string): void {
  expect(body).not.toMatch(/\n\s+at [\w.<>]+ \(|node:internal|\.ts:\d+:\d+/);
}

export { isErrorCode };

/** An HTTP refusal counted like a coded error (its status is the code a client sees). */
export function tallyHttp(status: number): void {
  const tally = process.env['LOCK_CORPUS_TALLY'];
  if (tally) appendFileSync(tally, `HTTP_${status}\n`);
}
