import { createHash, randomBytes } from 'node:crypto';
import { promises as fs } from 'node:fs';
import path from 'node:path';
import { z } from 'zod';
import { amsRequestStatuses } from '../../src/domain/request-state';
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
});
export type MockUser = z.infer<typeof userSchema>;

const requestSchema = z.object({
  id: z.string(),
  email: z.string(),
  product: z.string(),
  /** SHA-256 of the CSR token; the mock never stores a token in the clear. */
  tokenHash: z.string(),
  tokenExpiresAt: z.iso.datetime(),
  status: z.enum(amsRequestStatuses),
  note: z.string().optional(),
  csrPem: z.string().optional(),
  certificate: z.object({ pem: z.string(), serialNumber: z.string(), notAfter: z.iso.datetime() }).optional(),
  createdAt: z.iso.datetime(),
  updatedAt: z.iso.datetime(),
});
export type MockRequest = z.infer<typeof requestSchema>;

const stateSchema = z.object({
  version: z.literal(1),
  adminKey: z.string(),
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
  private saving: Promise<void> = Promise.resolve();

  private constructor(
    private readonly file: string,
    readonly state: MockState,
  ) {}

  static async open(dir: string): Promise<MockStore> {
    const file = path.join(dir, 'state.json');
    try {
      const state = stateSchema.parse(JSON.parse(await fs.readFile(file, 'utf8')));
      return new MockStore(file, state);
    } catch (error) {
      if ((error as NodeJS.ErrnoException).code !== 'ENOENT') throw error;
    }
    const store = new MockStore(file, {
      version: 1,
      adminKey: randomBytes(24).toString('base64url'),
      users: structuredClone(seedUsers),
      requests: [],
    });
    await store.save();
    return store;
  }

  findRequestByToken(token: string): MockRequest | undefined {
    const hash = hashToken(token);
    return this.state.requests.find((r) => r.tokenHash === hash);
  }

  findUser(email: string): MockUser | undefined {
    const wanted = email.toLowerCase();
    return this.state.users.find((u) => u.email.toLowerCase() === wanted);
  }

  /** Resolves once the state as it is now is on disk. */
  save(): Promise<void> {
    const snapshot = JSON.stringify(this.state);
    const write = this.saving.then(() => writeFileAtomic(this.file, snapshot, { mode: 0o600 }));
    this.saving = write.catch(() => undefined);
    return write;
  }
}
