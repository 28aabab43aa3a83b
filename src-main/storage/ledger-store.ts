import { promises as fs } from 'node:fs';
import path from 'node:path';
import type { DatabaseSync } from 'node:sqlite';
import { AppError } from '../../src/contract/errors';
import { normalizeServerUrl } from '../../src/domain/server-url';
import { readSidecars } from './entry-sidecar';
import { migrateLegacyLedger } from './ledger-migration';
import { storedEntrySchema, tokenHash, type StoredEntry } from './ledger-entry';
import { BUSY_TIMEOUT_MS, openDatabase, writeTransaction } from './sqlite-db';
import { beforeWrite } from './write-faults';
import { processRunning } from '../services/atomic-file';

/** What a claim plans to make, recorded before it is made: the key file, or the token key's label. */
export interface ClaimPlan {
  id: string;
  keyPath?: string;
  pkcs11?: { library: string; label: string };
}

const ABANDONED = 'abandoned before its CSR existed (the process making it ended)';

/** A request being made: its row is claimed before the key exists, so a second process waits. */
export type Claim = { kind: 'existing'; entry: StoredEntry } | { kind: 'claimed'; id: string };

interface Row {
  id: string;
  token_hash: string;
  state: string;
  owner: string | null;
  entry: string;
  updated_at: string;
}

const PREPARING = 'preparing';

/**
 * A claim's (or hold's) owner refreshes its row's `updated_at` this often while it holds
 * it, and a claim not refreshed for CLAIM_LEASE_MS is abandoned even when a
 * process with its pid runs: after a restart (a reboot, a new container) that
 * number can belong to another process, and the token would stay blocked for good.
 */
export const CLAIM_HEARTBEAT_MS = 10_000;
export const CLAIM_LEASE_MS = 60_000;

/** A claim's or hold's owner ("pid:<n>", written by claim() and hold()) is a process still running. */
function alive(owner: string | null): boolean {
  const pid = Number(/^pid:(\d+)$/.exec(owner ?? '')?.[1]);
  return pid > 0 && processRunning(pid);
}

/**
 * The durable record of this computer's requests: ledger.sqlite in the data
 * folder, one row per request, shared safely by the app and CLI processes.
 * Nothing is cached: every read asks the database, every change is one
 * transaction that re-reads the row it changes and writes only the fields it
 * means to change. The database opens on first use, so commands that never
 * touch the ledger never open it.
 */
export class RequestLedger {
  private opened: Promise<DatabaseSync> | undefined;
  /** Damaged files found and set aside while opening, for the shell to report. */
  readonly notices: AppError[] = [];

  /** How long a write waits for another process's write lock before LEDGER_BUSY (BUSY_TIMEOUT_MS; tests wait less). */
  readonly busyTimeoutMs: number;
  private readonly claimHeartbeatMs: number;
  private readonly claimLeaseMs: number;
  /** This process's open claims, each refreshed by its timer until complete() or release(). */
  private readonly heartbeats = new Map<string, NodeJS.Timeout>();

  constructor(
    private readonly dataDir: string,
    options: { busyTimeoutMs?: number; claimHeartbeatMs?: number; claimLeaseMs?: number } = {},
  ) {
    this.busyTimeoutMs = options.busyTimeoutMs ?? BUSY_TIMEOUT_MS;
    this.claimHeartbeatMs = options.claimHeartbeatMs ?? CLAIM_HEARTBEAT_MS;
    this.claimLeaseMs = options.claimLeaseMs ?? CLAIM_LEASE_MS;
  }

  static inDataDir(dataDir: string): RequestLedger {
    return new RequestLedger(dataDir);
  }

  get file(): string {
    return path.join(this.dataDir, 'ledger.sqlite');
  }

  async list(): Promise<StoredEntry[]> {
    const db = await this.db();
    const rows = db.prepare('SELECT * FROM requests WHERE state != ? ORDER BY rowid').all(PREPARING) as unknown as Row[];
    const entries: StoredEntry[] = [];
    for (const [n, row] of rows.entries()) {
      // Parsing a thousand entries at once would hold the loop: a hundred at a time.
      if (n > 0 && n % ROWS_PER_SLICE === 0) await yieldToLoop();
      // A row that does not parse stays in the database (for support) but not in the list.
      const parsed = storedEntrySchema.safeParse(this.json(row.entry));
      if (parsed.success) entries.push(parsed.data);
    }
    return entries;
  }

  async get(id: string): Promise<StoredEntry | undefined> {
    const row = (await this.db()).prepare('SELECT * FROM requests WHERE id = ? AND state != ?').get(id, PREPARING) as Row | undefined;
    return row ? parseRow(row, this.dataDir) : undefined;
  }

  async findByToken(server: string, token: string): Promise<StoredEntry | undefined> {
    const db = await this.db();
    const row = this.rowByToken(db, server, token);
    return row && row.state !== PREPARING ? parseRow(row, this.dataDir) : undefined;
  }

  /**
   * The entry for this token, or a claim on it for this process. A claim left by
   * a process that no longer runs is taken over; `abandoned` is called with
   * what it had planned (its key never reached AMS). A claim held by a live
   * process is REQUEST_IN_PROGRESS.
   */
  async claim(server: string, token: string, plan: ClaimPlan, abandoned: (stale: ClaimPlan) => Promise<void>): Promise<Claim> {
    const db = await this.db();
    let stale: ClaimPlan | undefined;
    const result = await this.transaction(db, (): Claim => {
      const row = this.rowByToken(db, server, token);
      if (row && row.state !== PREPARING) return { kind: 'existing', entry: parseRow(row, this.dataDir) };
      if (row && this.held(row)) throw new AppError('REQUEST_IN_PROGRESS');
      if (row) {
        // Kept in `discarded` with what it planned (key file, token key label): nothing is forgotten.
        stale = { ...((this.json(row.entry) ?? {}) as ClaimPlan), id: row.id };
        db.prepare('INSERT OR REPLACE INTO discarded (id, entry, reason, discarded_at) VALUES (?, ?, ?, ?)').run(row.id, row.entry, ABANDONED, new Date().toISOString());
        db.prepare('DELETE FROM requests WHERE id = ?').run(row.id);
      }
      const stamp = new Date().toISOString();
      db.prepare('INSERT INTO requests (id, token_hash, state, owner, entry, updated_at) VALUES (?, ?, ?, ?, ?, ?)').run(
        plan.id,
        tokenHash(normalizeServerUrl(server), token),
        PREPARING,
        `pid:${process.pid}`,
        JSON.stringify(plan),
        stamp,
      );
      return { kind: 'claimed', id: plan.id };
    });
    if (result.kind === 'claimed') this.keepAlive(result.id);
    if (stale) await abandoned(stale);
    return result;
  }

  /** A claim or hold of a running process (this one included) still within its lease. */
  private held(row: Row): boolean {
    return alive(row.owner) && !this.leaseEnded(row);
  }

  /** A claim row not refreshed within the lease (or with no time that parses). */
  private leaseEnded(row: Row): boolean {
    return !(Date.now() - Date.parse(row.updated_at) <= this.claimLeaseMs);
  }

  private keepAlive(id: string): void {
    const refresh = async () => {
      const db = await this.db();
      await this.transaction(db, () => {
        db.prepare('UPDATE requests SET updated_at = ? WHERE id = ? AND owner = ?').run(new Date().toISOString(), id, `pid:${process.pid}`);
      });
    };
    // A refresh that fails (a busy or full disk) is tried again at the next tick; the lease is six ticks.
    this.heartbeats.set(id, setInterval(() => void refresh().catch(() => undefined), this.claimHeartbeatMs).unref());
  }

  private stopKeepingAlive(id: string): void {
    clearInterval(this.heartbeats.get(id));
    this.heartbeats.delete(id);
  }

  /** A claimed request whose key and CSR now exist: the claim becomes the entry. */
  async complete(entry: StoredEntry): Promise<void> {
    const db = await this.db();
    this.stopKeepingAlive(entry.id);
    await this.transaction(db, () => {
      const row = db.prepare('SELECT * FROM requests WHERE id = ?').get(entry.id) as Row | undefined;
      if (!row || row.state !== PREPARING || row.owner !== `pid:${process.pid}`) throw new AppError('REQUEST_IN_PROGRESS');
      const stored = storedEntrySchema.parse(entry);
      db.prepare('UPDATE requests SET state = ?, owner = NULL, entry = ?, updated_at = ? WHERE id = ?').run(stored.state, JSON.stringify(stored), stored.updatedAt, stored.id);
    });
  }

  /** Gives up a claim that never got a key and CSR (the attempt failed before). */
  async release(id: string): Promise<void> {
    const db = await this.db();
    this.stopKeepingAlive(id);
    await this.transaction(db, () => void db.prepare('DELETE FROM requests WHERE id = ? AND state = ? AND owner = ?').run(id, PREPARING, `pid:${process.pid}`));
  }

  /**
   * Holds an entry for this process while its CSR is on its way to AMS or it is being
   * discarded, so the two never overlap (a discard asks AMS only while it holds the entry).
   * Held by a running process, this one included, within the lease: REQUEST_BUSY; a hold
   * left by a process that ended is taken over. No such entry: REQUEST_NOT_FOUND.
   */
  async hold(id: string): Promise<void> {
    const db = await this.db();
    await this.transaction(db, () => {
      const row = db.prepare('SELECT * FROM requests WHERE id = ? AND state != ?').get(id, PREPARING) as Row | undefined;
      if (!row) throw new AppError('REQUEST_NOT_FOUND');
      if (this.held(row)) throw new AppError('REQUEST_BUSY');
      db.prepare('UPDATE requests SET owner = ?, updated_at = ? WHERE id = ?').run(`pid:${process.pid}`, new Date().toISOString(), id);
    });
    this.keepAlive(id);
  }

  /** `work` while this process holds the entry (hold), let go whatever `work` does. */
  async whileHeld<T>(id: string, work: () => Promise<T>): Promise<T> {
    await this.hold(id);
    try {
      return await work();
    } finally {
      await this.letGo(id).catch(() => undefined);
    }
  }

  /** Ends this process's hold on an entry (nothing when the entry is gone or held by another). */
  async letGo(id: string): Promise<void> {
    const db = await this.db();
    this.stopKeepingAlive(id);
    await this.transaction(db, () => void db.prepare('UPDATE requests SET owner = NULL WHERE id = ? AND state != ? AND owner = ?').run(id, PREPARING, `pid:${process.pid}`));
  }

  /**
   * Changes one entry: `change` sees the row as it is on disk now and returns
   * only the fields to change (undefined: no change). Returns the entry as
   * stored afterwards, or undefined when it no longer exists.
   */
  async update(id: string, change: (current: StoredEntry) => Partial<StoredEntry> | undefined): Promise<StoredEntry | undefined> {
    const db = await this.db();
    return this.transaction(db, () => this.updateRow(db, id, change));
  }

  /**
   * Several entries (a refresh of the whole list), a hundred per transaction
   * with the event loop let go between them: a thousand rows in one
   * transaction hold the window's loop for hundreds of milliseconds. Each
   * row's change is whole or absent; rows a crash leaves unwritten are written
   * by the next refresh, which asks AMS again.
   */
  async updateMany(changes: Map<string, (current: StoredEntry) => Partial<StoredEntry> | undefined>): Promise<void> {
    const db = await this.db();
    const pending = [...changes];
    for (let at = 0; at < pending.length; at += ROWS_PER_SLICE) {
      if (at > 0) await yieldToLoop();
      await this.transaction(db, () => {
        for (const [id, change] of pending.slice(at, at + ROWS_PER_SLICE)) this.updateRow(db, id, change);
      });
    }
  }

  /**
   * Removes an entry from the list and keeps it in the `discarded` table, with
   * its key path or token key, so nothing is forgotten. `allowed` re-checks the
   * entry as it is on disk inside the transaction.
   */
  async discard(id: string, reason: string, allowed: (current: StoredEntry) => boolean): Promise<StoredEntry> {
    const db = await this.db();
    return this.transaction(db, () => {
      const row = db.prepare('SELECT * FROM requests WHERE id = ? AND state != ?').get(id, PREPARING) as Row | undefined;
      if (!row) throw new AppError('REQUEST_NOT_FOUND');
      if (row.owner !== `pid:${process.pid}` && this.held(row)) throw new AppError('REQUEST_BUSY');
      const entry = parseRow(row, this.dataDir);
      if (!allowed(entry)) throw new AppError('DISCARD_NOT_ALLOWED');
      db.prepare('INSERT OR REPLACE INTO discarded (id, entry, reason, discarded_at) VALUES (?, ?, ?, ?)').run(id, row.entry, reason, new Date().toISOString());
      db.prepare('DELETE FROM requests WHERE id = ?').run(id);
      return entry;
    });
  }

  /** Entries discarded on this computer, newest last (their keys were kept aside, not deleted). */
  async discarded(): Promise<{ id: string; entry: Partial<StoredEntry>; reason: string; discardedAt: string }[]> {
    const rows = (await this.db()).prepare('SELECT * FROM discarded ORDER BY discarded_at').all() as unknown as { id: string; entry: string; reason: string; discarded_at: string }[];
    return rows.map((r) => ({ id: r.id, entry: (this.json(r.entry) ?? {}) as Partial<StoredEntry>, reason: r.reason, discardedAt: r.discarded_at }));
  }

  /** Claims still being made (or left by a process that ended), with what they planned. */
  async claims(): Promise<(ClaimPlan & { owner: string })[]> {
    const rows = (await this.db()).prepare('SELECT * FROM requests WHERE state = ?').all(PREPARING) as unknown as Row[];
    return rows.map((r) => ({ ...((this.json(r.entry) ?? {}) as ClaimPlan), id: r.id, owner: r.owner ?? '' }));
  }

  /** A row's entry or plan as written (undefined when it does not parse), its key read in this data folder. */
  private json(text: string): unknown {
    return keyInThisFolder(safeJson(text), this.dataDir);
  }

  close(): void {
    for (const id of [...this.heartbeats.keys()]) this.stopKeepingAlive(id);
    void this.opened?.then((db) => db.close()).catch(() => undefined);
    this.opened = undefined;
  }

  private updateRow(db: DatabaseSync, id: string, change: (current: StoredEntry) => Partial<StoredEntry> | undefined): StoredEntry | undefined {
    const row = db.prepare('SELECT * FROM requests WHERE id = ? AND state != ?').get(id, PREPARING) as Row | undefined;
    if (!row) return undefined;
    const current = parseRow(row, this.dataDir);
    const patch = change(current);
    if (!patch) return current;
    const next = storedEntrySchema.parse({ ...current, ...patch, id: current.id, tokenHash: current.tokenHash });
    // MAX: the column is also a hold's lease, which a change with an older updatedAt must not end.
    db.prepare('UPDATE requests SET state = ?, entry = ?, updated_at = MAX(updated_at, ?) WHERE id = ?').run(next.state, JSON.stringify(next), next.updatedAt, id);
    return next;
  }

  private rowByToken(db: DatabaseSync, server: string, token: string): Row | undefined {
    const byHash = db.prepare('SELECT * FROM requests WHERE token_hash = ?');
    const normal = normalizeServerUrl(server);
    // Entries from before normalisation were keyed by the address as typed.
    const hashes = [...new Set([normal, server, `${normal}/`])].map((s) => tokenHash(s, token));
    for (const hash of hashes) {
      const row = byHash.get(hash) as Row | undefined;
      if (row) return row;
    }
    return undefined;
  }

  /** One write transaction (writeTransaction); the reliability suite's write faults fire before its commit. */
  private transaction<T>(db: DatabaseSync, work: () => T): Promise<T> {
    return writeTransaction(db, this.file, this.busyTimeoutMs, () => {
      const result = work();
      beforeWrite(this.file);
      return result;
    });
  }

  private db(): Promise<DatabaseSync> {
    this.opened ??= this.open().catch((error: unknown) => {
      // A disk that refused now may not refuse on the next call.
      this.opened = undefined;
      throw error;
    });
    return this.opened;
  }

  private async open(): Promise<DatabaseSync> {
    const { db, damaged } = await openDatabase(this.file, { busyTimeoutMs: this.busyTimeoutMs });
    await fs.chmod(this.file, 0o600).catch(() => undefined);
    if (damaged) this.notices.push(new AppError('LEDGER_DAMAGED', { detail: damaged }));
    const migrated = await migrateLegacyLedger(db, this.dataDir, (run) => this.transaction(db, run));
    if (migrated.damaged) this.notices.push(new AppError('LEDGER_DAMAGED', { detail: migrated.damaged }));
    await this.rebuildIfNew(db);
    return db;
  }

  /**
   * A database created just now (first start, or the old one was damaged,
   * emptied or deleted) takes back every request whose sidecar is in keys/:
   * a key is never left without its request.
   */
  private async rebuildIfNew(db: DatabaseSync): Promise<void> {
    if (db.prepare("SELECT value FROM meta WHERE key = 'created'").get()) return;
    const sidecars = await readSidecars(this.dataDir);
    await this.transaction(db, () => {
      if (db.prepare("SELECT value FROM meta WHERE key = 'created'").get()) return;
      const insert = db.prepare('INSERT OR IGNORE INTO requests (id, token_hash, state, owner, entry, updated_at) VALUES (?, ?, ?, NULL, ?, ?)');
      for (const entry of sidecars) insert.run(entry.id, entry.tokenHash, entry.state, JSON.stringify(entry), entry.updatedAt);
      db.prepare("INSERT INTO meta (key, value) VALUES ('created', ?)").run(new Date().toISOString());
    });
  }
}

function safeJson(text: string): unknown {
  try {
    return JSON.parse(text);
  } catch {
    return undefined;
  }
}

/** Rows handled between two turns of the event loop in list and refresh work. */
const ROWS_PER_SLICE = 100;
const yieldToLoop = () => new Promise<void>((resolve) => setImmediate(resolve));

function parseRow(row: Row, dataDir: string): StoredEntry {
  return keyInThisFolder(storedEntrySchema.parse(JSON.parse(row.entry)), dataDir);
}

/**
 * A file key is made as keys/<id>.pem in the data folder, and the ledger records
 * its absolute path: a data folder copied or moved (a new computer, another user
 * name, Windows to macOS) would point at the old place. Such a path is read as the
 * same file in this folder; any other path is kept as written.
 */
function keyInThisFolder<T>(entry: T, dataDir: string): T {
  const { id, keyPath } = (entry ?? {}) as { id?: unknown; keyPath?: unknown };
  if (typeof id !== 'string' || typeof keyPath !== 'string') return entry;
  const [name, folder] = keyPath.split(/[\\/]/).reverse();
  if (name !== `${id}.pem` || folder !== 'keys') return entry;
  return { ...entry, keyPath: path.join(dataDir, 'keys', name) };
}
