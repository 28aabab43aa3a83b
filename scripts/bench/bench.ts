/**
 * `npm run bench`: LOCK Desktop's own work beside a baseline, in the same run.
 *  1. software key: RSA 2048 + encrypted PKCS#8 (PBKDF2-SHA256 600k, AES-256-CBC)
 *     + CSR, against the equivalent openssl commands (target ratio ≤ 1.2);
 *  2. token key: RSA 2048 generated on a SoftHSM2 token + CSR signed there,
 *     against pkcs11-tool --keypairgen + openssl req through the PKCS#11 engine
 *     (target ratio ≤ 1.2);
 *  3. the main thread's largest event-loop delay while token keys are generated,
 *     through the worker (target ≤ 20 ms) beside the same work on the main thread;
 *  4. a .p12 (key + leaf + 2 CA certificates, 3DES bags, HMAC-SHA1 MAC, 2048
 *     iterations) against `openssl pkcs12 -export` with the same algorithms
 *     (target ratio ≤ 1.5);
 *  5. the mock AMS's throughput and p95 latency for token look-ups and CSR
 *     uploads at 50 concurrent clients, beside a bare Node HTTP server, and its
 *     resident memory after those requests;
 *  6. the built renderer's gzipped JavaScript (target ≤ 250 KB).
 */
import { execFileSync } from 'node:child_process';
import { X509Certificate } from 'node:crypto';
import { existsSync, mkdtempSync, readdirSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import path from 'node:path';
import { performance } from 'node:perf_hooks';
import { gzipSync } from 'node:zlib';
import { buildCsr } from '../../src-main/services/csr-builder';
import { encryptPrivateKey, generateSoftwareKey, PBKDF2_ITERATIONS, RSA_BITS, softwareSigner } from '../../src-main/services/software-key';
import { subjectFor } from '../../src/domain/employee';
import { TestCa } from '../../src-main/mock-ams/test-ca';
import { forgePublicKey } from '../../src-main/services/forge-util';
import { buildPkcs12, P12_ITERATIONS } from '../../src-main/services/p12/pkcs12-builder';
import { createSoftHsmToken } from '../../native/softhsm/create-token.mjs';
import { InProcessTransport, TokenService, WorkerTransport } from '../../src-main/services/pkcs11/token-service';
import { CLIENTS, load, REQUESTS, residentMb, startBareServer, startMockServer, type LoadResult } from './mock-load';
import { MAMAN_EMPLOYEE } from '../../src-main/mock-ams/seed-users';

const ROUNDS = Number(process.env['BENCH_ROUNDS'] ?? 12);
const PASSWORD = 'Kunci#Rahasia2026';
const employee = MAMAN_EMPLOYEE;

const median = (values: number[]) => {
  const sorted = [...values].sort((a, b) => a - b);
  const mid = sorted.length >> 1;
  return sorted.length % 2 ? sorted[mid]! : (sorted[mid - 1]! + sorted[mid]!) / 2;
};

async function ours(): Promise<number> {
  const start = performance.now();
  const key = await generateSoftwareKey(RSA_BITS);
  await encryptPrivateKey(key, PASSWORD, PBKDF2_ITERATIONS);
  await buildCsr(employee, softwareSigner(key));
  return performance.now() - start;
}

function openssl(dir: string): number {
  const key = path.join(dir, 'k.pem');
  const start = performance.now();
  execFileSync('openssl', ['genpkey', '-algorithm', 'RSA', '-pkeyopt', `rsa_keygen_bits:${RSA_BITS}`, '-out', key], { stdio: 'ignore' });
  execFileSync('openssl', ['pkcs8', '-topk8', '-v2', 'aes-256-cbc', '-v2prf', 'hmacWithSHA256', '-iter', String(PBKDF2_ITERATIONS), '-in', key, '-out', path.join(dir, 'enc.pem'), '-passout', `pass:${PASSWORD}`], { stdio: 'ignore' });
  execFileSync('openssl', ['req', '-new', '-sha256', '-key', key, '-subj', '/C=ID/ST=DKI Jakarta/L=Jakarta Pusat/O=NAMA INSTANSI/OU=BIDANG OPERASIONAL/CN=MAMAN/emailAddress=maman@instansi.go.id', '-addext', 'subjectAltName=email:maman@instansi.go.id', '-out', path.join(dir, 'r.csr')], { stdio: 'ignore' });
  return performance.now() - start;
}

function rendererGzipBytes(): number {
  const dir = path.resolve('dist', 'renderer', 'assets');
  return readdirSync(dir)
    .filter((f) => f.endsWith('.js'))
    .reduce((sum, f) => sum + gzipSync(readFileSync(path.join(dir, f)), { level: 9 }).length, 0);
}

const PIN = '123456';

async function tokenOurs(tokens: TokenService, library: string, serial: string): Promise<number> {
  const start = performance.now();
  const session = await tokens.login(library, { serial, pin: PIN });
  const key = await tokens.generateRsaKeyPair(session, { bits: RSA_BITS, label: 'bench' });
  await buildCsr(employee, tokens.signer(session, key));
  await tokens.logout(session);
  return performance.now() - start;
}

function tokenTools(library: string, conf: string, dir: string, round: number): number {
  const env = { ...process.env, SOFTHSM2_CONF: conf, PKCS11_MODULE_PATH: library };
  const id = (0x1000 + round).toString(16);
  const start = performance.now();
  execFileSync('pkcs11-tool', ['--module', library, '--login', '--pin', PIN, '--keypairgen', '--key-type', `rsa:${RSA_BITS}`, '--id', id, '--label', 'bench-tools'], { env, stdio: 'ignore' });
  execFileSync('openssl', ['req', '-new', '-sha256', '-engine', 'pkcs11', '-keyform', 'engine', '-key', `pkcs11:token=BENCH;id=%${id.match(/../g)!.join('%')};type=private;pin-value=${PIN}`, '-subj', '/C=ID/CN=MAMAN', '-out', path.join(dir, 'token.csr')], { env, stdio: 'ignore' });
  return performance.now() - start;
}

/**
 * Largest event-loop delay (ms) on this thread while `work` runs: the longest
 * gap between ticks of a 1 ms timer beyond its period, the end included, so
 * work that never yields to the loop counts too.
 */
async function maxLoopDelay(work: () => Promise<unknown>): Promise<number> {
  let last = performance.now();
  let worst = 0;
  const tick = () => {
    const now = performance.now();
    worst = Math.max(worst, now - last - 1);
    last = now;
  };
  const timer = setInterval(tick, 1);
  await work();
  tick();
  clearInterval(timer);
  return Math.max(0, worst);
}

async function tokenRows(dir: string): Promise<string[][]> {
  const library = ['/usr/lib/softhsm/libsofthsm2.so', '/usr/lib/x86_64-linux-gnu/softhsm/libsofthsm2.so'].find((p) => existsSync(p));
  if (!library) return [['token key + CSR', 'SKIPPED: SoftHSM2 not installed', '', '', '']];
  const conf = createSoftHsmToken({ dir: path.join(dir, 'hsm'), label: 'BENCH', pin: PIN });
  process.env['SOFTHSM2_CONF'] = conf;
  const worker = new TokenService(new WorkerTransport(path.resolve('dist/worker/pkcs11-worker.cjs')));
  const inline = new TokenService(new InProcessTransport());
  try {
    const [token] = await worker.listTokens(library);
    const serial = token!.serial;
    await tokenOurs(worker, library, serial);
    const a: number[] = [];
    const b: number[] = [];
    for (let i = 0; i < ROUNDS; i++) {
      a.push(await tokenOurs(worker, library, serial));
      b.push(tokenTools(library, conf, dir, i));
    }
    const ratio = median(a) / median(b);
    const rounds = async (tokens: TokenService) => {
      for (let i = 0; i < 5; i++) await tokenOurs(tokens, library, serial);
    };
    const viaWorker = await maxLoopDelay(() => rounds(worker));
    const onMain = await maxLoopDelay(() => rounds(inline));
    return [
      ['token key + CSR on SoftHSM2 (median ms)', median(a).toFixed(0), median(b).toFixed(0), `ratio ${ratio.toFixed(2)} (target ≤ 1.20)`, ratio <= 1.2 ? 'OK' : 'OVER'],
      ['main-thread max event-loop delay during token keygen (ms)', viaWorker.toFixed(1), `${onMain.toFixed(1)} (same calls on the main thread)`, 'target ≤ 20 ms', viaWorker <= 20 ? 'OK' : 'OVER'],
    ];
  } finally {
    await worker.close();
    await inline.close();
  }
}

async function p12Rows(dir: string): Promise<string[][]> {
  const ca = await TestCa.openOrCreate(path.join(dir, 'ca'), new Date());
  const key = await generateSoftwareKey(RSA_BITS);
  const issued = await ca.issue({
    subject: subjectFor(employee),
    email: employee.email,
    publicKey: forgePublicKey(softwareSigner(key)),
    notBefore: new Date(),
    notAfter: new Date(Date.now() + 86_400_000),
    baseUrl: 'http://127.0.0.1:1',
  });
  const der = (pem: string) => new X509Certificate(pem).raw;
  const certificates = [der(issued.pem), der(ca.issuing.pem), der(ca.root.pem)];
  const keyFile = path.join(dir, 'p12.key');
  const certFile = path.join(dir, 'p12.crt');
  const chainFile = path.join(dir, 'p12-chain.pem');
  writeFileSync(keyFile, key.export({ type: 'pkcs8', format: 'pem' }) as string);
  writeFileSync(certFile, issued.pem);
  writeFileSync(chainFile, ca.chainPem);
  const ours = async () => {
    const start = performance.now();
    await buildPkcs12({ key, certificates, password: PASSWORD, friendlyName: 'MAMAN', profile: 'compatible' });
    return performance.now() - start;
  };
  const tools = () => {
    const start = performance.now();
    execFileSync('openssl', ['pkcs12', '-export', '-inkey', keyFile, '-in', certFile, '-certfile', chainFile, '-name', 'MAMAN', '-keypbe', 'PBE-SHA1-3DES', '-certpbe', 'PBE-SHA1-3DES', '-macalg', 'sha1', '-iter', String(P12_ITERATIONS.compatible), '-passout', `pass:${PASSWORD}`, '-out', path.join(dir, 'tools.p12')], { stdio: 'ignore' });
    return performance.now() - start;
  };
  await ours();
  const a: number[] = [];
  const b: number[] = [];
  for (let i = 0; i < ROUNDS; i++) {
    a.push(await ours());
    b.push(tools());
  }
  const ratio = median(a) / median(b);
  return [['.p12 (3DES, SHA-1 MAC, 2048 iterations) (median ms)', median(a).toFixed(1), median(b).toFixed(1), `ratio ${ratio.toFixed(2)} (target ≤ 1.50)`, ratio <= 1.5 ? 'OK' : 'OVER']];
}

async function mockRows(dir: string): Promise<string[][]> {
  const mock = await startMockServer(path.join(dir, 'mock'));
  const bare = await startBareServer();
  try {
    const adminKey = mock.lines.find((l) => l.startsWith('Admin key: '))!.slice('Admin key: '.length);
    const mint = async () => {
      const response = await fetch(`${mock.url}/admin/v1/tokens`, { method: 'POST', headers: { 'x-admin-key': adminKey }, body: JSON.stringify({ email: employee.email }) });
      return ((await response.json()) as { token: string }).token;
    };
    // One key serves every upload: the mock checks subject and signature, not key reuse.
    const csr = await buildCsr(employee, softwareSigner(await generateSoftwareKey()));
    const lookupToken = await mint();
    const uploadTokens: string[] = [];
    for (let i = 0; i < REQUESTS; i++) uploadTokens.push(await mint());
    const lookups = Array.from({ length: REQUESTS }, () => JSON.stringify({ token: lookupToken }));
    const uploads = uploadTokens.map((token) => JSON.stringify({ token, csr }));

    const lookupMock = await load(`${mock.url}/api/lock/v1/employee`, lookups);
    const lookupBare = await load(`${bare.url}/api/lock/v1/employee`, lookups);
    const uploadMock = await load(`${mock.url}/api/lock/v1/csr`, uploads);
    const uploadBare = await load(`${bare.url}/api/lock/v1/csr`, uploads);
    const rss = residentMb(mock.child.pid!);
    const fmt = (r: LoadResult) => `${r.perSecond.toFixed(0)}/s, p95 ${r.p95Ms.toFixed(1)} ms${r.failures ? `, ${r.failures} failed` : ''}`;
    return [
      [`mock AMS token look-ups, ${CLIENTS} clients × ${REQUESTS}`, fmt(lookupMock), `bare node:http ${fmt(lookupBare)}`, `${(lookupMock.perSecond / lookupBare.perSecond * 100).toFixed(0)}% of bare`, lookupMock.failures ? 'FAILED' : 'OK'],
      [`mock AMS CSR uploads (checked, stored), ${CLIENTS} clients × ${REQUESTS}`, fmt(uploadMock), `bare node:http ${fmt(uploadBare)}`, `${(uploadMock.perSecond / uploadBare.perSecond * 100).toFixed(0)}% of bare`, uploadMock.failures ? 'FAILED' : 'OK'],
      ['mock AMS resident memory after them (MB)', rss === undefined ? 'unknown on this OS' : rss.toFixed(0), '—', `${REQUESTS * 2 + REQUESTS + 1} requests served`, 'OK'],
    ];
  } finally {
    mock.child.kill('SIGTERM');
    bare.child.kill('SIGTERM');
  }
}

async function main(): Promise<void> {
  const dir = mkdtempSync(path.join(tmpdir(), 'lock-bench-'));
  let tokenResults: string[][];
  let p12Results: string[][];
  let mockResults: string[][];
  const a: number[] = [];
  const b: number[] = [];
  try {
    await ours(); // warm-up: module loading is not what we measure
    for (let i = 0; i < ROUNDS; i++) {
      // Interleaved, so drift in machine load hits both sides alike.
      a.push(await ours());
      b.push(openssl(dir));
    }
    tokenResults = await tokenRows(dir);
    p12Results = await p12Rows(dir);
    mockResults = await mockRows(dir);
  } finally {
    rmSync(dir, { recursive: true, force: true });
  }
  const ratio = median(a) / median(b);
  const gz = rendererGzipBytes();
  const rows = [
    ['software key + encrypted PKCS#8 + CSR (median ms)', median(a).toFixed(0), median(b).toFixed(0), `ratio ${ratio.toFixed(2)} (target ≤ 1.20)`, ratio <= 1.2 ? 'OK' : 'OVER'],
    ...tokenResults,
    ...p12Results,
    ...mockResults,
    ['renderer JS, gzipped (KB)', (gz / 1024).toFixed(1), '—', 'target ≤ 250 KB', gz <= 250 * 1024 ? 'OK' : 'OVER'],
  ];
  console.log(`LOCK Desktop bench — ${ROUNDS} rounds, RSA ${RSA_BITS}, PBKDF2 ${PBKDF2_ITERATIONS}`);
  console.log(['measure', 'LOCK Desktop', 'baseline (same run)', 'comparison', ''].join(' | '));
  for (const row of rows) console.log(row.join(' | '));
}

void main();
