import { existsSync, mkdirSync, readdirSync, readFileSync, renameSync, rmSync } from 'node:fs';
import path from 'node:path';
import { DatabaseSync } from 'node:sqlite';
import { AppError } from '../../src/contract/errors';
import { legacyStateSchema, type LegacyState } from './store';

export const DB_FILE = 'state.db';
export const LEGACY_FILE = 'state.json';
/** The name a migrated state.json keeps, as a backup. */
export const MIGRATED_FILE = 'state.json.migrated';

/** Temp files of writeFileAtomic (`.NAME.<12 hex>.tmp`) left by a killed write. */
const STALE_TEMP = /^\..+\.[0-9a-f]{12}\.tmp$/;

export interface OpenedDatabase {
  db: DatabaseSync;
  file: string;
  /** The database has no state yet: fill it (from `legacy` when there is one), then call `migrated`. */
  empty: boolean;
  legacy: LegacyState | undefined;
  /** Keeps a migrated state.json as a backup; call once its content is committed. */
  migrated(): void;
  problems: AppError[];
}

/**
 * Opens the mock's database in `dir`: WAL, schema applied, stale temp files
 * removed. A database or state.json that cannot be read is moved aside
 * (`state.damaged-<time>.db` / `.json`) and reported with a coded error naming
 * both files; the caller then starts from a fresh state.
 */
export function openMockDatabase(dir: string, schema: string): OpenedDatabase {
  mkdirSync(dir, { recursive: true, mode: 0o700 });
  removeStaleTemps(dir);
  removeStaleTemps(path.join(dir, 'letters'));
  const file = path.join(dir, DB_FILE);
  const problems: AppError[] = [];

  let db: DatabaseSync | undefined;
  let empty = true;
  if (existsSync(file)) {
    try {
      db = openDb(file, schema);
      empty = db.prepare("SELECT 1 FROM meta WHERE key = 'adminKey'").get() === undefined;
    } catch (cause) {
      db?.close();
      db = undefined;
      problems.push(setAside(file, '.db', cause, ['-wal', '-shm']));
    }
  }
  db ??= openDb(file, schema);

  const legacyFile = path.join(dir, LEGACY_FILE);
  let legacy: LegacyState | undefined;
  if (empty && existsSync(legacyFile)) {
    try {
      legacy = legacyStateSchema.parse(JSON.parse(readFileSync(legacyFile, 'utf8')));
    } catch (cause) {
      problems.push(setAside(legacyFile, '.json', cause));
    }
  }
  return {
    db,
    file,
    empty,
    legacy,
    problems,
    migrated: () => {
      if (legacy) renameSync(legacyFile, path.join(dir, MIGRATED_FILE));
    },
  };
}

function openDb(file: string, schema: string): DatabaseSync {
  const db = new DatabaseSync(file);
  try {
    // WAL: a write appends to the log instead of rewriting pages in place; NORMAL
    // syncs at checkpoints, which keeps the database consistent after a crash.
    db.exec('PRAGMA journal_mode = WAL; PRAGMA synchronous = NORMAL; PRAGMA busy_timeout = 5000;');
    const check = db.prepare('PRAGMA quick_check').get() as { quick_check?: string } | undefined;
    if (check?.quick_check !== 'ok') throw new Error(`quick_check: ${check?.quick_check ?? 'no answer'}`);
    db.exec(schema);
    return db;
  } catch (error) {
    db.close();
    throw error;
  }
}

/** Moves a damaged file (and its companions) aside and names both in a coded error. */
function setAside(file: string, extension: string, cause: unknown, companions: string[] = []): AppError {
  const stamp = new Date().toISOString().replace(/[:.]/g, '-');
  const aside = path.join(path.dirname(file), `state.damaged-${stamp}${extension}`);
  renameSync(file, aside);
  for (const suffix of companions) {
    if (existsSync(file + suffix)) renameSync(file + suffix, aside + suffix);
  }
  return new AppError('MOCK_STATE_DAMAGED', { detail: `${file} → ${path.basename(aside)}`, cause });
}

function removeStaleTemps(dir: string): void {
  let names: string[];
  try {
    names = readdirSync(dir);
  } catch {
    return;
  }
  for (const name of names) if (STALE_TEMP.test(name)) rmSync(path.join(dir, name), { force: true });
}
