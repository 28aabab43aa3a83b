import { stat } from 'node:fs/promises';
import { BaseSequencer, type TestSpecification } from 'vitest/node';

/**
 * The order of test files in a mutation run (vitest.mutation.config.ts). Stryker stops a mutant's run at the
 * first failing test (bail), so the file likeliest to fail, and the cheapest, should go first:
 * 1. the files that failed in the previous run of this worker: neighbouring mutants (the next one on the same
 *    line, in the same function) are usually caught by the same file;
 * 2. unit before integration;
 * 3. the files that took least time in their last complete run (vitest's results cache), unknown ones by size,
 *    smallest first.
 * Each project's files run together (they share a process, vitest.mutation.config.ts), in the order of the
 * project's first file.
 * vitest's own order is the opposite, made for speed in parallel: integration before unit (by project name),
 * longest first; and its "failed before" flag sticks to every file that ever caught a mutant.
 */
export class MutationSequencer extends BaseSequencer {
  private previous: TestSpecification[] = [];

  override async sort(files: TestSpecification[]): Promise<TestSpecification[]> {
    const failedBefore = new Set(this.previous.filter((spec) => spec.testModule?.state() === 'failed').map((spec) => spec.moduleId));
    const duration = new Map(files.map((spec) => [spec, this.ctx.cache.getTestSpecificationResult(spec)?.duration]));
    const size = new Map(
      await Promise.all(files.map(async (spec) => [spec, duration.get(spec) === undefined ? (await stat(spec.moduleId)).size : 0] as const)),
    );
    const rank = (spec: TestSpecification) => (failedBefore.has(spec.moduleId) ? 0 : 1) * 2 + (spec.project.name.startsWith('unit') ? 0 : 1);
    const sorted = [...files].sort((a, b) => {
      if (rank(a) !== rank(b)) return rank(a) - rank(b);
      const [da, db] = [duration.get(a), duration.get(b)];
      if (da !== undefined && db !== undefined) return da - db;
      if (da !== undefined || db !== undefined) return da === undefined ? 1 : -1;
      return (size.get(a) ?? 0) - (size.get(b) ?? 0);
    });
    this.previous = sorted;
    // vitest runs its groups by sequence.groupOrder, and files that need a process of their own (isolate: true,
    // groupOrder 0) after every other group. The projects run in the order of their first file here instead.
    const projects = [...new Set(sorted.map((spec) => spec.project))];
    projects.forEach((project, index) => {
      project.config.sequence.groupOrder = index + 1;
    });
    return sorted;
  }
}
