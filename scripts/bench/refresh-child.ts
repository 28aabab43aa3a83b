// The refresh rows' measured part (scripts/bench/app-rows.ts), in a process of its own: the app's
// main process after a restart, with its core, its ledger of 1,001 entries and the tokens its
// keychain holds, against the mock AMS the bench runs in another process. Answers with the rows.
import { startCore } from '../../src-main/services/core';
import { benchPorts, sessionVault } from './app-rows';
import { maxLoopDelay, median, profiled, timed, type Row } from './measure';

export interface RefreshJob {
  dataDir: string;
  mockUrl: string;
  /** [ledger entry id, CSR token] */
  tokens: [string, string][];
}

const ENTRIES = '1,000';

async function measure({ dataDir, mockUrl, tokens }: RefreshJob): Promise<Row[]> {
  const vault = await sessionVault();
  for (const [id, token] of tokens) await vault.set(id, token);
  const core = await startCore({
    dataDir,
    embedded: { url: mockUrl, mintToken: () => Promise.reject(new Error('bench: no demo requests here')) },
    version: 'bench',
    vault,
    ports: benchPorts(dataDir),
  });
  const rows: Row[] = [];
  try {
    // Every status changed happens once (the refresh changes them); nothing changed is the same
    // refresh again, so it is run five times and the median reported, like the other rows.
    for (const [changed, rounds] of [[true, 1], [false, 5]] as const) {
      // memoryUsage.rss() reads one number; memoryUsage() walks the heap and would itself stall the loop.
      const startRss = process.memoryUsage.rss();
      let peakRss = startRss;
      // Only where the RSS row is reported: each reading costs a system call, counted in the refresh's time.
      const sampler = changed ? setInterval(() => (peakRss = Math.max(peakRss, process.memoryUsage.rss())), 20) : undefined;
      const times: number[] = [];
      const delays: number[] = [];
      for (let round = 0; round < rounds; round++) {
        delays.push(
          await profiled(`refresh-${changed ? 'changed' : 'unchanged'}-${round}`, () =>
            maxLoopDelay(async () => {
              times.push(
                await timed(async () => {
                  const result = await core.dispatch('ledger.refresh', {}, { emit: () => {} });
                  if (!result.ok) throw new Error(`ledger.refresh: ${JSON.stringify(result.error)}`);
                }),
              );
            }),
          ),
        );
      }
      clearInterval(sampler);
      const what = changed ? 'every status changed' : 'nothing changed';
      const note = rounds > 1 ? `median of ${rounds}; each ${times.map((t) => (t / 1000).toFixed(2)).join(', ')} s` : undefined;
      rows.push({ name: `ledger.refresh, ${ENTRIES} entries, ${what}`, ours: median(times) / 1000, unit: 's', target: { kind: 'max', max: changed ? 2 : 0.5 }, ...(note ? { note } : {}) });
      rows.push({ name: `main-loop stall: ledger.refresh, ${what}`, ours: median(delays), unit: 'ms', target: { kind: 'max', max: 50 } });
      if (changed) {
        const mb = (bytes: number) => Math.round(bytes / 1024 / 1024);
        const rssNote = `${mb(startRss)} MB before it; a process of its own, like the app's main process (the mock AMS in another)`;
        rows.push({ name: `RSS peak during ledger.refresh, ${what}`, ours: peakRss / 1024 / 1024, unit: 'MB', target: { kind: 'max', max: 250 }, note: rssNote });
      }
    }
  } finally {
    await core.close();
  }
  return rows;
}

process.once('message', (job) => {
  measure(job as RefreshJob).then(
    (rows) => process.send!(rows, () => process.exit(0)),
    (error: unknown) => {
      console.error(error);
      process.exit(1);
    },
  );
});
