import { spawn } from 'node:child_process';
import { maxLoopDelay } from '../../scripts/bench/measure';

/**
 * A second process (a hung CLI, a window stopped in a debugger) that takes the ledger's write lock and keeps it
 * until `release()` commits, or until it is killed.
 */
export async function lockHolder(file: string): Promise<{ release: () => void; stop: () => Promise<void> }> {
  const holder = spawn(
    process.execPath,
    [
      '-e',
      `const db = new (require('node:sqlite').DatabaseSync)(process.argv[1]); db.exec('BEGIN IMMEDIATE'); console.log('locked');
       process.stdin.once('data', () => { db.exec('COMMIT'); console.log('released'); });`,
      file,
    ],
    { stdio: ['pipe', 'pipe', 'inherit'] },
  );
  await new Promise<void>((resolve, reject) => {
    holder.stdout!.once('data', () => resolve());
    holder.once('exit', (code) => reject(new Error(`the lock holder exited (${code})`)));
  });
  return {
    release: () => holder.stdin!.write('commit\n'),
    stop: async () => {
      holder.kill('SIGKILL');
      if (holder.exitCode === null && holder.signalCode === null) await new Promise((resolve) => holder.once('exit', resolve));
    },
  };
}

/** The longest the event loop was held while `work` ran, in ms (what a window's main process would freeze for). */
export async function longestStall<T>(work: () => Promise<T>): Promise<{ result: PromiseSettledResult<T>; stallMs: number }> {
  let result!: PromiseSettledResult<T>;
  const stallMs = await maxLoopDelay(async () => {
    [result] = await Promise.allSettled([work()]);
  });
  return { result, stallMs };
}
