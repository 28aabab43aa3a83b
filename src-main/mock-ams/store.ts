import { createHash, randomBytes } from 'node:crypto';
import { chmodSync } from 'node:fs';
import type { DatabaseSync, StatementSync } from 'node:sqlite';
import * as z from 'zod';
import type { AppError } from '../../src/contract/errors';
import { amsRequestStatuses, requestTypes } from '../../src/domain/request-state';
import { openMockDatabase } from './store-file';
import { seedUsers } from './seed-users';

const userSchema = z.object({
  email: z.string(),
  name: z.string(),
  nik: z.string(),
  nip: z.string(),
  position: z.string(),
  unit: z.string(),
  organization: z.string(),
  locality: z.string(),
  province: z.string(),
  country: z.string(),
  employment: z.enum(['ASN', 'Lainnya']).default('ASN'),
  role: z.enum(['user', 'verifier']).default('user'),
});
export type MockUser = z.infer<typeof userSchema>;
export type MockUserInput = z.input<typeof userSchema>;
export { userSchema };

const certificateSchema = z.object({
  pem: z.string(),
  serialNumber: z.string(),
  notBefore: z.iso.datetime(),
  notAfter: z.iso.datetime(),
  revokedAt: z.iso.datetime().optional(),
  revocationReason: z.string().optional(),
  /** Replaced by a renewal (status Renew). */
  renewedAt: z.iso.datetime().optional(),
});
export type MockCertificate = z.infer<typeof certificateSchema>;

const requestSchema = z.object({
  id: z.string(),
  email: z.string(),
  type: z.enum(requestTypes).default('issue'),
  product: z.string(),
  /** SHA-256 of the CSR token; the mock never stores a token in the clear. Revoke rows have none. */
  tokenHash: z.string().optional(),
  tokenExpiresAt: z.iso.datetime().optional(),
  status: z.enum(amsRequestStatuses),
  note: z.string().optional(),
  csrPem: z.string().optional(),
  letter: z.object({ file: z.string(), size: z.number(), uploadedAt: z.iso.datetime() }).optional(),
  agreedAt: z.iso.datetime().optional(),
  verification: z.object({ decision: z.enum(['approved', 'rejected']), at: z.iso.datetime() }).optional(),
  enrollment: z.enum(['success', 'failed']).optional(),
  /** Renew: the certificate it replaces. Revoke: the certificate revoked. */
  subjectSerial: z.string().optional(),
  certificate: certificateSchema.optional(),
  createdAt: z.iso.datetime(),
  updatedAt: z.iso.datetime(),
});
export type MockRequest = z.infer<typeof requestSchema>;

/** The version-1 state.json the mock kept before its database; read once, to migrate it. */
export const legacyStateSchema = z.object({
  version: z.literal(1),
  adminKey: z.string(),
  clockOffsetMs: z.number().default(0),
  users: z.array(userSchema),
  requests: z.array(requestSchema),
});
export type LegacyState = z.infer<typeof legacyStateSchema>;

export const hashToken = (token: string): string => createHash('sha256').update(token).digest('hex');

const SCHEMA = `
  CREATE TABLE IF NOT EXISTS meta (key TEXT PRIMARY KEY, value TEXT NOT NULL);
  CREATE TABLE IF NOT EXISTS users (email_lc TEXT PRIMARY KEY, body TEXT NOT NULL);
  CREATE TABLE IF NOT EXISTS requests (
    seq INTEGER PRIMARY KEY, id TEXT NOT NULL UNIQUE, email_lc TEXT NOT NULL, token_hash TEXT UNIQUE,
    serial TEXT, revoked INTEGER NOT NULL DEFAULT 0, status TEXT NOT NULL, body TEXT NOT NULL);
  CREATE INDEX IF NOT EXISTS requests_email ON requests (email_lc);
  CREATE INDEX IF NOT EXISTS requests_serial ON requests (serial) WHERE serial IS NOT NULL;
  CREATE INDEX IF NOT EXISTS requests_revoked ON requests (revoked) WHERE revoked = 1;
  CREATE INDEX IF NOT EXISTS requests_status ON requests (status);
`;

export interface StoreOpenResult {
  store: MockStore;
  /** Files found damaged, set aside and replaced; the mock carries on with a fresh state. */
  problems: AppError[];
}

/**
 * The mock's state in SQLite (node:sqlite, WAL): one row per request and per
 * user, looked up by indexes (token hash, id, serial, email). Reads and writes
 * are synchronous, so a handler that checks and changes a row without awaiting
 * in between stays consistent under concurrent requests; a changed request is
 * written with `putRequest` before the handler awaits anything else.
 */
export class MockStore {
  private readonly q: Record<string, StatementSync>;

  private constructor(private readonly db: DatabaseSync) {
    const prepare = (sql: string) => db.prepare(sql);
    this.q = {
      meta: prepare('SELECT value FROM meta WHERE key = ?'),
      setMeta: prepare('INSERT INTO meta (key, value) VALUES (?, ?) ON CONFLICT (key) DO UPDATE SET value = excluded.value'),
      user: prepare('SELECT body FROM users WHERE email_lc = ?'),
      users: prepare('SELECT body FROM users ORDER BY rowid'),
      addUser: prepare('INSERT INTO users (email_lc, body) VALUES (?, ?)'),
      byToken: prepare('SELECT body FROM requests WHERE token_hash = ?'),
      byId: prepare('SELECT body FROM requests WHERE id = ?'),
      bySerial: prepare('SELECT body FROM requests WHERE serial = ? ORDER BY seq LIMIT 1'),
      byEmail: prepare('SELECT body FROM requests WHERE email_lc = ? ORDER BY seq'),
      byStatus: prepare('SELECT body FROM requests WHERE status IN (?, ?) ORDER BY seq'),
      revoked: prepare('SELECT body FROM requests WHERE revoked = 1 ORDER BY seq'),
      all: prepare('SELECT body FROM requests ORDER BY seq'),
      count: prepare('SELECT count(*) AS n FROM requests'),
      put: prepare(
        `INSERT INTO requests (id, email_lc, token_hash, serial, revoked, status, body) VALUES (?, ?, ?, ?, ?, ?, ?)
         ON CONFLICT (id) DO UPDATE SET email_lc = excluded.email_lc, token_hash = excluded.token_hash, serial = excluded.serial,
           revoked = excluded.revoked, status = excluded.status, body = excluded.body`,
      ),
    };
  }

  /**
   * Opens (or creates) `state.db` in `dir`. A state.json from before the
   * database is migrated once and kept as `state.json.migrated`; a damaged
   * state.json or database is moved aside as `state.damaged-<time>.*` and
   * reported in `problems`, and the mock starts from the seeded state.
   */
  static open(dir: string): StoreOpenResult {
    const opened = openMockDatabase(dir, SCHEMA);
    const store = new MockStore(opened.db);
    if (opened.empty) {
      store.importState(opened.legacy ?? MockStore.fresh(randomBytes(24).toString('hex')));
      chmodSync(opened.file, 0o600);
      opened.migrated();
    }
    return { store, problems: opened.problems };
  }

  /** The seeded state: demo users, no requests, no clock offset. */
  static fresh(adminKey: string): LegacyState {
    return { version: 1, adminKey, clockOffsetMs: 0, users: seedUsers.map((u) => userSchema.parse(u)), requests: [] };
  }

  get adminKey(): string {
    return (this.q.meta!.get('adminKey') as { value: string }).value;
  }

  get clockOffsetMs(): number {
    const row = this.q.meta!.get('clockOffsetMs') as { value: string } | undefined;
    return row ? Number(row.value) : 0;
  }

  set clockOffsetMs(ms: number) {
    this.q.setMeta!.run('clockOffsetMs', String(ms));
  }

  findRequestByToken(token: string): MockRequest | undefined {
    return one(this.q.byToken!.get(hashToken(token)));
  }

  findRequest(id: string): MockRequest | undefined {
    return one(this.q.byId!.get(id));
  }

  findCertificate(serial: string): { request: MockRequest; certificate: MockCertificate } | undefined {
    const request = one(this.q.bySerial!.get(serial));
    return request?.certificate ? { request, certificate: request.certificate } : undefined;
  }

  findUser(email: string): MockUser | undefined {
    const row = this.q.user!.get(email.trim().toLowerCase()) as { body: string } | undefined;
    return row ? (JSON.parse(row.body) as MockUser) : undefined;
  }

  users(): MockUser[] {
    return this.q.users!.all().map((row) => JSON.parse((row as { body: string }).body) as MockUser);
  }

  /** Every request, oldest first. */
  requests(): MockRequest[] {
    return many(this.q.all!.all());
  }

  requestsOf(email: string): MockRequest[] {
    return many(this.q.byEmail!.all(email.toLowerCase()));
  }

  /** Requests in one of two statuses (the verifier's queue), oldest first. */
  requestsIn(a: MockRequest['status'], b: MockRequest['status'] = a): MockRequest[] {
    return many(this.q.byStatus!.all(a, b));
  }

  /** Requests whose certificate is revoked, for the CRL. */
  revokedRequests(): MockRequest[] {
    return many(this.q.revoked!.all());
  }

  requestCount(): number {
    return Number((this.q.count!.get() as { n: number | bigint }).n);
  }

  /** Writes one request's row (insert or replace), with its index columns. */
  putRequest(request: MockRequest): void {
    this.q.put!.run(
      request.id,
      request.email.toLowerCase(),
      request.tokenHash ?? null,
      request.certificate?.serialNumber ?? null,
      request.certificate?.revokedAt ? 1 : 0,
      request.status,
      JSON.stringify(request),
    );
  }

  addUser(user: MockUser): void {
    this.q.addUser!.run(user.email.toLowerCase(), JSON.stringify(user));
  }

  /** Runs `work` as one transaction: all of its writes land, or none. */
  transaction<T>(work: () => T): T {
    this.db.exec('BEGIN IMMEDIATE');
    try {
      const result = work();
      this.db.exec('COMMIT');
      return result;
    } catch (error) {
      this.db.exec('ROLLBACK');
      throw error;
    }
  }

  /** Replaces everything with `state` (migration, reset). */
  importState(state: LegacyState): void {
    this.transaction(() => {
      this.db.exec('DELETE FROM requests; DELETE FROM users; DELETE FROM meta;');
      this.q.setMeta!.run('adminKey', state.adminKey);
      this.q.setMeta!.run('clockOffsetMs', String(state.clockOffsetMs));
      for (const user of state.users) this.addUser(user);
      for (const request of state.requests) this.putRequest(request);
    });
  }

  close(): void {
    if (this.db.isOpen) this.db.close();
  }
}

const one = (row: unknown): MockRequest | undefined => (row ? (JSON.parse((row as { body: string }).body) as MockRequest) : undefined);
const many = (rows: unknown[]): MockRequest[] => rows.map((row) => JSON.parse((row as { body: string }).body) as MockRequest);
