// The child side of tests/support/keep-alive-pool.ts: vitest's forks worker (node_modules/vitest/dist/workers/forks.js),
// except that "stop" leaves the process waiting for the next run, and each run evaluates the project's modules afresh.
import { init, runBaseTests, setupEnvironment } from 'vitest/worker';

const processSend = process.send.bind(process);
const processExit = process.exit.bind(process);
const messageListeners = [];
process.on('error', (error) => {
  if (error?.code === 'ERR_IPC_CHANNEL_CLOSED' || error?.code === 'EPIPE') processExit(1);
});
// The parent (a Stryker worker) is gone: nobody will send another run.
process.on('disconnect', () => processExit(1));

/** vitest's module cache, which its worker runtime keeps between runs with `isolate: false`; known after a first run. */
let evaluated;

/**
 * This process as a fresh one would be for the next run: every module of the project evaluated afresh, so
 * module-level code runs with this run's mutant active (Stryker's "static" mutants) and no state one mutant left
 * in a module reaches the next; and Stryker's global namespace gone, so no module is evaluated with the last
 * run's mutant active (a runtime mutant is switched on only in a beforeAll, after the imports). What stays loaded
 * is node_modules, where nothing is mutated.
 */
function forgetLastRun(state) {
  const namespace = state.ctx.providedContext?.globalNamespace;
  if (typeof namespace === 'string') delete globalThis[namespace];
  if (!evaluated) return;
  for (const [file, modules] of evaluated.fileToModulesMap) {
    if (/[\\/]node_modules[\\/]/.test(file)) continue;
    for (const module of modules) evaluated.invalidateModule(module);
  }
}

const runner = (method) => async (state, traces) => {
  forgetLastRun(state);
  try {
    await runBaseTests(method, state, traces);
  } finally {
    evaluated = state.evaluatedModules;
  }
};

init({
  post: (message) => processSend(message),
  on: (listener) => {
    messageListeners.push(listener);
    process.on('message', listener);
  },
  off: (listener) => process.off('message', listener),
  // After "stop": the first listener is init's own; the others are the finished run's RPC, dropped.
  teardown: () => {
    for (const listener of messageListeners.splice(1)) process.off('message', listener);
  },
  runTests: runner('run'),
  collectTests: runner('collect'),
  setup: setupEnvironment,
});
