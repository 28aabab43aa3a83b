import { createServer, type Server } from 'node:http';
import type { AddressInfo } from 'node:net';
import path from 'node:path';
import type { KeyObject } from 'node:crypto';
import fc from 'fast-check';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { amsErrorBodySchema, amsErrorCodes, certificateResponseSchema, employeeResponseSchema, statusResponseSchema } from '../../src/ams-api/schemas';
import { AppError, isErrorCode, type ErrorCode } from '../../src/contract/errors';
import { amsRequestStatuses } from '../../src/domain/request-state';
import { TestCa } from '../../src-main/mock-ams/test-ca';
import { AmsClient } from '../../src-main/services/ams-client';
import { readPrivateKey } from '../../src-main/services/bundle-service';
import { encryptPrivateKey, generateSoftwareKey, openWithOpenSsl } from '../../src-main/services/software-key';
import { certificateParts, commonName, parseCertificate, parseCertificates, splitPem, subjectKeyIdentifier } from '../../src-main/services/x509-parts';
import { tempDir } from '../support/tools';
import { issueDayCertificate } from '../support/test-certificate';

/**
 * Property-based fuzzing (fast-check) of the certificate/key readers and the
 * AMS answer parsing: arbitrary input never escapes as anything but a coded
 * AppError, valid input re-encoded any legal way reads back the same, and a
 * mutated valid input gives a coded error or a result, never a crash or hang.
 * Runs are few (seeded by fast-check, printed on failure) to stay fast on 2 cores.
 */
// LOCK_PROPERTY_RUNS=5000 for a longer hunt; fast-check prints the seed and the shrunk input of a failure.
const RUNS = Number(process.env['LOCK_PROPERTY_RUNS'] ?? 150);
const OPTS = { numRuns: RUNS, timeout: 10_000 } as const;
const openKey = async (input: string | Buffer, password: string) => openWithOpenSsl(input, password);

/** The outcome of a reader: OK with its value, or a coded error; anything else (TypeError, RangeError…) is thrown on. */
async function outcome<T>(read: () => T | Promise<T>): Promise<{ code: 'OK'; value: T } | { code: ErrorCode }> {
  try {
    return { code: 'OK', value: await read() };
  } catch (error) {
    if (error instanceof AppError && isErrorCode(error.code)) return { code: error.code };
    throw new Error(`CRASH: not a coded error: ${String((error as Error)?.stack ?? error)}`, { cause: error });
  }
}

const b64Lines = (der: Buffer, width: number, eol: string) => (der.toString('base64').match(new RegExp(`.{1,${width}}`, 'g')) ?? []).join(eol);
const pemOf = (der: Buffer, label: string, width: number, eol: string) => `-----BEGIN ${label}-----${eol}${b64Lines(der, width, eol)}${eol}-----END ${label}-----${eol}`;
/** A legal PEM layout: any base64 line width, LF or CRLF, optional text before and blank lines after. */
const layout = fc.record({
  width: fc.integer({ min: 4, max: 76 }),
  eol: fc.constantFrom('\n', '\r\n'),
  before: fc.constantFrom('', 'Bag Attributes\n    friendlyName: x\n', '# comment\r\n', '\n\n'),
  after: fc.constantFrom('', '\n', '\r\n\r\n', '\n\n\n'),
});
/** Bit flips (index, bit) and an optional truncation of a valid input. */
const mutation = fc.record({
  flips: fc.array(fc.tuple(fc.nat(), fc.integer({ min: 0, max: 7 })), { minLength: 0, maxLength: 4 }),
  cut: fc.option(fc.nat(), { nil: undefined }),
});
const mutate = (bytes: Buffer, m: { flips: [number, number][]; cut: number | undefined }) => {
  const out = Buffer.from(bytes);
  for (const [i, bit] of m.flips) out[i % out.length]! ^= 1 << bit;
  return m.cut === undefined ? out : out.subarray(0, m.cut % (out.length + 1));
};

let dir: string;
let cleanup: () => Promise<void>;
let leafDer: Buffer;
let chainDer: Buffer[];
let key: KeyObject;
let keyDerPkcs8: Buffer;
let encryptedPem: string;
const KEY_PASSWORD = 'Kunci#Rahasia2026';

beforeAll(async () => {
  ({ dir, cleanup } = await tempDir('lock-corpus-props-'));
  const ca = await TestCa.openOrCreate(path.join(dir, 'ca'), new Date());
  key = await generateSoftwareKey();
  const issued = await issueDayCertificate(ca, key);
  leafDer = parseCertificate(Buffer.from(issued.pem)).raw;
  chainDer = [leafDer, parseCertificate(Buffer.from(ca.issuing.pem)).raw, parseCertificate(Buffer.from(ca.root.pem)).raw];
  keyDerPkcs8 = key.export({ type: 'pkcs8', format: 'der' });
  // Few iterations: the property is the reader, not the KDF's cost.
  encryptedPem = await encryptPrivateKey(key, KEY_PASSWORD, 1_000);
}, 120_000);
afterAll(() => cleanup());

describe('properties: certificate readers (PEM/DER)', () => {
  it('arbitrary bytes and PEM-looking text → a certificate list or CERT_INVALID, never a raw error', async () => {
    const pemish = fc
      .tuple(fc.string(), fc.base64String(), fc.string())
      .map(([a, body, b]) => Buffer.from(`${a}-----BEGIN CERTIFICATE-----\n${body}\n-----END CERTIFICATE-----${b}`, 'latin1'));
    await fc.assert(
      fc.asyncProperty(fc.oneof(fc.uint8Array({ maxLength: 2048 }).map((a) => Buffer.from(a)), pemish), async (bytes) => {
        const got = await outcome(() => parseCertificates(bytes));
        expect(['OK', 'CERT_INVALID']).toContain(got.code);
        expect(Array.isArray(splitPem(bytes.toString('latin1')))).toBe(true);
      }),
      OPTS,
    );
  });

  it('a real certificate re-encoded (line width, LF/CRLF, text around it) reads back to the same DER', async () => {
    await fc.assert(
      fc.asyncProperty(layout, async ({ width, eol, before, after }) => {
        const text = `${before}${pemOf(leafDer, 'CERTIFICATE', width, eol)}${after}`;
        const [cert, ...rest] = parseCertificates(Buffer.from(text, 'latin1'));
        expect(rest).toHaveLength(0);
        expect(cert!.raw.equals(leafDer)).toBe(true);
      }),
      OPTS,
    );
  });

  it('a chain in any order and layout reads back as the same certificates, in file order', async () => {
    const order = fc.shuffledSubarray([0, 1, 2], { minLength: 3, maxLength: 3 });
    await fc.assert(
      fc.asyncProperty(order, fc.array(layout, { minLength: 3, maxLength: 3 }), async (indexes, layouts) => {
        const text = indexes.map((i, n) => pemOf(chainDer[i]!, 'CERTIFICATE', layouts[n]!.width, layouts[n]!.eol) + layouts[n]!.after).join('');
        const read = parseCertificates(Buffer.from(text, 'latin1'));
        expect(read.map((c) => c.raw.toString('hex'))).toEqual(indexes.map((i) => chainDer[i]!.toString('hex')));
      }),
      OPTS,
    );
  });

  it('a subjectKeyIdentifier whose inner length overruns its value: OpenSSL reads the certificate, the SKI reader says CERT_INVALID (fast-check seed 472508209)', async () => {
    const ski = Buffer.from('0603551d0e0416', 'hex'); // OID 2.5.29.14, then the extnValue OCTET STRING of 22 bytes
    const at = leafDer.indexOf(ski);
    expect(at).toBeGreaterThan(0);
    const broken = Buffer.from(leafDer);
    expect(broken[at + ski.length + 1]).toBe(0x14); // inner OCTET STRING length: 20
    broken[at + ski.length + 1] = 0x15;
    const [cert] = parseCertificates(broken);
    expect((await outcome(() => subjectKeyIdentifier(cert!))).code).toBe('CERT_INVALID');
    expect(subjectKeyIdentifier(parseCertificate(leafDer))).toMatch(/^[0-9a-f]{40}$/);
  });

  it('bit flips and truncation of a DER or PEM certificate → CERT_INVALID, or a certificate whose parts read or say CERT_INVALID', async () => {
    await fc.assert(
      fc.asyncProperty(fc.boolean(), mutation, async (asPem, m) => {
        const input = asPem ? mutate(Buffer.from(pemOf(leafDer, 'CERTIFICATE', 64, '\n')), m) : mutate(leafDer, m);
        const got = await outcome(() => parseCertificates(input));
        expect(['OK', 'CERT_INVALID']).toContain(got.code);
        if (got.code !== 'OK') return;
        // What OpenSSL accepted, the token writer and OCSP/CRL code take apart with node-forge.
        for (const cert of got.value) {
          const parts = await outcome(() => certificateParts(cert.raw));
          expect(['OK', 'CERT_INVALID']).toContain(parts.code);
          expect(['OK', 'CERT_INVALID']).toContain((await outcome(() => subjectKeyIdentifier(cert))).code);
          expect(typeof commonName(cert)).toBe('string');
        }
      }),
      { ...OPTS, numRuns: RUNS * 2 },
    );
  });
});

describe('properties: private key reader (PEM/DER, plain or encrypted)', () => {
  const samePrivateKey = (read: KeyObject) => expect(read.export({ type: 'pkcs8', format: 'der' }).equals(keyDerPkcs8)).toBe(true);

  it('arbitrary bytes, with or without a password → KEY_INVALID, KEY_PASSWORD_NEEDED or KEY_PASSWORD_INCORRECT, never a raw error', async () => {
    const pemish = fc
      .tuple(fc.constantFrom('PRIVATE KEY', 'RSA PRIVATE KEY', 'ENCRYPTED PRIVATE KEY', 'EC PRIVATE KEY', 'CERTIFICATE'), fc.base64String(), fc.constantFrom('', 'Proc-Type: 4,ENCRYPTED\nDEK-Info: AES-128-CBC,00\n\n'))
      .map(([label, body, headers]) => Buffer.from(`-----BEGIN ${label}-----\n${headers}${body}\n-----END ${label}-----\n`));
    const bytes = fc.oneof(fc.uint8Array({ maxLength: 2048 }).map((a) => Buffer.from(a)), pemish);
    await fc.assert(
      fc.asyncProperty(bytes, fc.option(fc.string({ minLength: 1, maxLength: 20 }), { nil: undefined }), async (input, password) => {
        const got = await outcome(() => readPrivateKey(input, password, openKey));
        // Random bytes that happen to be a key would be a key: accepted, but no such luck is expected.
        expect(['KEY_INVALID', 'KEY_PASSWORD_NEEDED', 'KEY_PASSWORD_INCORRECT', 'OK']).toContain(got.code);
      }),
      OPTS,
    );
  });

  it('the real key as PKCS#8/PKCS#1 PEM in any layout, or DER, reads back the same key', async () => {
    const pkcs1 = key.export({ type: 'pkcs1', format: 'der' });
    const form = fc.constantFrom<[string, Buffer]>(['PRIVATE KEY', keyDerPkcs8], ['RSA PRIVATE KEY', pkcs1]);
    await fc.assert(
      fc.asyncProperty(form, layout, fc.boolean(), async ([label, der], { width, eol, after }, asDer) => {
        const bytes = asDer ? der : Buffer.from(pemOf(der, label, width, eol) + after);
        samePrivateKey(await readPrivateKey(bytes, undefined, openKey));
      }),
      OPTS,
    );
  });

  it('the encrypted key re-laid out opens with its password; a wrong one is KEY_PASSWORD_INCORRECT, a missing one KEY_PASSWORD_NEEDED', async () => {
    const der = Buffer.from(encryptedPem.replace(/-----[^-]+-----|\s/g, ''), 'base64');
    await fc.assert(
      fc.asyncProperty(layout, fc.constantFrom('right', 'wrong', 'none'), async ({ width, eol }, which) => {
        const bytes = Buffer.from(pemOf(der, 'ENCRYPTED PRIVATE KEY', width, eol));
        const password = which === 'right' ? KEY_PASSWORD : which === 'wrong' ? `${KEY_PASSWORD}x` : undefined;
        const got = await outcome(() => readPrivateKey(bytes, password, openKey));
        if (which === 'right') samePrivateKey((got as { value: KeyObject }).value);
        else expect(got.code).toBe(which === 'wrong' ? 'KEY_PASSWORD_INCORRECT' : 'KEY_PASSWORD_NEEDED');
      }),
      { ...OPTS, numRuns: 40 },
    );
  });

  it('bit flips and truncation of plain or encrypted key files → a coded error or a key, never a crash or hang', async () => {
    const inputs = [Buffer.from(key.export({ type: 'pkcs8', format: 'pem' }) as string), keyDerPkcs8, Buffer.from(encryptedPem)];
    await fc.assert(
      fc.asyncProperty(fc.constantFrom(0, 1, 2), mutation, async (which, m) => {
        const got = await outcome(() => readPrivateKey(mutate(inputs[which]!, m), which === 2 ? KEY_PASSWORD : undefined, openKey));
        expect(['OK', 'KEY_INVALID', 'KEY_PASSWORD_INCORRECT']).toContain(got.code);
      }),
      { ...OPTS, numRuns: RUNS * 2 },
    );
  });
});

describe('properties: AMS answers through the real client and HTTP', () => {
  let server: Server;
  let client: AmsClient;
  let next: { status: number; body: string } = { status: 200, body: '{}' };

  beforeAll(async () => {
    server = createServer((req, res) => {
      req.resume();
      req.on('end', () => {
        res.writeHead(next.status, { 'content-type': 'application/json' });
        res.end(next.body);
      });
    });
    await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
    const { port } = server.address() as AddressInfo;
    // No retries: each run is one exchange; the retry budget has its own tests.
    client = new AmsClient(`http://127.0.0.1:${port}`, { timeoutMs: 5_000, budgetMs: 10_000, maxBodyBytes: 256 * 1024, retries: 0 });
  });
  afterAll(() => new Promise<void>((resolve) => server.close(() => resolve())));

  const calls = {
    employee: [employeeResponseSchema, (t: string): Promise<unknown> => client.employee(t)],
    status: [statusResponseSchema, (t: string): Promise<unknown> => client.status(t)],
    certificate: [certificateResponseSchema, (t: string): Promise<unknown> => client.certificate(t)],
  } as const;
  const callName = fc.constantFrom(...(Object.keys(calls) as (keyof typeof calls)[]));
  const status = fc.constantFrom(200, 201, 300, 302, 400, 401, 403, 404, 409, 410, 422, 429, 500, 502, 503);

  /** The contract: 2xx is the schema's data or SERVER_BAD_RESPONSE; 3xx is refused; an error body maps by its code. */
  const expectedFor = (name: keyof typeof calls, code: number, body: string): { code: ErrorCode | 'OK' | 'MAPPED'; data?: unknown } => {
    let json: unknown;
    try {
      json = JSON.parse(body);
    } catch {
      json = undefined;
    }
    if (code >= 200 && code < 300) {
      const parsed = calls[name][0].safeParse(json);
      return parsed.success ? { code: 'OK', data: parsed.data } : { code: 'SERVER_BAD_RESPONSE' };
    }
    if (code >= 300 && code < 400) return { code: 'SERVER_BAD_RESPONSE' };
    // An AMS error body maps by its own code (the table in ams-client); any coded error but OK.
    if (amsErrorBodySchema.safeParse(json).success) return { code: 'MAPPED' };
    return { code: code >= 500 ? 'SERVER_ERROR' : 'SERVER_BAD_RESPONSE' };
  };

  async function exchange(name: keyof typeof calls, code: number, body: string) {
    next = { status: code, body };
    const got = await outcome(() => calls[name][1]('A'.repeat(40)));
    // What the client received: the body as UTF-8 (lone surrogates become U+FFFD on the wire).
    const want = expectedFor(name, code, Buffer.from(body, 'utf8').toString('utf8'));
    if (want.code === 'MAPPED') expect(isErrorCode(got.code)).toBe(true);
    else expect(got.code).toBe(want.code);
    if (got.code === 'OK') expect(got.value).toEqual(want.data);
  }

  it('arbitrary text and arbitrary JSON as any status → the schema’s data or a coded error', async () => {
    const body = fc.oneof(fc.string({ unit: 'binary', maxLength: 300 }), fc.jsonValue({ maxDepth: 4 }).map((v) => JSON.stringify(v) ?? 'null'));
    await fc.assert(fc.asyncProperty(callName, status, body, (n, s, b) => exchange(n, s, b)), OPTS);
  });

  const text = fc.string({ minLength: 1, maxLength: 40 });
  const iso = fc.date({ min: new Date('2000-01-01'), max: new Date('2099-12-31'), noInvalidDate: true }).map((d) => d.toISOString());
  const employeeAnswer = fc.record({
    requestId: fc.string(),
    product: fc.string(),
    status: fc.constantFrom(...amsRequestStatuses),
    employee: fc.record({ name: text, unit: text, organization: text, email: fc.constantFrom('maman@instansi.go.id', 'a.b@x.co.id'), locality: text, province: text, country: fc.constantFrom('ID', 'NL') }),
  });
  const statusAnswer = fc.record(
    { requestId: fc.string(), product: fc.string(), status: fc.constantFrom(...amsRequestStatuses), note: fc.string(), updatedAt: iso, certificate: fc.record({ serialNumber: fc.string(), notAfter: iso }) },
    { requiredKeys: ['requestId', 'product', 'status', 'updatedAt'] },
  );
  const pemText = fc.string().map((s) => `-----BEGIN CERTIFICATE-----${s}`);
  const certificateAnswer = fc.record({ requestId: fc.string(), certificate: pemText, chain: fc.array(pemText, { maxLength: 3 }) });
  const valid = fc.oneof(
    employeeAnswer.map((v) => ['employee', v] as const),
    statusAnswer.map((v) => ['status', v] as const),
    certificateAnswer.map((v) => ['certificate', v] as const),
  );

  it('valid answers (with unknown extra fields) round-trip to the same data', async () => {
    await fc.assert(
      fc.asyncProperty(valid, fc.dictionary(fc.string({ minLength: 1 }).filter((k) => !['requestId', 'product', 'status', 'note', 'updatedAt', 'certificate', 'employee', 'chain'].includes(k)), fc.jsonValue({ maxDepth: 2 }), { maxKeys: 3 }), async ([name, answer], extra) => {
        next = { status: 200, body: JSON.stringify({ ...extra, ...answer }) };
        const got = await outcome(() => calls[name][1]('A'.repeat(40)));
        expect(got).toEqual({ code: 'OK', value: answer });
      }),
      OPTS,
    );
  });

  it('AMS error bodies map to their coded errors at any 4xx/5xx status', async () => {
    const errorBody = fc.record({ code: fc.constantFrom(...amsErrorCodes), message: fc.string({ maxLength: 1000 }) });
    await fc.assert(
      fc.asyncProperty(callName, fc.constantFrom(400, 404, 409, 410, 500, 503), errorBody, async (name, code, error) => {
        next = { status: code, body: JSON.stringify({ error }) };
        const got = await outcome(() => calls[name][1]('A'.repeat(40)));
        expect(got.code).not.toBe('OK');
        expect(isErrorCode(got.code)).toBe(true);
      }),
      OPTS,
    );
  });

  it('bit flips and truncation of valid answers → the same data, other valid data, or SERVER_BAD_RESPONSE', async () => {
    await fc.assert(
      fc.asyncProperty(valid, mutation, async ([name, answer], m) => {
        // Latin-1 bytes in, a JSON text back: a flipped byte may become any character, never a crash.
        const body = mutate(Buffer.from(JSON.stringify(answer), 'utf8'), m).toString('utf8');
        await exchange(name, 200, body);
      }),
      OPTS,
    );
  });
});
