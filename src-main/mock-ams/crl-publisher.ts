import { createHash, X509Certificate } from 'node:crypto';
import { promises as fs } from 'node:fs';
import path from 'node:path';
import * as z from 'zod';
import { writeFileAtomic } from '../services/atomic-file';
import { softwareSigner } from '../services/software-key';
import { buildCrl, type RevokedEntry } from './crl';
import { subjectKeyId, type TestCa } from './test-ca';

/** A CRL is reissued this often, or at once when its list of revocations changes. */
export const CRL_REISSUE_MS = 3_600_000;
/** nextUpdate: a day after thisUpdate, well past the next scheduled issue. */
export const CRL_VALIDITY_MS = 86_400_000;

export type CrlIssuer = 'root' | 'issuing';

const publishedSchema = z.object({ thisUpdate: z.iso.datetime(), nextUpdate: z.iso.datetime(), contents: z.string(), der: z.string() });
const stateSchema = z.object({
  /** The last CRL number used, by either CA: it only grows, across restarts and clock changes. */
  crlNumber: z.number().int().nonnegative(),
  published: z.object({ root: publishedSchema.optional(), issuing: publishedSchema.optional() }),
});
type State = z.infer<typeof stateSchema>;
type Published = z.infer<typeof publishedSchema>;

/**
 * The CA's CRLs, produced on a schedule and kept: every fetch within the hour
 * gets the same bytes (the same thisUpdate), so a validator looking at an older
 * signature still finds revocation information for its time. Kept in the CA's
 * folder (crl-state.json), not in the mock's request store.
 */
export class CrlPublisher {
  private queue: Promise<unknown> = Promise.resolve();

  private constructor(
    private readonly ca: TestCa,
    private readonly file: string,
    private state: State,
  ) {}

  static async open(ca: TestCa): Promise<CrlPublisher> {
    const file = path.join(ca.dir, 'crl-state.json');
    let state: State = { crlNumber: 0, published: {} };
    try {
      const parsed = stateSchema.safeParse(JSON.parse(await fs.readFile(file, 'utf8')));
      if (parsed.success) state = parsed.data;
    } catch (error) {
      if ((error as NodeJS.ErrnoException).code !== 'ENOENT' && !(error instanceof SyntaxError)) throw error;
    }
    return new CrlPublisher(ca, file, state);
  }

  get crlNumber(): number {
    return this.state.crlNumber;
  }

  /** The current CRL of `issuer` listing `revoked`: the kept one while it is fresh and lists the same, else a new one. */
  current(issuer: CrlIssuer, revoked: RevokedEntry[], now: Date): Promise<{ der: Buffer; thisUpdate: Date; nextUpdate: Date }> {
    // One at a time: two fetches never issue two CRLs with the same contents.
    const run = this.queue.then(() => this.produce(issuer, revoked, now));
    this.queue = run.catch(() => undefined);
    return run;
  }

  private async produce(issuer: CrlIssuer, revoked: RevokedEntry[], now: Date) {
    const contents = revokedFingerprint(revoked);
    const kept = this.state.published[issuer];
    if (kept && fresh(kept, contents, now)) return view(kept);
    const part = issuer === 'root' ? this.ca.root : this.ca.issuing;
    const crlNumber = this.state.crlNumber + 1;
    const thisUpdate = now;
    const nextUpdate = new Date(now.getTime() + CRL_VALIDITY_MS);
    const der = await buildCrl({
      issuerCertificate: new X509Certificate(part.pem).raw,
      issuerKeyId: subjectKeyId(part.cert),
      signer: softwareSigner(part.key),
      revoked,
      thisUpdate,
      nextUpdate,
      crlNumber,
    });
    const published: Published = { thisUpdate: thisUpdate.toISOString(), nextUpdate: nextUpdate.toISOString(), contents, der: der.toString('base64') };
    this.state = { crlNumber, published: { ...this.state.published, [issuer]: published } };
    await writeFileAtomic(this.file, JSON.stringify(this.state, null, 2));
    return view(published);
  }
}

function fresh(kept: Published, contents: string, now: Date): boolean {
  const age = now.getTime() - Date.parse(kept.thisUpdate);
  return kept.contents === contents && age >= 0 && age < CRL_REISSUE_MS;
}

function view(published: Published) {
  return { der: Buffer.from(published.der, 'base64'), thisUpdate: new Date(published.thisUpdate), nextUpdate: new Date(published.nextUpdate) };
}

/** The revoked set in one string: a CRL or an OCSP answer made for another set is stale. */
export function revokedFingerprint(revoked: RevokedEntry[]): string {
  const lines = revoked.map((r) => `${r.serialNumber} ${r.revokedAt.toISOString()} ${r.reason}`).sort();
  return createHash('sha256').update(lines.join('\n')).digest('hex');
}
