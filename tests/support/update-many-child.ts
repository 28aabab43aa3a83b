// A ledger writer to kill: every row rewritten with updateMany (a refresh's write), round after round.
// Bundled and run by tests/reliability/refresh-kill.test.ts. Usage: DATA-DIR [LAST-ROUND]
// Prints the rows' order once (the slices follow it), then each round's number when it is written.
import { RequestLedger } from '../../src-main/storage/ledger-store';

async function main(dataDir: string, lastRound: number): Promise<void> {
  const ledger = RequestLedger.inDataDir(dataDir);
  const ids = (await ledger.list()).map((entry) => entry.id);
  process.stdout.write(`${JSON.stringify(ids)}\n`);
  for (let round = 1; round <= lastRound; round++) {
    const change = () => ({ amsStatus: round % 2 ? ('issued' as const) : ('rejected' as const), note: `round ${round}` });
    await ledger.updateMany(new Map(ids.map((id) => [id, change])));
    process.stdout.write(`${round}\n`);
  }
  ledger.close();
}

void main(process.argv[2]!, Number(process.argv[3] ?? Infinity));
