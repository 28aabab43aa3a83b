// A Stryker reporter that appends one line per tested mutant (status, file:line:column, mutator, replacement)
// to the file named by LOCK_MUTATION_LOG, as it is tested. Stryker's own reports are written only when a run
// ends; on this loaded machine a group may have to be stopped, and then this log still says which mutants
// survived so far (scripts/mutation.mjs sets the file per group).
import { appendFileSync } from 'node:fs';
import { relative } from 'node:path';
import { declareClassPlugin, PluginKind } from '@stryker-mutator/api/plugin';

class MutantLogReporter {
  onMutantTested(result) {
    const file = process.env['LOCK_MUTATION_LOG'];
    if (!file) return;
    const where = `${relative(process.cwd(), result.fileName)}:${result.location.start.line}:${result.location.start.column + 1}`;
    const replacement = (result.replacement ?? '').replace(/\s+/g, ' ').slice(0, 120);
    appendFileSync(file, `${new Date().toISOString()} ${result.status.padEnd(10)} ${where} ${result.mutatorName}: ${replacement}\n`);
  }
}

export const strykerPlugins = [declareClassPlugin(PluginKind.Reporter, 'mutant-log', MutantLogReporter)];
