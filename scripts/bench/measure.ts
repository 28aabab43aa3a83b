import { spawnSync } from 'node:child_process';
import { writeFileSync } from 'node:fs';
import { Session } from 'node:inspector';
import path from 'node:path';
import { performance } from 'node:perf_hooks';

/** One line of the bench table: our figure, what it is compared with, and the target it must meet. */
export interface Row {
  name: string;
  ours: number;
  unit: 'ms' | 's' | 'MB' | 'KB';
  /** The like-for-like comparison measured in the same run; absent for absolute targets. */
  anchor?: { value: number; what: string };
  /** ratio: ours / anchor ≤ max; max: ours ≤ max (in `unit`). */
  target: { kind: 'ratio' | 'max'; max: number };
  note?: string;
  /** Why the row could not be measured here (a missing tool); it then counts as missed. */
  skipped?: string;
}

export const ROUNDS = Number(process.env['BENCH_ROUNDS'] ?? 7);

export function median(values: number[]): number {
  const sorted = [...values].sort((a, b) => a - b);
  const mid = sorted.length >> 1;
  return sorted.length % 2 ? sorted[mid]! : (sorted[mid - 1]! + sorted[mid]!) / 2;
}

export function percentile(values: number[], p: number): number {
  const sorted = [...values].sort((a, b) => a - b);
  return sorted[Math.min(sorted.length - 1, Math.floor(sorted.length * p))] ?? 0;
}

export function met(row: Row): boolean {
  if (row.skipped) return false;
  const value = row.target.kind === 'ratio' ? row.ours / row.anchor!.value : row.ours;
  return value <= row.target.max;
}

export async function timed(work: () => Promise<unknown> | unknown): Promise<number> {
  const start = performance.now();
  await work();
  return performance.now() - start;
}

/**
 * Runs ours and the anchor alternately `rounds` times after one warm-up each,
 * so drift in machine load hits both alike; medians in ms.
 */
export async function interleaved(ours: () => Promise<unknown> | unknown, anchor: () => Promise<unknown> | unknown, rounds = ROUNDS): Promise<[number, number]> {
  await ours();
  await anchor();
  const a: number[] = [];
  const b: number[] = [];
  for (let i = 0; i < rounds; i++) {
    a.push(await timed(ours));
    b.push(await timed(anchor));
  }
  return [median(a), median(b)];
}

/** A whole cold process, wall time; throws when it fails, so a broken command is never timed as fast. */
export function runCold(command: string, args: string[], env: NodeJS.ProcessEnv = process.env): void {
  const result = spawnSync(command, args, { stdio: ['ignore', 'ignore', 'pipe'], env });
  if (result.status !== 0) throw new Error(`${command} ${args.slice(0, 3).join(' ')} … failed: ${String(result.stderr ?? result.error)}`.slice(0, 400));
}

/**
 * Largest event-loop delay (ms) on this thread while `work` runs: the longest
 * gap between ticks of a 1 ms timer beyond its period, the end included, so
 * work that never yields to the loop counts too.
 */
export async function maxLoopDelay(work: () => Promise<unknown>): Promise<number> {
  let last = performance.now();
  let worst = 0;
  const tick = () => {
    const now = performance.now();
    worst = Math.max(worst, now - last - 1);
    last = now;
  };
  const timer = setInterval(tick, 1);
  try {
    await work();
  } finally {
    tick();
    clearInterval(timer);
  }
  return Math.max(0, worst);
}

/** The table as Markdown, with the verdict per row. */
export function table(rows: Row[]): string {
  const fmt = (value: number, unit: Row['unit']) => `${value >= 100 ? value.toFixed(0) : value.toFixed(value >= 10 ? 1 : 2)} ${unit}`;
  const lines = ['| measure | LOCK Desktop | anchor, same run | ratio | target | |', '| --- | --- | --- | --- | --- | --- |'];
  for (const row of rows) {
    if (row.skipped) {
      lines.push(`| ${row.name} | — | — | — | ${targetText(row)} | SKIPPED: ${row.skipped} |`);
      continue;
    }
    const anchor = row.anchor ? `${fmt(row.anchor.value, row.unit)} (${row.anchor.what})` : '—';
    const ratio = row.anchor ? `${(row.ours / row.anchor.value).toFixed(2)}×` : '—';
    lines.push(`| ${row.name} | ${fmt(row.ours, row.unit)}${row.note ? ` (${row.note})` : ''} | ${anchor} | ${ratio} | ${targetText(row)} | ${met(row) ? 'OK' : '**OVER**'} |`);
  }
  return lines.join('\n');
}

function targetText(row: Row): string {
  return row.target.kind === 'ratio' ? `≤ ${row.target.max}×` : `≤ ${row.target.max} ${row.unit}`;
}

/** BENCH_PROFILE=DIR writes a CPU profile of this thread during `work` (for finding where a row's time goes; starting and stopping the profiler stall the loop, so they stay outside measured windows). */
export async function profiled<T>(name: string, work: () => Promise<T>): Promise<T> {
  const dir = process.env['BENCH_PROFILE'];
  if (!dir) return work();
  const session = new Session();
  session.connect();
  const post = (method: string) => new Promise<unknown>((resolve, reject) => session.post(method, (error, result) => (error ? reject(error) : resolve(result))));
  await post('Profiler.enable');
  await post('Profiler.start');
  try {
    return await work();
  } finally {
    const { profile } = (await post('Profiler.stop')) as { profile: unknown };
    writeFileSync(path.join(dir, `${name.replace(/[^\w.-]+/g, '_')}.cpuprofile`), JSON.stringify(profile));
    session.disconnect();
  }
}
