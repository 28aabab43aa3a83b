// `npm run test:mutation [-- group ...]`: StrykerJS over stryker.config.mjs, one
// module group at a time (each with its own incremental file and HTML report
// under reports/mutation/<group>/), then a table of scores and run times.
// No-coverage mutants count as survivors, as the issue asks.
import { existsSync, mkdirSync, readdirSync, readFileSync, writeFileSync } from 'node:fs';
import { spawnSync } from 'node:child_process';
import { Stryker } from '@stryker-mutator/core';
import { groups } from '../stryker.config.mjs';

const wanted = process.argv.slice(2);
const unknown = wanted.filter((g) => !(g in groups));
if (unknown.length) {
  console.error(`unknown group(s): ${unknown.join(', ')}; groups: ${Object.keys(groups).join(', ')}`);
  process.exit(2);
}
// One integration test drives the built token worker.
if (!existsSync('dist/worker/pkcs11-worker.cjs')) spawnSync(process.execPath, ['scripts/build.mjs'], { stdio: 'inherit' });

mkdirSync('reports/mutation', { recursive: true });

for (const group of wanted.length ? wanted : Object.keys(groups)) {
  const dir = `reports/mutation/${group}`;
  const started = Date.now();
  process.env.LOCK_MUTATION_PROJECTS = groups[group].projects.join(',');
  process.env.LOCK_MUTATION_LOG = `${dir}/mutants.log`;
  mkdirSync(dir, { recursive: true });
  const results = await new Stryker({
    mutate: groups[group].mutate,
    incrementalFile: `${dir}/stryker-incremental.json`,
    htmlReporter: { fileName: `${dir}/index.html` },
    jsonReporter: { fileName: `${dir}/mutation.json` },
  }).runMutationTest();
  const count = (...statuses) => results.filter((r) => statuses.includes(r.status)).length;
  const detected = count('Killed', 'Timeout');
  const undetected = count('Survived', 'NoCoverage');
  const valid = detected + undetected;
  const summary = {
    projects: groups[group].projects.join('+'),
    score: valid ? Math.round((1000 * detected) / valid) / 10 : 100,
    killed: count('Killed'),
    timeout: count('Timeout'),
    survived: count('Survived'),
    noCoverage: count('NoCoverage'),
    ignored: count('Ignored'),
    errors: count('CompileError', 'RuntimeError'),
    minutes: Math.round((Date.now() - started) / 6000) / 10,
    measuredAt: new Date().toISOString(),
  };
  // One file per group, so groups run side by side never overwrite each other's line.
  writeFileSync(`${dir}/summary.json`, `${JSON.stringify(summary, null, 2)}\n`);
}

const summary = Object.fromEntries(
  readdirSync('reports/mutation')
    .filter((group) => existsSync(`reports/mutation/${group}/summary.json`))
    .map((group) => [group, JSON.parse(readFileSync(`reports/mutation/${group}/summary.json`, 'utf8'))]),
);

console.log('\ngroup      score  killed timeout survived no-cov  minutes  measured');
for (const [group, s] of Object.entries(summary)) {
  console.log(
    `${group.padEnd(10)} ${String(s.score).padStart(5)}% ${String(s.killed).padStart(6)} ${String(s.timeout).padStart(7)} ${String(s.survived).padStart(8)} ${String(s.noCoverage).padStart(6)} ${String(s.minutes).padStart(8)}  ${s.measuredAt}`,
  );
}
