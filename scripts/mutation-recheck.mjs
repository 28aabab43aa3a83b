// `node scripts/mutation-recheck.mjs REPORT.json TEST...`: applies each Timeout mutant of a Stryker JSON report to
// its source file, one at a time, and runs only the given vitest files against it. A static mutant (module-level
// code such as a lookup table) runs every covering test, so under load it can hit Stryker's timeout before any
// test gives a verdict; this says whether the named tests really catch it. Each source file is restored after use.
// A run still going after LOCK_RECHECK_LIMIT_S seconds (180 by default) is stopped and reported as "hangs": an endless loop the tests cannot finish
// (what Stryker's Timeout is meant to catch), as opposed to a slow machine.
import { readFileSync, writeFileSync } from 'node:fs';
import { spawnSync } from 'node:child_process';

const [report, ...tests] = process.argv.slice(2);
const { files } = JSON.parse(readFileSync(report, 'utf8'));
const limitS = Number(process.env['LOCK_RECHECK_LIMIT_S'] ?? 180);
const VITEST = 'node_modules/vitest/vitest.mjs';
const tally = { killed: 0, survived: 0, hangs: 0 };
for (const [file, { mutants }] of Object.entries(files)) {
  const original = readFileSync(file, 'utf8');
  const lines = original.split('\n');
  const offset = (p) => lines.slice(0, p.line - 1).reduce((n, l) => n + l.length + 1, 0) + p.column - 1;
  try {
    for (const m of mutants.filter((x) => x.status === 'Timeout')) {
      const [start, end] = [offset(m.location.start), offset(m.location.end)];
      writeFileSync(file, original.slice(0, start) + m.replacement + original.slice(end));
      // GNU timeout signals its whole process group, so vitest's workers stuck in a mutant's endless loop go too.
      // vitest is started directly: npx puts the command in a process group of its own, which outlived the limit.
      const run = spawnSync('timeout', ['-s', 'KILL', String(limitS), process.execPath, VITEST, 'run', ...tests], { encoding: 'utf8' });
      // Past the limit timeout's SIGKILL reaches its own group, timeout itself included.
      const verdict = run.status === 0 ? 'survived' : run.signal === 'SIGKILL' ? 'hangs' : 'killed';
      tally[verdict]++;
      console.log(`${verdict.toUpperCase().padEnd(8)} ${file}:${m.location.start.line} ${m.mutatorName}: ${original.slice(start, end).slice(0, 50)} -> ${m.replacement.slice(0, 40)}`);
    }
  } finally {
    writeFileSync(file, original);
  }
}
console.log(tally);
