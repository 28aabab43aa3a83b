import type { ChildProcess } from 'node:child_process';
import path from 'node:path';
import type { Plugin } from 'vitest/config';
import { ForksPoolWorker, type PoolOptions, type PoolRunnerInitializer, type WorkerRequest } from 'vitest/node';

/**
 * A vitest pool for mutation runs (vitest.mutation.config.ts): vitest's forks pool, except that a process is kept
 * between runs instead of started for each. Stryker starts one vitest run per mutant; a fresh process costs a
 * Node start, vitest's worker runtime and the import of every dependency (zod, node-forge, axios…) before the
 * first test. A kept process pays that once.
 *
 * What must not leak from one mutant to the next: every module outside node_modules is evaluated afresh in each
 * run (keep-alive-worker.mjs), so module-level code (Stryker's "static" mutants) runs with that run's mutant
 * active, as in a fresh process; Stryker's global namespace is dropped too. Only node_modules stay loaded (nothing
 * there is mutated). A process is kept only after a run that ended normally (vitest asked it to stop and it
 * answered), and for RUNS_PER_PROCESS runs at most (what tests leave behind cannot pile up without end).
 * tests/integration/keep-alive-pool.test.ts states these promises.
 */
const RUNS_PER_PROCESS = 100;
const ENTRY = path.resolve(import.meta.dirname, 'keep-alive-worker.mjs');
const idle = new Map<string, { child: ChildProcess; runs: number }[]>();

class KeepAliveWorker extends ForksPoolWorker {
  override readonly name = 'keep-alive-forks';
  private readonly key: string;
  private runs = 0;
  /** vitest asked the process to stop and waited for its answer: a run that ended normally (not a forced stop). */
  private stopAsked = false;
  private listening: [string, (...args: unknown[]) => void][] = [];

  constructor(options: PoolOptions) {
    super(options);
    Object.assign(this, { entrypoint: ENTRY });
    this.key = JSON.stringify([options.project.name, options.execArgv]);
  }

  private get child(): ChildProcess | undefined {
    return (this as unknown as { _fork?: ChildProcess })._fork;
  }

  private set child(child: ChildProcess | undefined) {
    (this as unknown as { _fork?: ChildProcess })._fork = child;
  }

  override async start(): Promise<void> {
    const kept = idle.get(this.key)?.pop();
    if (kept) {
      this.child = kept.child;
      this.runs = kept.runs;
    }
    await super.start();
  }

  override on(event: string, callback: (...args: unknown[]) => void): void {
    this.listening.push([event, callback]);
    super.on(event, callback);
  }

  override send(message: WorkerRequest): void {
    if (message.type === 'stop') this.stopAsked = true;
    if (message.type === 'run' || message.type === 'collect') this.runs += 1;
    super.send(message);
  }

  override async stop(): Promise<void> {
    const child = this.child;
    for (const [event, callback] of this.listening.splice(0)) super.off(event, callback);
    const reusable = child && this.stopAsked && child.connected && child.exitCode === null && this.runs < RUNS_PER_PROCESS;
    this.stopAsked = false;
    if (!reusable) return super.stop();
    // Undo what start() attached, as ForksPoolWorker.stop does before it ends the process.
    child.off('error', (this as unknown as { emitError: (error: Error) => void }).emitError);
    const streams = this as unknown as { stdout: NodeJS.WritableStream & { setMaxListeners(n: number): void; getMaxListeners(): number }; stderr: typeof streams.stdout };
    for (const [from, to] of [[child.stdout, streams.stdout], [child.stderr, streams.stderr]] as const) {
      if (!from) continue;
      from.unpipe(to);
      to.setMaxListeners(to.getMaxListeners() - 1);
    }
    this.child = undefined;
    idle.set(this.key, [...(idle.get(this.key) ?? []), { child, runs: this.runs }]);
  }
}

process.once('exit', () => {
  for (const kept of idle.values()) for (const { child } of kept) child.kill('SIGKILL');
});

export function keepAlivePool(): PoolRunnerInitializer {
  return { name: 'keep-alive-forks', createPoolWorker: (options) => new KeepAliveWorker(options) };
}

/**
 * Runs its project in the keep-alive pool whatever pool the command line named: Stryker's vitest runner starts
 * vitest with `pool: 'forks'`, which overrides a project's own `pool`. configureVitest runs once the projects'
 * configurations are resolved, command line included.
 */
export function keepAlivePlugin(): Plugin {
  const pool = keepAlivePool();
  return {
    name: 'lock-keep-alive-pool',
    configureVitest({ project }) {
      Object.assign(project.config, { pool: pool.name, poolRunner: pool });
    },
  };
}
