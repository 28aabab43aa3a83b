import { fork, type ChildProcess } from 'node:child_process';
import path from 'node:path';
import { Agent, request as httpRequest } from 'node:http';
import { performance } from 'node:perf_hooks';
import { ADMIN_KEY_HEADER, amsPaths } from '../../src/ams-api/schemas';
import { MAMAN_EMPLOYEE } from '../../src-main/mock-ams/seed-users';
import { buildCsr } from '../../src-main/services/csr-builder';
import { generateSoftwareKey, softwareSigner } from '../../src-main/services/software-key';
import { median, type Row } from './measure';

export const SIZES = [100, 1_000, 5_000] as const;
const SAMPLES = 200;
const CLIENTS = 50;

interface MockChild {
  child: ChildProcess;
  url: string;
  adminKey: string;
}

function startMockChild(dataDir: string): Promise<MockChild> {
  const child = fork(path.resolve('dist/bench/mock-child.cjs'), [dataDir], { execArgv: ['--expose-gc'], stdio: ['ignore', 'pipe', 'inherit', 'ipc'] });
  return new Promise((resolve, reject) => {
    let text = '';
    child.stdout!.setEncoding('utf8').on('data', (chunk: string) => {
      text += chunk;
      const url = /url (\S+)/.exec(text)?.[1];
      const adminKey = /admin (\S+)/.exec(text)?.[1];
      if (url && adminKey) resolve({ child, url, adminKey });
    });
    child.once('exit', (code) => reject(new Error(`mock child exited ${code}`)));
  });
}

function memoryAfterGc(child: ChildProcess): Promise<{ rss: number; heapUsed: number }> {
  return new Promise((resolve) => {
    child.once('message', (m) => resolve(m as { rss: number; heapUsed: number }));
    child.send('memory');
  });
}

const agent = new Agent({ keepAlive: true, maxSockets: CLIENTS });

/** One POST; resolves with the status and the time it took. */
function post(url: string, body: string, headers: Record<string, string> = {}): Promise<{ status: number; ms: number; text: string }> {
  const start = performance.now();
  return new Promise((resolve, reject) => {
    const req = httpRequest(url, { method: 'POST', agent, headers: { 'content-type': 'application/json', 'content-length': Buffer.byteLength(body), ...headers } }, (res) => {
      let text = '';
      res.setEncoding('utf8').on('data', (c: string) => (text += c));
      res.on('end', () => resolve({ status: res.statusCode ?? 0, ms: performance.now() - start, text }));
    });
    req.on('error', reject);
    req.end(body);
  });
}

/**
 * The mock at N = 100, 1,000 and 5,000 stored requests (each with its CSR): one
 * client's CSR upload and its look-up of the newest token (the worst case for
 * a scan), memory after a full GC at each size, and 50 clients at the largest.
 */
export async function mockRows(dir: string): Promise<{ rows: Row[]; show: { url: string; token: string }; stop(): unknown }> {
  const mock = await startMockChild(path.join(dir, 'mock'));
  const admin = { [ADMIN_KEY_HEADER]: mock.adminKey };
  const csr = await buildCsr(MAMAN_EMPLOYEE, softwareSigner(await generateSoftwareKey()));
  const mint = async () => (JSON.parse((await post(`${mock.url}${amsPaths.adminTokens}`, JSON.stringify({ email: MAMAN_EMPLOYEE.email }), admin)).text) as { token: string }).token;
  const upload = async (token: string) => {
    const r = await post(`${mock.url}${amsPaths.csr}`, JSON.stringify({ token, csr }));
    if (r.status !== 200) throw new Error(`upload answered ${r.status}: ${r.text.slice(0, 200)}`);
    return r.ms;
  };
  const lookup = async (token: string) => {
    const r = await post(`${mock.url}${amsPaths.employee}`, JSON.stringify({ token }));
    if (r.status !== 200) throw new Error(`look-up answered ${r.status}`);
    return r.ms;
  };
  const perUpload: number[] = [];
  const perLookup: number[] = [];
  const memory: { rss: number; heapUsed: number }[] = [];
  let stored = 0;
  let newest = '';
  for (const size of SIZES) {
    // Fill to size - SAMPLES, 8 at a time, then measure SAMPLES single-client uploads up to size.
    while (stored < size - SAMPLES) {
      const batch = Math.min(8, size - SAMPLES - stored);
      await Promise.all(Array.from({ length: batch }, async () => upload(await mint())));
      stored += batch;
    }
    const uploads: number[] = [];
    for (let i = 0; i < SAMPLES; i++) {
      newest = await mint();
      uploads.push(await upload(newest));
    }
    stored += SAMPLES;
    const lookups: number[] = [];
    for (let i = 0; i < SAMPLES; i++) lookups.push(await lookup(newest));
    perUpload.push(median(uploads));
    perLookup.push(median(lookups));
    memory.push(await memoryAfterGc(mock.child));
  }

  // 50 clients at the largest size: newest-token look-ups, then the memory after them.
  const started = performance.now();
  let next = 0;
  const latencies: number[] = [];
  await Promise.all(Array.from({ length: CLIENTS }, async () => {
    while (next++ < 2_000) latencies.push(await lookup(newest));
  }));
  const perSecond = 2_000 / ((performance.now() - started) / 1000);
  const afterLoad = await memoryAfterGc(mock.child);

  const mb = (bytes: number) => bytes / 1024 / 1024;
  const rows: Row[] = [];
  SIZES.forEach((size, i) => {
    const anchor = i === 0 ? undefined : { value: perUpload[0]!, what: `the same at N = ${SIZES[0]}` };
    rows.push({ name: `mock: CSR upload (checked, stored), one client, N = ${size.toLocaleString('en')} stored, p50`, ours: perUpload[i]!, unit: 'ms', ...(anchor ? { anchor, target: { kind: 'ratio' as const, max: 1.5 } } : { target: { kind: 'max' as const, max: 20 } }) });
  });
  SIZES.forEach((size, i) => {
    const anchor = i === 0 ? undefined : { value: perLookup[0]!, what: `the same at N = ${SIZES[0]}` };
    rows.push({ name: `mock: newest-token look-up, one client, N = ${size.toLocaleString('en')}, p50`, ours: perLookup[i]!, unit: 'ms', ...(anchor ? { anchor, target: { kind: 'ratio' as const, max: 1.5 } } : { target: { kind: 'max' as const, max: 10 } }) });
  });
  SIZES.forEach((size, i) => {
    rows.push({ name: `mock: RSS after GC, N = ${size.toLocaleString('en')}`, ours: mb(memory[i]!.rss), unit: 'MB', note: `heap ${mb(memory[i]!.heapUsed).toFixed(1)} MB`, target: { kind: 'max', max: 150 } });
  });
  rows.push({
    name: `mock: RSS after GC, N = 5,000, after ${CLIENTS} clients × 2,000 look-ups (${perSecond.toFixed(0)}/s)`,
    ours: mb(afterLoad.rss),
    unit: 'MB',
    note: `heap ${mb(afterLoad.heapUsed).toFixed(1)} MB`,
    target: { kind: 'max', max: 150 },
  });
  return { rows, show: { url: mock.url, token: newest }, stop: () => mock.child.connected && mock.child.disconnect() };
}
