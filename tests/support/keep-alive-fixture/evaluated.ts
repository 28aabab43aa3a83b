// A module with module-level state, for tests/integration/keep-alive-pool.test.ts: how many times this process
// has evaluated it, and what Stryker's namespace held when it was.
const counts = globalThis as { __keepAliveEvaluations?: number; __stryker__?: { activeMutant?: string } };
counts.__keepAliveEvaluations = (counts.__keepAliveEvaluations ?? 0) + 1;
export const evaluation = counts.__keepAliveEvaluations;
export const mutantAtImport = counts.__stryker__?.activeMutant;
