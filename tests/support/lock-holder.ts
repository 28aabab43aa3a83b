import { spawn } from 'node:child_process';

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

/**
 * The longest the event loop was held while `work` ran, in ms (what a window's main process would freeze for):
 * the longest gap between the ticks of a 5 ms interval, up to the first tick after `work` settled.
 */
export async function longestStall<T>(work: () => Promise<T>): Promise<{ result: PromiseSettledResult<T>; stallMs: number }> {
  let last = performance.now();
  let stallMs = 0;
  const sample = () => {
    const now = performance.now();
    stallMs = Math.max(stallMs, now - last);
    last = now;
  };
  const ticker = setInterval(sample, 5);
  const [result] = await Promise.allSettled([work()]);
  await new Promise((resolve) => setTimeout(resolve, 5));
  clearInterval(ticker);
  sample();
  return { result: result!, stallMs };
}
