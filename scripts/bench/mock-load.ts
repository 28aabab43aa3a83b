import { spawn, type ChildProcess } from 'node:child_process';
import { readFileSync } from 'node:fs';
import { Agent, request as httpRequest } from 'node:http';
import path from 'node:path';
import { performance } from 'node:perf_hooks';

/**
 * The mock AMS under 50 concurrent clients on loopback, beside a bare Node
 * HTTP server in its own process answering the same requests with a fixed
 * JSON body. Bounded: a fixed number of requests per scenario.
 */
export const CLIENTS = 50;
export const REQUESTS = 1000;

const BARE_SERVER = `
const http = require('node:http');
const body = JSON.stringify({ requestId: 'x', product: 'p', status: 'awaiting_csr', employee: {} });
http.createServer((req, res) => {
  req.resume();
  req.on('end', () => { res.writeHead(200, { 'content-type': 'application/json' }); res.end(body); });
}).listen(0, '127.0.0.1', function () { console.log('listening http://127.0.0.1:' + this.address().port); });
`;

export interface LoadResult {
  perSecond: number;
  p95Ms: number;
  failures: number;
}

/** Starts a child and waits for the line that names its URL. */
export function startChild(args: string[], pattern: RegExp): Promise<{ child: ChildProcess; url: string; lines: string[] }> {
  const child = spawn(process.execPath, args, { stdio: ['ignore', 'pipe', 'inherit'] });
  const lines: string[] = [];
  return new Promise((resolve, reject) => {
    child.stdout!.setEncoding('utf8').on('data', (chunk: string) => {
      lines.push(...chunk.split('\n'));
      const match = lines.map((l) => pattern.exec(l)).find(Boolean);
      if (match && lines.some((l) => l.startsWith('Admin key: ') || pattern.source.startsWith('listening'))) resolve({ child, url: match[1]!, lines });
    });
    child.once('exit', (code) => reject(new Error(`child exited ${code}`)));
  });
}

export function startBareServer() {
  return startChild(['-e', BARE_SERVER], /listening (http:\/\/\S+)/);
}

export function startMockServer(dataDir: string) {
  return startChild([path.resolve('bin/lock-desktop.cjs'), 'mock-ams', 'serve', '--data-dir', dataDir], /AMS mock listening on (http:\/\/\S+)/);
}

/** Sends `bodies.length` POSTs to `url` from CLIENTS concurrent clients; throughput and p95 latency. */
export async function load(url: string, bodies: string[]): Promise<LoadResult> {
  const agent = new Agent({ keepAlive: true, maxSockets: CLIENTS });
  const latencies: number[] = [];
  let failures = 0;
  let next = 0;
  const one = (body: string) =>
    new Promise<void>((resolve) => {
      const start = performance.now();
      const req = httpRequest(url, { method: 'POST', agent, headers: { 'content-type': 'application/json', 'content-length': Buffer.byteLength(body) } }, (res) => {
        res.resume();
        res.on('end', () => {
          latencies.push(performance.now() - start);
          if ((res.statusCode ?? 500) >= 300) failures++;
          resolve();
        });
      });
      req.on('error', () => {
        failures++;
        resolve();
      });
      req.end(body);
    });
  const started = performance.now();
  await Promise.all(
    Array.from({ length: CLIENTS }, async () => {
      while (next < bodies.length) await one(bodies[next++]!);
    }),
  );
  const seconds = (performance.now() - started) / 1000;
  agent.destroy();
  latencies.sort((a, b) => a - b);
  return { perSecond: bodies.length / seconds, p95Ms: latencies[Math.floor(latencies.length * 0.95)] ?? 0, failures };
}

/** Resident memory of a process in MB (Linux /proc; elsewhere unknown). */
export function residentMb(pid: number): number | undefined {
  try {
    const kb = /VmRSS:\s+(\d+)/.exec(readFileSync(`/proc/${pid}/status`, 'utf8'))?.[1];
    return kb ? Number(kb) / 1024 : undefined;
  } catch {
    return undefined;
  }
}
