// A Stryker reporter that appends one line per tested mutant (status, file:line:column, mutator, replacement)
// to the file named by LOCK_MUTATION_LOG, as it is tested. Stryker's own reports are written only when a run
// ends; on this loaded machine a group may have to be stopped, and then this log still says which mutants
// survived so far (scripts/mutation.mjs sets the file per group).
// Before the first mutant it writes the plan per file: how many mutants run only their covering tests
// ("runtime"), how many are static (hit at import or in a beforeAll, so every related test file runs for
// them), how many no test reaches, and Stryker's estimated net test time — where a run's minutes will go.
import { appendFileSync } from 'node:fs';
import { relative } from 'node:path';
import { declareClassPlugin, PluginKind } from '@stryker-mutator/api/plugin';

const log = (line) => {
  const file = process.env['LOCK_MUTATION_LOG'];
  if (file) appendFileSync(file, `${line}\n`);
};

class MutantLogReporter {
  onMutationTestingPlanReady({ mutantPlans }) {
    const perFile = new Map();
    for (const { plan, mutant, netTime, runOptions } of mutantPlans) {
      const name = relative(process.cwd(), mutant.fileName);
      const row = perFile.get(name) ?? { runtime: 0, static: 0, noCoverage: 0, early: 0, netSeconds: 0 };
      if (plan !== 'Run') row.early += 1;
      else if (runOptions.testFilter?.length === 0) row.noCoverage += 1;
      else if (mutant.static) row.static += 1;
      else row.runtime += 1;
      if (plan === 'Run') row.netSeconds += (netTime ?? 0) / 1000;
      perFile.set(name, row);
    }
    log(`${new Date().toISOString()} PLAN file: runtime static no-coverage already-known estimated-net-seconds`);
    for (const [name, r] of perFile) {
      log(`PLAN ${name}: ${r.runtime} ${r.static} ${r.noCoverage} ${r.early} ${Math.round(r.netSeconds)}`);
    }
  }

  onMutantTested(result) {
    const where = `${relative(process.cwd(), result.fileName)}:${result.location.start.line}:${result.location.start.column + 1}`;
    const replacement = (result.replacement ?? '').replace(/\s+/g, ' ').slice(0, 120);
    log(`${new Date().toISOString()} ${result.status.padEnd(10)} ${where} ${result.mutatorName}: ${replacement}`);
  }
}

export const strykerPlugins = [declareClassPlugin(PluginKind.Reporter, 'mutant-log', MutantLogReporter)];
