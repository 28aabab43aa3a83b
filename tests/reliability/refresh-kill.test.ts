import { spawn } from 'node:child_process';
import { randomUUID } from 'node:crypto';
import { mkdirSync, writeFileSync } from 'node:fs';
import path from 'node:path';
import { DatabaseSync } from 'node:sqlite';
import { build } from 'esbuild';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { RequestLedger } from '../../src-main/storage/ledger-store';
import { storedEntry } from '../support/stored-entry';
import { tempDir } from '../support/tools';

/**
 * kill -9 while a refresh writes the ledger: a thousand rows are written a
 * hundred per transaction with the loop let go between slices, so a kill can
 * land inside a slice or between two. Whatever the moment, the file is sound,
 * every row is whole, every slice is all old or all new, and the next write
 * finishes the job.
 */
const ROWS = 1_000;
const SLICE = 100;

describe('kill -9 during a refresh’s ledger write', () => {
  let dir: string;
  let cleanup: () => Promise<void>;
  let child: string;
  beforeAll(async () => {
    ({ dir, cleanup } = await tempDir('lock-refresh-kill-'));
    child = path.join(dir, 'update-many-child.cjs');
    await build({ entryPoints: ['tests/support/update-many-child.ts'], outfile: child, bundle: true, platform: 'node', format: 'cjs', external: ['node:sqlite'], logLevel: 'warning' });
  });
  afterAll(async () => cleanup?.());

  /** A data folder whose ledger holds ROWS requests (an earlier version's ledger.json, moved into SQLite). */
  async function seeded(name: string): Promise<string> {
    const dataDir = path.join(dir, name);
    const entries = Array.from({ length: ROWS }, (_, i) => storedEntry(randomUUID(), i.toString(16).toUpperCase().padStart(40, '0')));
    mkdirSync(dataDir, { recursive: true, mode: 0o700 });
    writeFileSync(path.join(dataDir, 'ledger.json'), JSON.stringify({ version: 1, entries }));
    const ledger = RequestLedger.inDataDir(dataDir);
    expect(await ledger.list()).toHaveLength(ROWS);
    ledger.close();
    return dataDir;
  }

  /** Runs the writer; kills it `afterMs` after its first finished round (or lets it finish `lastRound`). */
  function write(dataDir: string, options: { killAfterMs?: number; lastRound?: number }): Promise<{ order: string[]; rounds: number; signal: string | null }> {
    return new Promise((resolve, reject) => {
      const proc = spawn(process.execPath, [child, dataDir, ...(options.lastRound === undefined ? [] : [String(options.lastRound)])], { stdio: ['ignore', 'pipe', 'inherit'] });
      let out = '';
      let timer: NodeJS.Timeout | undefined;
      proc.stdout.on('data', (chunk: Buffer) => {
        out += chunk.toString();
        if (options.killAfterMs !== undefined && !timer && /^\d+$/m.test(out)) timer = setTimeout(() => proc.kill('SIGKILL'), options.killAfterMs);
      });
      proc.on('error', reject);
      proc.on('close', (code, signal) => {
        clearTimeout(timer);
        const [order, ...rounds] = out.trim().split('\n');
        if (code !== 0 && signal !== 'SIGKILL') return reject(new Error(`writer ended with ${code}`));
        resolve({ order: JSON.parse(order ?? '[]') as string[], rounds: rounds.length, signal });
      });
    });
  }

  /** The round each row was last written in, in the writer's order; the file checked by SQLite itself first. */
  async function roundsOnDisk(dataDir: string, order: string[]): Promise<number[]> {
    const db = new DatabaseSync(path.join(dataDir, 'ledger.sqlite'));
    try {
      expect(db.prepare('PRAGMA integrity_check').get()).toEqual({ integrity_check: 'ok' });
    } finally {
      db.close();
    }
    const ledger = RequestLedger.inDataDir(dataDir);
    const byId = new Map((await ledger.list()).map((entry) => [entry.id, entry]));
    ledger.close();
    expect(byId.size).toBe(ROWS);
    return order.map((id) => {
      const entry = byId.get(id)!;
      const round = Number(/^round (\d+)$/.exec(entry.note ?? 'round 0')?.[1]);
      // Whole rows: the status and the note come from the same round (odd: issued, even: rejected).
      expect(entry.amsStatus).toBe(round === 0 ? undefined : round % 2 ? 'issued' : 'rejected');
      return round;
    });
  }

  it('at six moments: a sound file, whole rows and slices, and the next write completes it', async () => {
    const dataDir = await seeded('ledger');
    let landedInside = 0;
    let order: string[] = [];
    for (const killAfterMs of [0, 3, 11, 23, 41, 67]) {
      const killed = await write(dataDir, { killAfterMs });
      const { rounds, signal } = killed;
      order = killed.order;
      expect(signal).toBe('SIGKILL');
      const onDisk = await roundsOnDisk(dataDir, order);
      for (let at = 0; at < ROWS; at += SLICE) expect(new Set(onDisk.slice(at, at + SLICE)).size, `slice at row ${at}`).toBe(1);
      // Slices are written in order: the first ones may be a round ahead of the rest, never behind.
      const newest = Math.max(...onDisk);
      expect(newest).toBeGreaterThanOrEqual(rounds);
      expect(onDisk.every((round) => round === newest || round === newest - 1)).toBe(true);
      expect(onDisk.join()).toBe([...onDisk].sort((a, b) => b - a).join());
      if (new Set(onDisk).size > 1) landedInside++;
    }
    // At least one kill fell between a round's first and last slice (the case this test is about).
    expect(landedInside).toBeGreaterThan(0);
    const { rounds } = await write(dataDir, { lastRound: 2 });
    expect(rounds).toBe(2);
    expect(new Set(await roundsOnDisk(dataDir, order))).toEqual(new Set([2]));
  });
});
