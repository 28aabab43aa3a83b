// Run by tests/integration/keep-alive-pool.test.ts through the keep-alive pool, never by a project of its own.
import { appendFileSync } from 'node:fs';
import { it } from 'vitest';
import { evaluation, mutantAtImport } from './evaluated';

it('reports its process and what it imported', () => {
  appendFileSync(process.env['KEEP_ALIVE_REPORT']!, `${JSON.stringify({ pid: process.pid, evaluation, mutantAtImport: mutantAtImport ?? null })}\n`);
  // What a mutant switched on during this run would leave behind in a process that stays.
  (globalThis as { __stryker__?: { activeMutant?: string } }).__stryker__ = { activeMutant: `left by ${process.pid}` };
});
