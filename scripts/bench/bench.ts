/**
 * `npm run bench`: LOCK Desktop's own work beside a baseline, in the same run.
 *  1. software key: RSA 2048 + encrypted PKCS#8 (PBKDF2-SHA256 600k, AES-256-CBC)
 *     + CSR, against the equivalent openssl commands (target ratio ≤ 1.2);
 *  2. the built renderer's gzipped JavaScript (target ≤ 250 KB).
 */
import { execFileSync } from 'node:child_process';
import { mkdtempSync, readdirSync, readFileSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import path from 'node:path';
import { performance } from 'node:perf_hooks';
import { gzipSync } from 'node:zlib';
import { buildCsr } from '../../src-main/services/csr-builder';
import { encryptPrivateKey, generateSoftwareKey, PBKDF2_ITERATIONS, RSA_BITS, softwareSigner } from '../../src-main/services/software-key';
import type { Employee } from '../../src/domain/employee';

const ROUNDS = Number(process.env['BENCH_ROUNDS'] ?? 12);
const PASSWORD = 'Kunci#Rahasia2026';
const employee: Employee = {
  name: 'MAMAN',
  unit: 'BIDANG OPERASIONAL',
  organization: 'NAMA INSTANSI',
  email: 'maman@instansi.go.id',
  locality: 'Jakarta Pusat',
  province: 'DKI Jakarta',
  country: 'ID',
};

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

async function main(): Promise<void> {
  const dir = mkdtempSync(path.join(tmpdir(), 'lock-bench-'));
  const a: number[] = [];
  const b: number[] = [];
  try {
    await ours(); // warm-up: module loading is not what we measure
    for (let i = 0; i < ROUNDS; i++) {
      // Interleaved, so drift in machine load hits both sides alike.
      a.push(await ours());
      b.push(openssl(dir));
    }
  } finally {
    rmSync(dir, { recursive: true, force: true });
  }
  const ratio = median(a) / median(b);
  const gz = rendererGzipBytes();
  const rows = [
    ['software key + encrypted PKCS#8 + CSR (median ms)', median(a).toFixed(0), median(b).toFixed(0), `ratio ${ratio.toFixed(2)} (target ≤ 1.20)`, ratio <= 1.2 ? 'OK' : 'OVER'],
    ['renderer JS, gzipped (KB)', (gz / 1024).toFixed(1), '—', 'target ≤ 250 KB', gz <= 250 * 1024 ? 'OK' : 'OVER'],
  ];
  console.log(`LOCK Desktop bench — ${ROUNDS} rounds, RSA ${RSA_BITS}, PBKDF2 ${PBKDF2_ITERATIONS}`);
  console.log(['measure', 'LOCK Desktop', 'openssl', 'comparison', ''].join(' | '));
  for (const row of rows) console.log(row.join(' | '));
}

void main();
