import { promises as fs } from 'node:fs';
import path from 'node:path';
import { DatabaseSync } from 'node:sqlite';
import { AppError } from '../../src/contract/errors';
import { makeWritableFolder, syncDir, systemCode } from '../services/atomic-file';
import { moveAside } from './damaged-file';

// SQLITE_CORRUPT and SQLITE_NOTADB: the file is not (any more) a database.
const DAMAGE_CODES = new Set([11, 26]);
// SQLITE_IOERR, SQLITE_FULL, SQLITE_CANTOPEN, SQLITE_READONLY: the disk refused.
const WRITE_CODES = new Set([10, 13, 14, 8]);
// SQLITE_BUSY, SQLITE_LOCKED: another process held the write lock past the busy timeout.
const BUSY_CODES = new Set([5, 6]);
/** How long a write waits for another process's write lock before LEDGER_BUSY: a CLI command or another window finishing its write. */
export const BUSY_TIMEOUT_MS = 20_000;
/**
 * How long one statement may hold the thread waiting for another process's lock (SQLite's busy handler sleeps).
 * The ledger runs in the window's main process: longer waits are spent by whenUnlocked with the event loop free.
 */
export const STATEMENT_WAIT_MS = 10;

const SCHEMA = `
CREATE TABLE IF NOT EXISTS meta (key TEXT PRIMARY KEY, value TEXT NOT NULL);
CREATE TABLE IF NOT EXISTS requests (
  id TEXT PRIMARY KEY,
  token_hash TEXT NOT NULL UNIQUE,
  state TEXT NOT NULL,
  owner TEXT,
  entry TEXT NOT NULL,
  updated_at TEXT NOT NULL
);
CREATE TABLE IF NOT EXISTS discarded (
  id TEXT PRIMARY KEY,
  entry TEXT NOT NULL,
  reason TEXT NOT NULL,
  discarded_at TEXT NOT NULL
);`;

export function sqliteCode(error: unknown): number | undefined {
  const errcode = (error as { errcode?: unknown }).errcode;
  return typeof errcode === 'number' ? errcode & 0xff : undefined;
}

function hasCode(error: unknown, codes: Set<number>): boolean {
  const code = sqliteCode(error);
  return code !== undefined && codes.has(code);
}

export const isDamage = (error: unknown): boolean => hasCode(error, DAMAGE_CODES);
const isBusy = (error: unknown): boolean => hasCode(error, BUSY_CODES);

/**
 * Runs `step`, which takes a lock; while another process holds it, tries again with the event loop let go in
 * between (the window keeps answering, a CLI keeps its timers), until `waitMs` has passed: then LEDGER_BUSY.
 */
async function whenUnlocked<T>(step: () => T, file: string, waitMs: number): Promise<T> {
  const deadline = Date.now() + waitMs;
  for (let pause = 5; ; pause = Math.min(2 * pause, 100)) {
    try {
      return step();
    } catch (error) {
      if (!isBusy(error) || Date.now() >= deadline) throw asWriteError(error, file);
    }
    await new Promise((resolve) => setTimeout(resolve, Math.min(pause, deadline - Date.now())));
  }
}

/**
 * One write transaction: BEGIN IMMEDIATE takes the write lock first, so the rows `work` reads are the rows it
 * changes; anything failing rolls it back. While another process holds the lock the event loop is free
 * (whenUnlocked); from the lock to the commit nothing else of this process runs (`work` is synchronous), so
 * transactions on one connection never overlap.
 */
export function writeTransaction<T>(db: DatabaseSync, file: string, waitMs: number, work: () => T): Promise<T> {
  return whenUnlocked(
    () => {
      db.exec('BEGIN IMMEDIATE');
      try {
        const result = work();
        db.exec('COMMIT');
        return result;
      } catch (error) {
        try {
          db.exec('ROLLBACK');
        } catch {
          // SQLite rolled back already (a failed COMMIT on a full disk does).
        }
        throw error;
      }
    },
    file,
    waitMs,
  );
}

/** A failure of the disk under the database, as the app reports any failed write; a lock another process kept, as LEDGER_BUSY. */
export function asWriteError(error: unknown, file: string): unknown {
  if (error instanceof AppError) return error;
  if (isBusy(error)) return new AppError('LEDGER_BUSY', { detail: file, cause: error });
  const errno = systemCode(error);
  if (hasCode(error, WRITE_CODES) || errno) {
    const reason = errno ?? (error as { errstr?: string }).errstr ?? 'write failed';
    return new AppError('FILE_WRITE_FAILED', { detail: `${reason}: ${file}`, cause: error });
  }
  return error;
}

/**
 * Opens (creating) a SQLite database for several processes at once: WAL, so
 * readers never block the writer; a second process waits up to `busyTimeoutMs`
 * for the first's lock instead of failing (whenUnlocked); synchronous=FULL, so a commit that
 * returned survives a power cut. A file that is not a database is moved aside
 * as `<name>.damaged-<time><ext>` and a fresh one started; `damaged` tells where.
 */
export async function openDatabase(
  file: string,
  { now = new Date(), busyTimeoutMs = BUSY_TIMEOUT_MS }: { now?: Date; busyTimeoutMs?: number } = {},
): Promise<{ db: DatabaseSync; damaged?: string }> {
  const dir = path.dirname(file);
  await makeWritableFolder(dir, 0o700);
  try {
    return { db: await openChecked(file, busyTimeoutMs) };
  } catch (error) {
    if (!isDamage(error)) throw asWriteError(error, file);
  }
  const aside = await moveAside(file, now);
  for (const suffix of ['-wal', '-shm']) await fs.rename(`${file}${suffix}`, `${aside}${suffix}`).catch(() => undefined);
  await syncDir(dir);
  return { db: await openChecked(file, busyTimeoutMs), damaged: aside };
}

/**
 * The database readable by this user only, made so before SQLite opens it: SQLite gives its -wal
 * and -shm the database's mode, and would make a new database 0644. An older one is narrowed.
 */
async function ownerOnly(file: string): Promise<void> {
  const handle = await fs.open(file, 'a', 0o600);
  try {
    // Not ours to narrow (another user's file): SQLite says whether it can be used.
    await handle.chmod(0o600).catch(() => undefined);
  } finally {
    await handle.close();
  }
}

async function openChecked(file: string, busyTimeoutMs: number): Promise<DatabaseSync> {
  await ownerOnly(file);
  const db = new DatabaseSync(file);
  try {
    db.exec(`PRAGMA busy_timeout = ${STATEMENT_WAIT_MS}`);
    await whenUnlocked(() => db.exec('PRAGMA journal_mode = WAL'), file, busyTimeoutMs);
    db.exec('PRAGMA synchronous = FULL');
    const check = db.prepare('PRAGMA quick_check(1)').get() as { quick_check?: string } | undefined;
    if (check && check.quick_check !== 'ok') throw Object.assign(new Error(`quick_check: ${check.quick_check}`), { errcode: 11 });
    await writeTransaction(db, file, busyTimeoutMs, () => db.exec(SCHEMA));
    return db;
  } catch (error) {
    try {
      db.close();
    } catch {
      // already unusable
    }
    throw error;
  }
}
