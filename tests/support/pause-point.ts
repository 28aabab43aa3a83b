import { vi } from 'vitest';

/**
 * Catches the reliability suite's kill point in-process: LOCK_TEST_PAUSE_AT=`step`, stderr recorded
 * (`said`; `heard` resolves on the first line, "LOCK_TEST_PAUSED <step>"), and the live timer a pause waits
 * on kept (`timers`) so `release()` can clear it — the paused call itself never returns. The caller
 * restores the spies and the environment (vi.restoreAllMocks, vi.unstubAllEnvs).
 */
export function catchPause(step: string): { said: string[]; heard: Promise<void>; timers: ReturnType<typeof setInterval>[]; release(): void } {
  vi.stubEnv('LOCK_TEST_PAUSE_AT', step);
  const said: string[] = [];
  let heardLine = () => {};
  const heard = new Promise<void>((resolve) => (heardLine = resolve));
  vi.spyOn(process.stderr, 'write').mockImplementation((chunk) => (said.push(String(chunk)), heardLine(), true));
  const timers: ReturnType<typeof setInterval>[] = [];
  const setTimer = globalThis.setInterval;
  vi.spyOn(globalThis, 'setInterval').mockImplementation(((fn: () => void, ms: number) => {
    const timer = setTimer(fn, ms);
    timers.push(timer);
    return timer;
  }) as typeof setInterval);
  return { said, heard, timers, release: () => timers.forEach(clearInterval) };
}
