import { randomBytes, randomUUID } from 'node:crypto';
import { promises as fs } from 'node:fs';
import path from 'node:path';
import type forge from 'node-forge';
import type { MintTokenResponse, StatusResponse } from '../../src/ams-api/schemas';
import { subjectFor, type Employee } from '../../src/domain/employee';
import { checkProfile, normalizeProfile } from '../../src/domain/profile';
import { serialVariants } from '../../src/domain/serial';
import type { CertificateStatus } from '../../src/domain/request-state';
import { writeFileAtomic } from '../services/atomic-file';
import { checkCsr, csrDer } from './csr-check';
import { HttpError } from './http-util';
import { DEFAULT_PRODUCT } from './seed-users';
import { hashToken, MockStore, userSchema, type MockCertificate, type MockRequest, type MockUser, type MockUserInput } from './store';
import type { TestCa } from './test-ca';

export const TOKEN_TTL_MS = 7 * 86_400_000;
export const CERT_VALIDITY_MS = 365 * 86_400_000;
/** Renewal opens 30 days before expiry ("H-30"). */
export const RENEWAL_WINDOW_MS = 30 * 86_400_000;
export const MAX_LETTER_BYTES = 2 * 1024 * 1024;

export const revocationReasons = ['keyCompromise', 'affiliationChanged', 'superseded', 'cessationOfOperation', 'unspecified'] as const;
export type RevocationReason = (typeof revocationReasons)[number];

export interface AmsSettings {
  /** Issue as soon as a valid CSR arrives (demos), or wait for letter, agreement and the verifier. */
  autoApprove: boolean;
  /** QA: the next approvals fail at enrollment. */
  enrollmentFails: boolean;
}

/**
 * The mock AMS's business rules, free of HTTP: requests and their one-time CSR
 * tokens, CSR checks, the portal steps (letter, agreement, submit), the
 * verifier's decision and enrollment, certificates with their lifecycle
 * (Issued, Renew, Revoke, Expired), and a clock QA can move. Every change checks
 * and writes its rows without awaiting in between (the store is synchronous),
 * so concurrent calls stay consistent.
 */
export class AmsCore {
  constructor(
    readonly store: MockStore,
    readonly ca: TestCa,
    readonly settings: AmsSettings,
    private readonly realNow: () => Date,
    private readonly dataDir: string,
    readonly baseUrl: () => string,
  ) {}

  now(): Date {
    return new Date(this.realNow().getTime() + this.store.clockOffsetMs);
  }

  employeeOf(user: MockUser): Employee {
    const { name, unit, organization, email, locality, province, country } = user;
    return { name, unit, organization, email, locality, province, country };
  }

  /** The LOCK API's view: a request whose certificate was revoked reads as revoked. */
  statusOf(request: MockRequest): StatusResponse {
    const certificate = request.certificate;
    return {
      requestId: request.id,
      product: request.product,
      status: certificate?.revokedAt ? 'revoked' : request.status,
      ...(request.note === undefined ? {} : { note: request.note }),
      updatedAt: request.updatedAt,
      ...(certificate ? { certificate: { serialNumber: certificate.serialNumber, notAfter: certificate.notAfter, status: this.certificateStatus(certificate) } } : {}),
    };
  }

  certificateStatus(certificate: MockCertificate): CertificateStatus {
    if (certificate.revokedAt) return 'Revoke';
    if (certificate.renewedAt) return 'Renew';
    if (Date.parse(certificate.notAfter) < this.now().getTime()) return 'Expired';
    return 'Issued';
  }

  /** Renewal is offered only for an Issued certificate within 30 days of expiry. */
  renewable(certificate: MockCertificate): boolean {
    return this.certificateStatus(certificate) === 'Issued' && this.now().getTime() >= Date.parse(certificate.notAfter) - RENEWAL_WINDOW_MS;
  }

  requestForToken(token: string): { request: MockRequest; user: MockUser } {
    const request = this.store.findRequestByToken(token);
    const user = request && this.store.findUser(request.email);
    if (!request || !user) throw new HttpError(404, 'TOKEN_UNKNOWN', 'unknown token');
    return { request, user };
  }

  tokenExpired(request: MockRequest): boolean {
    return request.tokenExpiresAt !== undefined && Date.parse(request.tokenExpiresAt) < this.now().getTime();
  }

  /** A new LOCK request (Permohonan Baru, or a renewal) with its one-time CSR token. */
  async newRequest(email: string, options: { product?: string; renews?: string } = {}): Promise<MintTokenResponse> {
    const user = this.store.findUser(email);
    if (!user) throw new HttpError(404, 'USER_UNKNOWN', `no user ${email}`);
    // Hex, so a token never starts with '-' and reads unambiguously on a command line.
    const token = randomBytes(20).toString('hex').toUpperCase();
    const stamp = this.now();
    const request: MockRequest = {
      id: randomUUID(),
      email: user.email,
      type: options.renews ? 'renew' : 'issue',
      product: options.product ?? DEFAULT_PRODUCT,
      tokenHash: hashToken(token),
      tokenExpiresAt: new Date(stamp.getTime() + TOKEN_TTL_MS).toISOString(),
      status: 'awaiting_csr',
      ...(options.renews ? { subjectSerial: options.renews } : {}),
      createdAt: stamp.toISOString(),
      updatedAt: stamp.toISOString(),
    };
    this.store.putRequest(request);
    return { token, requestId: request.id };
  }

  /** CSR upload from LOCK: once per token; an identical re-upload is answered as success. */
  async uploadCsr(token: string, csr: string): Promise<{ status: StatusResponse; stored: boolean }> {
    const { request, user } = this.requestForToken(token);
    const check = checkCsr(csr, subjectFor(this.employeeOf(user)));
    if (!check.ok) throw new HttpError(422, 'CSR_INVALID', check.reason);
    // From here to the state change nothing awaits: concurrent uploads are serialized.
    if (request.csrPem !== undefined) {
      // The stored CSR was checked when it arrived; comparing bytes is enough.
      if (csrDer(request.csrPem) === check.der) return { status: this.statusOf(request), stored: false };
      throw new HttpError(409, 'TOKEN_ALREADY_USED', 'a different CSR was already uploaded for this token');
    }
    if (this.tokenExpired(request)) throw new HttpError(410, 'TOKEN_EXPIRED', 'token expired');
    request.csrPem = csr;
    request.status = 'csr_uploaded';
    request.updatedAt = this.now().toISOString();
    this.store.putRequest(request);
    if (this.settings.autoApprove) await this.approve(request, user, check.publicKey, 'Disetujui');
    return { status: this.statusOf(request), stored: true };
  }

  /** Surat Rekomendasi: a PDF, size-limited, kept in the mock's data folder. */
  async uploadLetter(requestId: string, email: string, file: { bytes: Buffer; name: string }): Promise<void> {
    const request = this.ownRequest(requestId, email);
    if (request.status !== 'csr_uploaded') throw new HttpError(409, 'NOT_ALLOWED', `request is ${request.status}`, 'errState');
    if (file.bytes.length > MAX_LETTER_BYTES) throw new HttpError(413, 'NOT_ALLOWED', 'letter larger than 2 MB', 'errLetterTooBig');
    if (!file.bytes.subarray(0, 5).equals(Buffer.from('%PDF-'))) throw new HttpError(415, 'NOT_ALLOWED', 'the letter must be a PDF', 'errLetterNotPdf');
    const target = path.join(this.dataDir, 'letters', `${request.id}.pdf`);
    await writeFileAtomic(target, file.bytes, { mode: 0o600 });
    // Re-read after the await: another handler may have changed the row meanwhile.
    const current = this.ownRequest(requestId, email);
    current.letter = { file: path.basename(target), size: file.bytes.length, uploadedAt: this.now().toISOString() };
    current.updatedAt = this.now().toISOString();
    this.store.putRequest(current);
  }

  /** Setuju dan Submit: needs the CSR, the letter and the accepted agreement. */
  async submit(requestId: string, email: string, agreed: boolean): Promise<void> {
    const request = this.ownRequest(requestId, email);
    if (request.status !== 'csr_uploaded') throw new HttpError(409, 'NOT_ALLOWED', `request is ${request.status}`, 'errState');
    if (!request.letter) throw new HttpError(409, 'NOT_ALLOWED', 'upload the recommendation letter first', 'errLetterRequired');
    if (!agreed) throw new HttpError(409, 'NOT_ALLOWED', 'the agreement must be accepted', 'errAgreementRequired');
    request.agreedAt = this.now().toISOString();
    request.status = 'submitted';
    request.updatedAt = request.agreedAt;
    this.store.putRequest(request);
  }

  /** The verifier approves (enrollment then issues, or fails when QA says so) or rejects. */
  async decide(requestId: string, decision: 'approve' | 'reject', note?: string): Promise<void> {
    const request = this.store.findRequest(requestId);
    const user = request && this.store.findUser(request.email);
    if (!request || !user) throw new HttpError(404, 'NOT_FOUND', 'no such request', 'errNotFound');
    if (!request.csrPem || (request.status !== 'csr_uploaded' && request.status !== 'submitted')) {
      throw new HttpError(409, 'NOT_ALLOWED', `request is ${request.status}`, 'errState');
    }
    if (decision === 'reject') {
      request.status = 'rejected';
      request.note = note || 'Ditolak';
      request.verification = { decision: 'rejected', at: this.now().toISOString() };
      request.updatedAt = this.now().toISOString();
      this.store.putRequest(request);
    } else {
      const check = checkCsr(request.csrPem, subjectFor(this.employeeOf(user)));
      if (!check.ok) throw new HttpError(409, 'CSR_INVALID', check.reason);
      await this.approve(request, user, check.publicKey, note || 'Disetujui');
    }
  }

  /** A certificate by its serial in any printed form: either case, with or without a 00 sign byte or colons. */
  findCertificate(serial: string): ReturnType<MockStore['findCertificate']> {
    for (const variant of serialVariants(serial)) {
      const found = this.store.findCertificate(variant);
      if (found) return found;
    }
    return undefined;
  }

  /** Pencabutan: the certificate is marked Revoke, listed in the CRL, and the history gets a revoke row. */
  async revoke(serial: string, reason: RevocationReason, email?: string): Promise<void> {
    const found = this.findCertificate(serial);
    if (!found || (email && found.request.email.toLowerCase() !== email.toLowerCase())) throw new HttpError(404, 'NOT_FOUND', 'no such certificate', 'errNotFound');
    const status = this.certificateStatus(found.certificate);
    if (status !== 'Issued') throw new HttpError(409, 'NOT_ALLOWED', `certificate is ${status}`, 'errNotIssued');
    const stamp = this.now().toISOString();
    found.certificate.revokedAt = stamp;
    found.certificate.revocationReason = reason;
    const row: MockRequest = {
      id: randomUUID(),
      email: found.request.email,
      type: 'revoke',
      product: found.request.product,
      status: 'issued',
      note: reason,
      subjectSerial: found.certificate.serialNumber,
      verification: { decision: 'approved', at: stamp },
      enrollment: 'success',
      createdAt: stamp,
      updatedAt: stamp,
    };
    this.store.transaction(() => {
      this.store.putRequest(found.request);
      this.store.putRequest(row);
    });
  }

  /** Permohonan Pembaruan: only for an Issued certificate from H-30; a new LOCK request with its own token. */
  async renew(serial: string, email: string): Promise<MintTokenResponse> {
    const found = this.findCertificate(serial);
    if (!found || found.request.email.toLowerCase() !== email.toLowerCase()) throw new HttpError(404, 'NOT_FOUND', 'no such certificate', 'errNotFound');
    if (!this.renewable(found.certificate)) throw new HttpError(409, 'NOT_ALLOWED', 'renewal opens 30 days before expiry, for Issued certificates', 'errRenewalNotYet');
    return this.newRequest(email, { product: found.request.product, renews: found.certificate.serialNumber });
  }

  async createUser(input: MockUserInput): Promise<MockUser> {
    const user = normalizeProfile(userSchema.parse(input));
    const problems = checkProfile(user);
    if (problems.length) throw new HttpError(422, 'PROFILE_INVALID', problems.join(', '));
    if (this.store.findUser(user.email)) throw new HttpError(409, 'NOT_ALLOWED', 'a user with this email exists');
    this.store.addUser(user);
    return user;
  }

  async setClockOffset(days: number): Promise<void> {
    this.store.clockOffsetMs = Math.round(days * 86_400_000);
  }

  /** QA: the request's token expires now. */
  async expireToken(requestId: string): Promise<void> {
    const request = this.store.findRequest(requestId);
    if (!request?.tokenHash) throw new HttpError(404, 'NOT_FOUND', 'no such request', 'errNotFound');
    request.tokenExpiresAt = new Date(this.now().getTime() - 1000).toISOString();
    this.store.putRequest(request);
  }

  /** Back to the seeded users, no requests, the clock as it is; CA and admin key stay. */
  async reset(): Promise<void> {
    const fresh = MockStore.fresh(this.store.adminKey);
    this.store.importState({ ...fresh, clockOffsetMs: this.store.clockOffsetMs });
    await fs.rm(path.join(this.dataDir, 'letters'), { recursive: true, force: true });
  }

  private ownRequest(requestId: string, email: string): MockRequest {
    const request = this.store.findRequest(requestId);
    if (!request || request.email.toLowerCase() !== email.toLowerCase()) throw new HttpError(404, 'NOT_FOUND', 'no such request', 'errNotFound');
    return request;
  }

  /** Approves and enrolls; the request's row is written when its state is final. */
  private async approve(request: MockRequest, user: MockUser, publicKey: forge.pki.rsa.PublicKey, note: string): Promise<void> {
    const start = this.now();
    request.verification = { decision: 'approved', at: start.toISOString() };
    request.note = note;
    if (this.settings.enrollmentFails) {
      request.status = 'enroll_failed';
      request.enrollment = 'failed';
      request.updatedAt = start.toISOString();
      this.store.putRequest(request);
      return;
    }
    const notBefore = new Date(start.getTime() - 5 * 60_000);
    const notAfter = new Date(start.getTime() + CERT_VALIDITY_MS);
    const issued = await this.ca.issue({ subject: subjectFor(this.employeeOf(user)), email: user.email, publicKey, notBefore, notAfter, baseUrl: this.baseUrl() });
    request.certificate = { pem: issued.pem, serialNumber: issued.serialNumber, notBefore: notBefore.toISOString(), notAfter: notAfter.toISOString() };
    request.status = 'issued';
    request.enrollment = 'success';
    request.updatedAt = this.now().toISOString();
    this.store.transaction(() => {
      this.store.putRequest(request);
      const old = request.type === 'renew' && request.subjectSerial ? this.findCertificate(request.subjectSerial) : undefined;
      if (old) {
        old.certificate.renewedAt = request.updatedAt;
        this.store.putRequest(old.request);
      }
    });
  }
}
