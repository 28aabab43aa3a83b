import { promises as fs } from 'node:fs';
import path from 'node:path';
import { DatabaseSync } from 'node:sqlite';
import { AppError } from '../../src/contract/errors';
import { makeWritableFolder, syncDir } from '../services/atomic-file';
import { moveAside } from './damaged-file';

// SQLITE_CORRUPT and SQLITE_NOTADB: the file is not (any more) a database.
const DAMAGE_CODES = new Set([11, 26]);
// SQLITE_IOERR, SQLITE_FULL, SQLITE_CANTOPEN, SQLITE_READONLY: the disk refused.
const WRITE_CODES = new Set([10, 13, 14, 8]);
// SQLITE_BUSY, SQLITE_LOCKED: another process held the write lock past the busy timeout.
const BUSY_CODES = new Set([5, 6]);
/** How long a write waits for another process's write lock before LEDGER_BUSY: a CLI command or another window finishing its write. */
export const BUSY_TIMEOUT_MS = 20_000;

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

export function isDamage(error: unknown): boolean {
  const code = sqliteCode(error);
  return code !== undefined && DAMAGE_CODES.has(code);
}

/** A failure of the disk under the database, as the app reports any failed write; a lock another process kept, as LEDGER_BUSY. */
export function asWriteError(error: unknown, file: string): unknown {
  if (error instanceof AppError) return error;
  const code = sqliteCode(error);
  if (code !== undefined && BUSY_CODES.has(code)) return new AppError('LEDGER_BUSY', { detail: file, cause: error });
  const errno = (error as NodeJS.ErrnoException).code;
  if ((code !== undefined && WRITE_CODES.has(code)) || (errno && /^E[A-Z]+$/.test(errno))) {
    const reason = errno && /^E[A-Z]+$/.test(errno) ? errno : (error as { errstr?: string }).errstr ?? 'write failed';
    return new AppError('FILE_WRITE_FAILED', { detail: `${reason}: ${file}`, cause: error });
  }
  return error;
}

/**
 * Opens (creating) a SQLite database for several processes at once: WAL, so
 * readers never block the writer; a busy timeout, so a second process waits
 * for the first instead of failing; synchronous=FULL, so a commit that
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
    return { db: openChecked(file, busyTimeoutMs) };
  } catch (error) {
    if (!isDamage(error)) throw asWriteError(error, file);
  }
  const aside = await moveAside(file, now);
  for (const suffix of ['-wal', '-shm']) await fs.rename(`${file}${suffix}`, `${aside}${suffix}`).catch(() => undefined);
  await syncDir(dir);
  return { db: openChecked(file, busyTimeoutMs), damaged: aside };
}

function openChecked(file: string, busyTimeoutMs: number): DatabaseSync {
  const db = new DatabaseSync(file);
  try {
    db.exec(`PRAGMA busy_timeout = ${busyTimeoutMs}`);
    db.exec('PRAGMA journal_mode = WAL');
    db.exec('PRAGMA synchronous = FULL');
    const check = db.prepare('PRAGMA quick_check(1)').get() as { quick_check?: string } | undefined;
    if (check && check.quick_check !== 'ok') throw Object.assign(new Error(`quick_check: ${check.quick_check}`), { errcode: 11 });
    db.exec(`BEGIN IMMEDIATE; ${SCHEMA} COMMIT;`);
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
