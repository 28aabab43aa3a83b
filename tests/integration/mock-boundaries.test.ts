import { describe, expect, it } from 'vitest';
import { amsPaths } from '../../src/ams-api/schemas';
import { MAX_LETTER_BYTES, RENEWAL_WINDOW_MS, TOKEN_TTL_MS } from '../../src-main/mock-ams/ams-core';
import { checkCsr, MIN_RSA_BITS } from '../../src-main/mock-ams/csr-check';
import { MAMAN_EMPLOYEE } from '../../src-main/mock-ams/seed-users';
import { AmsClient } from '../../src-main/services/ams-client';
import { buildCsr } from '../../src-main/services/csr-builder';
import { generateSoftwareKey, softwareSigner } from '../../src-main/services/software-key';
import { subjectFor } from '../../src/domain/employee';
import { useMockAms } from '../support/mock';

/**
 * The mock AMS's and the AMS client's threshold rules, each just below, at and
 * just above its limit: the H-30 renewal window, certificate expiry, the
 * 7-day token, the 256 KiB request body, the 2 MiB letter, RSA ≥ 2048 in a CSR,
 * and the client's retry cap.
 */
const MAMAN = 'maman@instansi.go.id';
const DAY = 86_400_000;
const clock = { now: Date.parse('2026-11-30T03:00:00.000Z') };

describe('mock AMS thresholds', () => {
  const fixture = useMockAms({ autoApprove: true, now: () => new Date(clock.now) });

  const issue = async () => {
    const { token, requestId } = await fixture.mock.mintToken(MAMAN);
    const client = new AmsClient(fixture.mock.url, { retryDelayMs: 1 });
    await client.uploadCsr(token, await buildCsr(MAMAN_EMPLOYEE, softwareSigner(await generateSoftwareKey())));
    const certificate = fixture.mock.store.findRequest(requestId)!.certificate!;
    return { token, requestId, certificate };
  };

  it('the windows are the documented ones: renewal at H-30, tokens for 7 days, letters up to 2 MiB', () => {
    expect([RENEWAL_WINDOW_MS, TOKEN_TTL_MS, MAX_LETTER_BYTES, MIN_RSA_BITS]).toEqual([30 * DAY, 7 * DAY, 2 * 1024 * 1024, 2048]);
  });

  it('renewal opens exactly 30 days before expiry (H-30), not a millisecond earlier', async () => {
    const issuedAt = clock.now;
    const { certificate } = await issue();
    const opens = Date.parse(certificate.notAfter) - RENEWAL_WINDOW_MS;
    try {
      clock.now = opens - 1;
      expect(fixture.mock.core.renewable(certificate)).toBe(false);
      await expect(fixture.mock.core.renew(certificate.serialNumber, MAMAN)).rejects.toMatchObject({ status: 409, code: 'NOT_ALLOWED' });
      clock.now = opens;
      expect(fixture.mock.core.renewable(certificate)).toBe(true);
      clock.now = opens + 1;
      expect(fixture.mock.core.renewable(certificate)).toBe(true);
      await expect(fixture.mock.core.renew(certificate.serialNumber, MAMAN)).resolves.toMatchObject({ token: expect.stringMatching(/^[0-9A-F]{40}$/) });
    } finally {
      clock.now = issuedAt;
    }
  });

  it('a certificate is Issued up to its notAfter and Expired (not renewable) a millisecond later', async () => {
    const issuedAt = clock.now;
    const { certificate } = await issue();
    const notAfter = Date.parse(certificate.notAfter);
    try {
      clock.now = notAfter - 1;
      expect(fixture.mock.core.certificateStatus(certificate)).toBe('Issued');
      clock.now = notAfter;
      expect(fixture.mock.core.certificateStatus(certificate)).toBe('Issued');
      expect(fixture.mock.core.renewable(certificate)).toBe(true);
      clock.now = notAfter + 1;
      expect(fixture.mock.core.certificateStatus(certificate)).toBe('Expired');
      expect(fixture.mock.core.renewable(certificate)).toBe(false);
    } finally {
      clock.now = issuedAt;
    }
  });

  it('a CSR token is good for exactly 7 days', async () => {
    const mintedAt = clock.now;
    const employee = (token: string) => fetch(`${fixture.mock.url}${amsPaths.employee}`, { method: 'POST', body: JSON.stringify({ token }) });
    const tokens = await Promise.all([1, 2, 3].map(() => fixture.mock.mintToken(MAMAN)));
    try {
      clock.now = mintedAt + TOKEN_TTL_MS - 1;
      expect((await employee(tokens[0]!.token)).status).toBe(200);
      clock.now = mintedAt + TOKEN_TTL_MS;
      expect((await employee(tokens[1]!.token)).status).toBe(200);
      clock.now = mintedAt + TOKEN_TTL_MS + 1;
      const late = await employee(tokens[2]!.token);
      expect([late.status, ((await late.json()) as { error: { code: string } }).error.code]).toEqual([410, 'TOKEN_EXPIRED']);
      // And the CSR upload refuses it too.
      const csr = await buildCsr(MAMAN_EMPLOYEE, softwareSigner(await generateSoftwareKey()));
      await expect(new AmsClient(fixture.mock.url, { retryDelayMs: 1 }).uploadCsr(tokens[2]!.token, csr)).rejects.toMatchObject({ code: 'TOKEN_EXPIRED' });
    } finally {
      clock.now = mintedAt;
    }
  });

  it('a request body may be 256 KiB, not a byte more', async () => {
    const limit = 256 * 1024;
    // Valid JSON of an exact size: {"token":"aaa…"}.
    const bodyOf = (size: number) => `{"token":"${'a'.repeat(size - 12)}"}`;
    const send = (size: number) => fetch(`${fixture.mock.url}${amsPaths.status}`, { method: 'POST', body: bodyOf(size) });
    expect(bodyOf(limit).length).toBe(limit);
    for (const [size, status] of [
      [limit - 1, 400],
      [limit, 400],
      [limit + 1, 413],
    ] as const) {
      // Under the limit the body is read and refused by the schema (token too long); above, it is not read at all.
      expect({ size, status: (await send(size)).status }).toEqual({ size, status });
    }
  });

  it('a recommendation letter may be 2 MiB, not a byte more', async () => {
    const pdf = (size: number) => Buffer.concat([Buffer.from('%PDF-1.4\n'), Buffer.alloc(size - 9, 0x20)]);
    const { core } = fixture.mock;
    fixture.mock.settings.autoApprove = false;
    try {
      const requestId = async () => {
        const { token, requestId: id } = await fixture.mock.mintToken(MAMAN);
        await new AmsClient(fixture.mock.url, { retryDelayMs: 1 }).uploadCsr(token, await buildCsr(MAMAN_EMPLOYEE, softwareSigner(await generateSoftwareKey())));
        return id;
      };
      await expect(core.uploadLetter(await requestId(), MAMAN, { bytes: pdf(MAX_LETTER_BYTES - 1), name: 'a.pdf' })).resolves.toBeUndefined();
      await expect(core.uploadLetter(await requestId(), MAMAN, { bytes: pdf(MAX_LETTER_BYTES), name: 'b.pdf' })).resolves.toBeUndefined();
      await expect(core.uploadLetter(await requestId(), MAMAN, { bytes: pdf(MAX_LETTER_BYTES + 1), name: 'c.pdf' })).rejects.toMatchObject({ status: 413 });
    } finally {
      fixture.mock.settings.autoApprove = true;
    }
  });

  it('the AMS client retries a 5xx twice: 2 failures are survived, a 3rd is reported, and no 4th call is made', async () => {
    const { token } = await fixture.mock.mintToken(MAMAN);
    const client = new AmsClient(fixture.mock.url, { retryDelayMs: 1 });
    const { faults } = fixture.mock;
    try {
      faults.serverErrors = 1;
      await expect(client.employee(token)).resolves.toMatchObject({ employee: { name: 'MAMAN' } });
      faults.serverErrors = 2;
      await expect(client.employee(token)).resolves.toMatchObject({ employee: { name: 'MAMAN' } });
      expect(faults.serverErrors).toBe(0);
      faults.serverErrors = 3;
      await expect(client.employee(token)).rejects.toMatchObject({ code: 'SERVER_ERROR' });
      expect(faults.serverErrors).toBe(0);
      faults.serverErrors = 4;
      await expect(client.employee(token)).rejects.toMatchObject({ code: 'SERVER_ERROR' });
      expect(faults.serverErrors, 'exactly three attempts').toBe(1);
    } finally {
      faults.serverErrors = 0;
    }
  });
});

describe('CSR key size: RSA of at least 2048 bits', () => {
  it.each([
    [2047, false],
    [2048, true],
    [2049, true],
  ])('RSA %i → accepted %s', async (bits, accepted) => {
    const csr = await buildCsr(MAMAN_EMPLOYEE, softwareSigner(await generateSoftwareKey(bits)));
    const check = checkCsr(csr, subjectFor(MAMAN_EMPLOYEE));
    expect(check.ok).toBe(accepted);
    if (!check.ok) expect(check.reason).toBe('RSA key must have at least 2048 bits');
  });
});
