/**
 * Test seams. Write failures: every write this app makes to its own files
 * (keys, ledger, settings, downloads) passes through `beforeWrite`, which does
 * nothing unless LOCK_TEST_WRITE_FAULT="N:CODE" is set — then the Nth write of
 * this process and every later one fails with CODE (ENOSPC, EIO, ...), the way
 * a full disk keeps failing until space is freed. The reliability suite uses it
 * to fail each write of a flow in turn; the environment of a real user never
 * has it.
 */
interface Plan {
  failAt: number;
  code: string;
}

/**
 * One count per process: the built CLI may hold two copies of this module (a
 * command's file and the file of a part it loads only sometimes).
 */
const state: { plan: Plan | null | undefined; writes: number } = ((globalThis as Record<symbol, unknown>)[Symbol.for('lock-desktop.write-faults')] ??= {
  plan: undefined,
  writes: 0,
}) as never;

function parse(spec: string | undefined): Plan | null {
  const match = /^(\d+):([A-Z]+)$/.exec(spec ?? '');
  return match ? { failAt: Number(match[1]), code: match[2]! } : null;
}

/** Replaces the plan (in-process tests); `undefined` re-reads the environment. */
export function setWriteFaults(spec: string | undefined): void {
  state.plan = spec === undefined ? undefined : parse(spec);
  state.writes = 0;
}

/** How many writes this process has made so far. */
export function writeCount(): number {
  return state.writes;
}

export function beforeWrite(what: string): void {
  if (state.plan === undefined) state.plan = parse(process.env['LOCK_TEST_WRITE_FAULT']);
  state.writes += 1;
  const { plan, writes } = state;
  if (plan && writes >= plan.failAt) {
    throw Object.assign(new Error(`${plan.code}: injected write failure #${writes} (${what})`), { code: plan.code });
  }
}

/**
 * Test seam for kill -9 at a given step: with LOCK_TEST_PAUSE_AT=<step> the
 * process says "LOCK_TEST_PAUSED <step>" on stderr when it gets there and
 * waits forever, for the reliability suite to kill it at exactly that point.
 * Without the variable (every real run) it returns at once.
 */
export async function pausePoint(step: string): Promise<void> {
  if (process.env['LOCK_TEST_PAUSE_AT'] !== step) return;
  process.stderr.write(`LOCK_TEST_PAUSED ${step}\n`);
  await new Promise<never>(() => setInterval(() => {}, 60_000));
}
