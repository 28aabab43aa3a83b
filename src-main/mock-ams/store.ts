import { createHash, randomBytes } from 'node:crypto';
import { promises as fs } from 'node:fs';
import path from 'node:path';
import { z } from 'zod';
import { amsRequestStatuses, requestTypes } from '../../src/domain/request-state';
import { writeFileAtomic } from '../services/atomic-file';
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

const stateSchema = z.object({
  version: z.literal(1),
  adminKey: z.string(),
  clockOffsetMs: z.number().default(0),
  users: z.array(userSchema),
  requests: z.array(requestSchema),
});
export type MockState = z.infer<typeof stateSchema>;

export const hashToken = (token: string): string => createHash('sha256').update(token).digest('hex');

/**
 * The mock's state, kept in memory and saved to state.json after every change.
 * Handlers check and change state without awaiting in between, so concurrent
 * requests see each other's effects in order; `save` queues writes.
 */
export class MockStore {
  private writing: Promise<void> = Promise.resolve();
  private queued: Promise<void> | undefined;

  private constructor(
    private readonly file: string,
    public state: MockState,
  ) {}

  static async open(dir: string): Promise<MockStore> {
    const file = path.join(dir, 'state.json');
    try {
      const state = stateSchema.parse(JSON.parse(await fs.readFile(file, 'utf8')));
      return new MockStore(file, state);
    } catch (error) {
      if ((error as NodeJS.ErrnoException).code !== 'ENOENT') throw error;
    }
    const store = new MockStore(file, MockStore.fresh(randomBytes(24).toString('hex')));
    await store.save();
    return store;
  }

  /** The seeded state: demo users, no requests, no clock offset. */
  static fresh(adminKey: string): MockState {
    return { version: 1, adminKey, clockOffsetMs: 0, users: seedUsers.map((u) => userSchema.parse(u)), requests: [] };
  }

  findRequestByToken(token: string): MockRequest | undefined {
    const hash = hashToken(token);
    return this.state.requests.find((r) => r.tokenHash === hash);
  }

  findRequest(id: string): MockRequest | undefined {
    return this.state.requests.find((r) => r.id === id);
  }

  findCertificate(serial: string): { request: MockRequest; certificate: MockCertificate } | undefined {
    const request = this.state.requests.find((r) => r.certificate?.serialNumber === serial);
    return request?.certificate ? { request, certificate: request.certificate } : undefined;
  }

  findUser(email: string): MockUser | undefined {
    const wanted = email.trim().toLowerCase();
    return this.state.users.find((u) => u.email.toLowerCase() === wanted);
  }

  /**
   * Resolves once the state as it is now is on disk. Saves asked for while a
   * write runs share the one write that follows it, so a burst of changes costs
   * two writes, not one each.
   */
  save(): Promise<void> {
    this.queued ??= this.writing
      .catch(() => undefined)
      .then(() => {
        this.queued = undefined;
        this.writing = writeFileAtomic(this.file, JSON.stringify(this.state), { mode: 0o600 });
        return this.writing;
      });
    return this.queued;
  }
}
