/**
 * Pre-produced OCSP answers (the RFC 5019 way): the answer for a set of CertIDs
 * is made once and served again — same bytes, same producedAt — until the CA's
 * revoked set changes or the answer is an hour old, like the CRLs. A request
 * with a nonce still gets its nonce echoed in a response signed then, but with
 * the kept answer's thisUpdate. "unknown" answers are not kept: the serial may
 * be issued a moment later.
 */
export class OcspCache {
  private contents: string | undefined;
  private readonly kept = new Map<string, { producedAt: Date; der?: Buffer }>();

  constructor(private readonly reissueMs: number) {}

  /** Forgets every kept answer when the revoked set (its fingerprint) is not the one they were made for. */
  sync(contents: string): void {
    if (contents === this.contents) return;
    this.kept.clear();
    this.contents = contents;
  }

  get(key: string, now: Date): { producedAt: Date; der?: Buffer } | undefined {
    const found = this.kept.get(key);
    if (!found) return undefined;
    const age = now.getTime() - found.producedAt.getTime();
    if (age >= 0 && age < this.reissueMs) return found;
    this.kept.delete(key);
    return undefined;
  }

  put(key: string, producedAt: Date, der: Buffer | undefined): void {
    // A bound on memory: a flood of distinct requests only costs re-signing.
    if (this.kept.size >= 10_000) this.kept.clear();
    const before = this.kept.get(key);
    this.kept.set(key, { producedAt, ...(der ? { der } : before?.der ? { der: before.der } : {}) });
  }
}
