import { spawn, type ChildProcess } from 'node:child_process';
import { copyFileSync, existsSync, mkdirSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { readdir, readFile, writeFile } from 'node:fs/promises';
import { createServer, type AddressInfo } from 'node:net';
import { tmpdir } from 'node:os';
import path from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { COMMAND_MODULES } from '../../src-main/cli/route';
import { createSoftHsm, USER_PIN } from '../support/softhsm';
import { run, tempDir } from '../support/tools';

/** The built CLI, as `npx lock-desktop` runs it after `npm run build`. */
const BIN = path.resolve('bin/lock-desktop.cjs');
const cli = (args: string[]) => run(process.execPath, [BIN, ...args]);

/**
 * One CLI run with V8's coverage on, and which bundled modules' code ran: the
 * built CLI wraps each module in a function esbuild names after its source file
 * (src/…, src-main/…, node_modules/…), so a module whose wrapper never ran was
 * never loaded. Also the built files the run read.
 */
async function cliRan(args: string[], env: NodeJS.ProcessEnv = process.env) {
  const { dir: coverage, cleanup } = await tempDir('lock-cli-coverage-');
  try {
    const result = await run(process.execPath, [BIN, ...args], { env: { ...env, NODE_V8_COVERAGE: coverage } });
    const ran = new Set<string>();
    const files = new Set<string>();
    let wrappers = 0;
    for (const file of await readdir(coverage)) {
      const { result: scripts } = JSON.parse(await readFile(path.join(coverage, file), 'utf8')) as { result: { url: string; functions: { functionName: string; ranges: { count: number }[] }[] }[] };
      for (const script of scripts.filter((s) => s.url.includes('/dist/cli/'))) {
        files.add(path.basename(script.url));
        // (A path under a symlinked node_modules is named from the build's folder: ../../x/node_modules/…)
        for (const fn of script.functions.filter((f) => /(^|\/)(src|src-main|node_modules)\//.test(f.functionName))) {
          wrappers++;
          if (fn.ranges[0]!.count > 0) ran.add(fn.functionName);
        }
      }
    }
    return { ...result, ran: [...ran], files: [...files].sort(), wrappers };
  } finally {
    await cleanup();
  }
}
const CSR_BUILDING = /node_modules\/node-forge\/lib\/(x509|pki|tls|index)\.js/;

describe('lock-desktop CLI against `lock-desktop mock-ams serve`', () => {
  let serve: ChildProcess;
  let url: string;
  let adminKey: string;
  let dir: string;
  let cleanup: () => Promise<void>;
  let adminKeyFile: string;
  let wrongKeyFile: string;
  let files = 0;
  /** The token in a file of its own: secrets never go on argv. */
  const tf = (token: string): string[] => {
    const file = path.join(dir, `token-${++files}.txt`);
    writeFileSync(file, `${token}\n`, { mode: 0o600 });
    return ['--token-file', file];
  };

  beforeAll(async () => {
    expect(existsSync('dist/cli/cli.cjs'), 'run `npm run build` first').toBe(true);
    ({ dir, cleanup } = await tempDir('lock-cli-'));
    serve = spawn(process.execPath, [BIN, 'mock-ams', 'serve', '--data-dir', path.join(dir, 'mock'), '--auto-approve'], { stdio: ['ignore', 'pipe', 'inherit'] });
    const lines: string[] = [];
    await new Promise<void>((resolve, reject) => {
      serve.stdout!.setEncoding('utf8').on('data', (chunk: string) => {
        lines.push(...chunk.split('\n'));
        if (lines.some((l) => l.startsWith('Admin key: '))) resolve();
      });
      serve.once('exit', () => reject(new Error(`serve exited: ${lines.join('\n')}`)));
    });
    url = /^AMS mock listening on (http:\/\/\S+)$/.exec(lines.find((l) => l.startsWith('AMS mock listening on http://'))!)![1]!;
    adminKey = lines.find((l) => l.startsWith('Admin key: '))!.slice('Admin key: '.length);
    adminKeyFile = path.join(dir, 'admin-key.txt');
    writeFileSync(adminKeyFile, `${adminKey}\n`, { mode: 0o600 });
    wrongKeyFile = path.join(dir, 'wrong-key.txt');
    writeFileSync(wrongKeyFile, 'wrong\n');
  });

  afterAll(async () => {
    serve.kill('SIGTERM');
    await new Promise((resolve) => serve.once('exit', resolve));
    await cleanup();
  });

  it('mint-token → show → request → status, with the exit statuses and lines promised', async () => {
    const minted = await cli(['mock-ams', 'mint-token', '--server', url, '--admin-key-file', adminKeyFile, '--email', 'maman@instansi.go.id']);
    expect(minted.code).toBe(0);
    const token = minted.stdout.trim();
    expect(token).toMatch(/^[0-9A-F]{40}$/);

    // The preload reports, at exit, which costly Node modules were ever loaded. The build keeps Node's fetch
    // (undici) out, and https, http2 and tls load on first use (scripts/build.mjs): a look-up over http:// needs neither,
    // and axios's redirect and proxy modules (with node:assert and node:tty) are not loaded when unused.
    const probe = path.join(dir, 'module-probe.cjs');
    writeFileSync(probe, "process.on('exit', () => process.stderr.write(`loaded: ${JSON.stringify(['undici', 'NativeModule tls', 'NativeModule https', 'NativeModule http2', 'NativeModule assert', 'NativeModule tty'].filter((name) => process.moduleLoadList.some((m) => m.includes(name))))}\\n`));");
    const show = await run(process.execPath, ['--require', probe, BIN, 'show', '--server', url, ...tf(token)]);
    expect(show.code).toBe(0);
    expect(show.stderr).toContain('loaded: []');
    expect(show.stdout).toContain('INFORMASI DATA PEGAWAI');
    expect(show.stdout).toMatch(/Nama\s+: MAMAN/);
    const json = JSON.parse((await cli(['show', '--server', url, ...tf(token), '--json'])).stdout);
    expect(json.employee.email).toBe('maman@instansi.go.id');

    const passwordFile = path.join(dir, 'password.txt');
    await writeFile(passwordFile, 'Kunci#Rahasia2026\n', { mode: 0o600 });
    const dataDir = path.join(dir, 'app');
    const sent = await cli(['--data-dir', dataDir, 'request', '--server', url, ...tf(token), '--key-store', 'file', '--password-file', passwordFile]);
    expect(sent.code, sent.stderr).toBe(0);
    expect(sent.stdout).toMatch(/^CSR terkirim: permintaan \S+, status issued\.$/m);
    expect(sent.stdout + sent.stderr).not.toContain('Kunci#Rahasia2026');

    const status = JSON.parse((await cli(['--data-dir', dataDir, 'status', '--server', url, ...tf(token), '--json'])).stdout);
    expect(status).toMatchObject({ status: 'issued', certificate: { serialNumber: expect.stringMatching(/^[0-9A-F]+$/) } });

    const again = await cli(['--data-dir', path.join(dir, 'other-pc'), 'request', '--server', url, ...tf(token), '--key-store', 'file', '--password-file', passwordFile]);
    expect(again.code).toBe(1);
    expect(again.stderr).toMatch(/^TOKEN_ALREADY_USED: CSR untuk token ini sudah pernah dikirim\..* \/ A CSR has already been sent/);
    expect(again.stderr.trim().split('\n')).toHaveLength(1);
  });

  it('download writes .pem and .p12; bundle-p12 builds a .p12 and refuses to overwrite', async () => {
    const minted = await cli(['mock-ams', 'mint-token', '--server', url, '--admin-key-file', adminKeyFile, '--email', 'maman@instansi.go.id']);
    const token = minted.stdout.trim();
    const dataDir = path.join(dir, 'dl-pc');
    const passwordFile = path.join(dir, 'dl-password.txt');
    await writeFile(passwordFile, 'Kunci#Rahasia2026\n', { mode: 0o600 });
    expect((await cli(['--data-dir', dataDir, 'request', '--server', url, ...tf(token), '--key-store', 'file', '--password-file', passwordFile])).code).toBe(0);

    const out = path.join(dir, 'certs');
    const downloaded = await cli(['--data-dir', dataDir, 'download', '--server', url, ...tf(token), '--out', out, '--password-file', passwordFile, '--json']);
    expect(downloaded.code, downloaded.stderr).toBe(0);
    const { files, realUse } = JSON.parse(downloaded.stdout) as { files: { pem: string; p12: string }; realUse: unknown };
    expect(realUse).toEqual({ chain: 'verified', revocation: 'good', via: 'ocsp' });
    // The same result in words, each language whole (downloading again replaces the same files).
    for (const [lang, line] of [
      ['id', 'Uji pemakaian: rantai sampai CA root terverifikasi; status pencabutan dari CA (ocsp): baik (tidak dicabut).'],
      ['en', 'Real-use check: chain to the root CA verified; revocation status from the CA (ocsp): good (not revoked).'],
    ]) {
      const again = await cli(['--data-dir', dataDir, '--lang', lang!, 'download', '--server', url, ...tf(token), '--out', out, '--password-file', passwordFile]);
      expect(again.code, again.stderr).toBe(0);
      expect(again.stdout).toContain(line);
    }
    expect((await run('openssl', ['pkcs12', '-info', '-noout', '-in', files.p12, '-passin', 'pass:Kunci#Rahasia2026'])).code).toBe(0);

    const keyFile = path.join(dir, 'exported.key');
    const keyPath = path.join(dataDir, 'keys', (await readdir(path.join(dataDir, 'keys'))).find((n) => n.endsWith('.pem'))!);
    await run('openssl', ['pkey', '-in', keyPath, '-passin', 'pass:Kunci#Rahasia2026', '-out', keyFile]);
    const p12 = path.join(dir, 'bundle.p12');
    const bundle = ['bundle-p12', '--cert', files.pem, '--key', keyFile, '--out', p12, '--password-file', passwordFile, '--modern'];
    const made = await cli(bundle);
    expect(made.code, made.stderr).toBe(0);
    expect(made.stdout.trim()).toBe(p12);
    expect((await run('openssl', ['pkcs12', '-info', '-noout', '-in', p12, '-passin', 'pass:Kunci#Rahasia2026'])).stderr).toContain('MAC: sha256');
    expect(made.stderr).not.toContain('WARNING');
    const again = await cli(bundle);
    expect(again.code).toBe(1);
    expect(again.stderr).toMatch(/^FILE_EXISTS: /);

    // The leaf alone in the certificate file: the chain comes from the ledger of the PC that downloaded it, or from
    // AMS with --server. The built CLI loads each from a file of its own (dist/cli/parts), with its own copy of
    // AppError: an error raised there is still told by its code, not as INTERNAL.
    const leafOnly = path.join(dir, 'leaf-only.pem');
    await writeFile(leafOnly, /-----BEGIN CERTIFICATE-----[^-]+-----END CERTIFICATE-----\n/.exec(await readFile(files.pem, 'utf8'))![0]);
    const certificatesIn = async (file: string) => (await run('openssl', ['pkcs12', '-in', file, '-nokeys', '-passin', 'pass:Kunci#Rahasia2026'])).stdout.split('BEGIN CERTIFICATE').length - 1;
    for (const [where, args, count] of [
      ['ledger', ['--data-dir', dataDir], 3],
      ['AMS', ['--data-dir', path.join(dir, 'no-pc'), '--server', url], 3],
      ['neither', ['--data-dir', path.join(dir, 'no-pc-2')], 1],
    ] as const) {
      const leafP12 = path.join(dir, `leaf-${where}.p12`);
      const result = await cli([...args, 'bundle-p12', '--cert', leafOnly, '--key', keyFile, '--out', leafP12, '--password-file', passwordFile]);
      expect(result.code, result.stderr).toBe(0);
      expect(await certificatesIn(leafP12), where).toBe(count);
    }
    const notAFolder = await cli(['--data-dir', passwordFile, 'bundle-p12', '--cert', leafOnly, '--key', keyFile, '--out', path.join(dir, 'never.p12'), '--password-file', passwordFile]);
    expect([notAFolder.code, notAFolder.stderr]).toEqual([1, expect.stringMatching(/^FILE_WRITE_FAILED: .*ENOTDIR/)]);

    // A passphrase Java cannot open: made, with a warning in both languages naming keytool.
    const accented = path.join(dir, 'accented.txt');
    await writeFile(accented, 'Kunci#Rahasia2026é\n', { mode: 0o600 });
    const javaUnfriendly = await cli(['bundle-p12', '--cert', files.pem, '--key', keyFile, '--out', path.join(dir, 'accented.p12'), '--password-file', accented]);
    expect(javaUnfriendly.code, javaUnfriendly.stderr).toBe(0);
    expect(javaUnfriendly.stderr).toMatch(/^PERINGATAN: .*keytool/m);
    expect(javaUnfriendly.stderr).toMatch(/^WARNING: .*keytool, jarsigner/m);
  });

  it('tokens and request --key-store pkcs11 on a SoftHSM2 token', async () => {
    const hsm = await createSoftHsm();
    try {
      const env = { ...process.env, SOFTHSM2_CONF: hsm.conf };
      const listed = await run(process.execPath, [BIN, 'tokens', '--module', hsm.library, '--json'], { env });
      expect(listed.code, listed.stderr).toBe(0);
      expect(JSON.parse(listed.stdout)).toEqual([expect.objectContaining({ label: 'ST3', manufacturer: 'SoftHSM project', library: hsm.library })]);

      const minted = await cli(['mock-ams', 'mint-token', '--server', url, '--admin-key-file', adminKeyFile, '--email', 'maman@instansi.go.id']);
      const pinFile = path.join(dir, 'pin.txt');
      await writeFile(pinFile, `${USER_PIN}\n`, { mode: 0o600 });
      const args = ['--data-dir', path.join(dir, 'token-pc'), 'request', '--server', url, ...tf(minted.stdout.trim()), '--key-store', 'pkcs11', '--module', hsm.library];
      const wrongLabel = await run(process.execPath, [BIN, ...args, '--token-label', 'NOPE', '--pin-file', pinFile], { env });
      // A typo, not a token pulled out: the labels present are named.
      expect(wrongLabel.code).toBe(2);
      expect(wrongLabel.stderr).toMatch(/^USAGE: no token labelled "NOPE": choose one with --token-label \(ST3\)/);
      const sent = await run(process.execPath, [BIN, ...args, '--token-label', 'ST3', '--pin-file', pinFile], { env });
      expect(sent.code, sent.stderr).toBe(0);
      expect(sent.stdout).toMatch(/status issued/);
    } finally {
      await hsm.cleanup();
    }
  });

  it('each command runs only what it needs: the dispatcher and its own command, no CSR building outside request, no axios or ledger for bundle-p12', async () => {
    const expectRan = (result: Awaited<ReturnType<typeof cliRan>>, command: string) => {
      expect(result.code, `${command}: ${result.stderr}`).toBe(0);
      expect(result.files, command).toEqual([`${command}.cjs`, 'route.cjs'].sort());
      expect(result.ran, command).toContain(`src-main/cli/commands/${command}.ts`);
      // Nothing builds every channel's schema at start-up.
      expect(result.ran, command).not.toContain('src/contract/api.ts');
      return result.ran.join('\n');
    };
    const token = (await cli(['mock-ams', 'mint-token', '--server', url, '--admin-key-file', adminKeyFile, '--email', 'maman@instansi.go.id'])).stdout.trim();
    const show = expectRan(await cliRan(['show', '--server', url, ...tf(token)]), 'show');
    expect(show).not.toContain('node_modules/node-forge');
    expect(show).toContain('node_modules/axios');

    const dataDir = path.join(dir, 'ran-pc');
    const passwordFile = path.join(dir, 'ran-password.txt');
    await writeFile(passwordFile, 'Kunci#Rahasia2026\n', { mode: 0o600 });
    // The control: request builds a CSR, and the probe sees it.
    const request = expectRan(await cliRan(['--data-dir', dataDir, 'request', '--server', url, ...tf(token), '--key-store', 'file', '--password-file', passwordFile]), 'request');
    expect(request).toMatch(CSR_BUILDING);
    expect(expectRan(await cliRan(['--data-dir', dataDir, 'status', '--server', url, ...tf(token)]), 'status')).not.toMatch(CSR_BUILDING);
    const out = path.join(dir, 'ran-certs');
    const download = expectRan(await cliRan(['--data-dir', dataDir, 'download', '--server', url, ...tf(token), '--out', out, '--password-file', passwordFile, '--json']), 'download');
    expect(download).not.toMatch(CSR_BUILDING);

    // bundle-p12 with the whole chain in the certificate file and no --server: no ledger, no SQLite, no axios.
    const p12 = (await readdir(out)).find((n) => n.endsWith('.p12'))!;
    const chainFile = path.join(dir, 'ran-chain.pem');
    await writeFile(chainFile, (await run('openssl', ['pkcs12', '-in', path.join(out, p12), '-nokeys', '-passin', 'pass:Kunci#Rahasia2026'])).stdout);
    const keyFile = path.join(dir, 'ran.key');
    const keyPath = path.join(dataDir, 'keys', (await readdir(path.join(dataDir, 'keys'))).find((n) => n.endsWith('.pem'))!);
    await run('openssl', ['pkey', '-in', keyPath, '-passin', 'pass:Kunci#Rahasia2026', '-out', keyFile]);
    const bundled = await cliRan(['bundle-p12', '--cert', chainFile, '--key', keyFile, '--out', path.join(dir, 'ran.p12'), '--password-file', passwordFile]);
    const bundle = expectRan(bundled, 'bundle-p12');
    for (const heavy of ['node_modules/axios', 'node_modules/zod', 'src-main/storage/ledger-store.ts', 'src-main/storage/sqlite-db.ts', 'src-main/services/ams-client.ts']) expect(bundle, heavy).not.toContain(heavy);
    expect(bundle).not.toMatch(CSR_BUILDING);
    // Nor does its file hold them: they are parts of their own, loaded for a chain the certificate file lacks (above).
    for (const heavy of ['// src-main/storage/ledger-store.ts', '// node_modules/axios/', '// node_modules/zod/']) expect(readFileSync('dist/cli/bundle-p12.cjs', 'utf8')).not.toContain(heavy);
    expect(readFileSync('dist/cli/parts/request-ledger.cjs', 'utf8')).toContain('// src-main/storage/ledger-store.ts');
    expect(readFileSync('dist/cli/parts/ams-client.cjs', 'utf8')).toContain('// node_modules/axios/');
    expect(bundled.wrappers).toBeGreaterThan(20);
  });

  it('errors are one line, starting with the code', async () => {
    // A port nothing listens on (fetch refuses some ports, 9 among them, before connecting).
    const closed = createServer();
    await new Promise<void>((resolve) => closed.listen(0, '127.0.0.1', resolve));
    const closedUrl = `http://127.0.0.1:${(closed.address() as AddressInfo).port}`;
    await new Promise((resolve) => closed.close(resolve));
    const cases: [string[], RegExp][] = [
      [['show', '--server', url, ...tf('nope!')], /^TOKEN_MALFORMED: /],
      [['show', '--server', url, ...tf('A'.repeat(40))], /^TOKEN_UNKNOWN: /],
      [['status', '--server', 'http://127.0.0.1:9', ...tf('A'.repeat(40))], /^SERVER_UNREACHABLE: /],
      // The QA commands name the system's reason and the server, not fetch's bare "fetch failed".
      [['mock-ams', 'requests', '--server', closedUrl, '--admin-key-file', adminKeyFile], new RegExp(`^SERVER_UNREACHABLE: .*\\(ECONNREFUSED: ${closedUrl}\\)`)],
      [['mock-ams', 'requests', '--server', 'http://no-such-host.invalid:8080', '--admin-key-file', adminKeyFile], /^SERVER_UNREACHABLE: .*\(ENOTFOUND: http:\/\/no-such-host\.invalid:8080\)/],
      [['mock-ams', 'mint-token', '--server', url, '--admin-key-file', wrongKeyFile, '--email', 'maman@instansi.go.id'], /^ADMIN_KEY_INVALID: /],
      [['mock-ams', 'mint-token', '--server', url, '--admin-key-file', adminKeyFile, '--email', 'nobody@instansi.go.id'], /^USER_UNKNOWN: /],
      [['show', ...tf('A'.repeat(40))], /^USAGE: --server is required — see lock-desktop --help\n$/],
      // `mock-ams serve` where it cannot run: said as such, not as an error inside the app.
      [['mock-ams', 'serve', '--port', new URL(url).port, '--data-dir', path.join(dir, 'mock-2')], new RegExp(`^MOCK_LISTEN_FAILED: .+ / The mock AMS cannot run at this address: .*\\(EADDRINUSE: 127\\.0\\.0\\.1:${new URL(url).port}\\)`)],
      [['mock-ams', 'serve', '--host', 'no-such-host.invalid', '--data-dir', path.join(dir, 'mock-2')], /^MOCK_LISTEN_FAILED: .*\((ENOTFOUND|EAI_AGAIN): no-such-host\.invalid:0\)/],
      [['mock-ams', 'serve', '--data-dir', adminKeyFile], new RegExp(`^FILE_WRITE_FAILED: .*\\((EEXIST|ENOTDIR): ${adminKeyFile.replace(/[.*+?^${}()|[\]\\]/g, '\\$&')}\\)`)],
    ];
    for (const [args, want] of cases) {
      const result = await cli(args);
      expect(result.code, args.join(' ')).not.toBe(0);
      expect(result.stderr.trim().split('\n'), args.join(' ')).toHaveLength(1);
      expect(result.stderr, args.join(' ')).toMatch(want);
    }
  });

  it('QA commands drive the mock through its admin API', async () => {
    const adminArgs = ['--server', url, '--admin-key-file', adminKeyFile];
    const ok = async (args: string[]) => {
      const result = await cli(['mock-ams', ...args, ...adminArgs]);
      expect(result.code, `${args.join(' ')}: ${result.stderr}`).toBe(0);
      return JSON.parse(result.stdout) as Record<string, unknown>;
    };
    expect(await ok(['settings', '--no-auto-approve'])).toMatchObject({ autoApprove: false });
    const token = (await cli(['mock-ams', 'mint-token', ...adminArgs, '--email', 'maman@instansi.go.id'])).stdout.trim();
    const passwordFile = path.join(dir, 'qa-password.txt');
    await writeFile(passwordFile, 'Kunci#Rahasia2026\n');
    await cli(['--data-dir', path.join(dir, 'qa-pc'), 'request', '--server', url, ...tf(token), '--key-store', 'file', '--password-file', passwordFile]);
    const { requests } = (await ok(['requests'])) as { requests: { requestId: string; status: string }[] };
    const waiting = requests.find((r) => r.status === 'csr_uploaded')!;
    expect(await ok(['approve', '--request', waiting.requestId, '--note', 'OK'])).toMatchObject({ status: 'issued' });
    const serial = ((await ok(['requests'])) as { requests: { requestId: string; certificate?: { serialNumber: string } }[] }).requests.find((r) => r.requestId === waiting.requestId)!.certificate!.serialNumber;
    expect(await ok(['clock', '--days', '340'])).toMatchObject({ offsetMs: 340 * 86_400_000 });
    expect(await ok(['revoke', '--serial', serial, '--reason', 'keyCompromise'])).toMatchObject({ status: 'Revoke' });
    expect(await ok(['faults', '--latency-ms', '0', '--server-errors', '0'])).toMatchObject({ latencyMs: 0 });
    const userFile = path.join(dir, 'user.json');
    await writeFile(userFile, JSON.stringify({ email: 'rina@instansi.go.id', name: 'RINA', nik: '3171010101900004', nip: '199001012015032003', position: 'STAF', unit: 'UMUM', organization: 'NAMA INSTANSI', locality: 'Jakarta', province: 'DKI Jakarta' }));
    expect(await ok(['create-user', '--user-file', userFile])).toMatchObject({ email: 'rina@instansi.go.id' });
    const badUser = await cli(['mock-ams', 'create-user', ...adminArgs, '--user-file', path.join(dir, 'password.txt')]);
    expect(badUser.code).not.toBe(0);
    expect(badUser.stderr).toMatch(/^INPUT_INVALID: .*is not JSON/);
    expect(await ok(['reset'])).toMatchObject({ reset: true });
    await ok(['clock', '--days', '0']);
    await ok(['settings', '--auto-approve']);
  });
});

describe('lock-desktop start-up', () => {
  it('--help and parse errors load only the dispatcher: no command, no services, no axios, no node-forge', async () => {
    for (const args of [['--help'], ['--bogus'], ['frobnicate'], []]) {
      const result = await cliRan(args);
      expect(result.files, args.join(' ')).toEqual(['cli.cjs', 'route.cjs']);
    }
    // cli.cjs is the dispatcher with every command left out.
    const dispatcher = readFileSync('dist/cli/cli.cjs', 'utf8');
    expect(dispatcher).toContain('USAGE:');
    // What main.ts imports runs in every command without a wrapper of its own: the probe above cannot see it, this can.
    for (const heavy of ['node_modules/axios', 'node_modules/node-forge', 'node_modules/zod', 'src/contract/api.ts', 'src-main/services/ams-client', 'src-main/services/request-service', 'src-main/mock-ams/', 'src-main/cli/commands/']) {
      expect(dispatcher, heavy).not.toContain(heavy);
    }
    // tokens never talks to AMS: no HTTP library in its file at all.
    expect(readFileSync('dist/cli/tokens.cjs', 'utf8')).not.toContain('node_modules/axios');
  });

  it('each command reaches its own code from the built CLI (a command file that lost its command would say INTERNAL)', async () => {
    const { dir, cleanup } = await tempDir('lock-cli-each-');
    try {
      // `mock-ams serve` runs for as long as it is let: it is the server of the suite above.
      for (const command of Object.keys(COMMAND_MODULES).filter((c) => c !== 'mock-ams serve')) {
        const result = await run(process.execPath, [BIN, ...command.split(' '), '--data-dir', path.join(dir, 'data')], { env: { ...process.env, SOFTHSM2_CONF: path.join(dir, 'none.conf') } });
        expect(result.stderr, command).not.toMatch(/INTERNAL/);
        expect(result.stderr, command).toMatch(/^(USAGE|[A-Z0-9_]+): /);
      }
    } finally {
      await cleanup();
    }
  });

  it('before `npm run build`: one line saying to build, exit 1', async () => {
    const { dir, cleanup } = await tempDir('lock-not-built-');
    try {
      mkdirSync(path.join(dir, 'bin'));
      for (const file of ['lock-desktop.cjs', 'cli-start.cjs']) copyFileSync(path.resolve('bin', file), path.join(dir, 'bin', file));
      const result = await run(process.execPath, [path.join(dir, 'bin', 'lock-desktop.cjs'), '--help']);
      expect(result.code).toBe(1);
      expect(result.stdout).toBe('');
      expect(result.stderr).toBe('NOT_BUILT: CLI belum dibangun; jalankan `npm run build` sekali di folder proyek. / The CLI is not built yet; run `npm run build` once in the project folder.\n');
      // A build cut short: the router is there, the command's file is not.
      mkdirSync(path.join(dir, 'dist', 'cli'), { recursive: true });
      copyFileSync(path.resolve('dist/cli/route.cjs'), path.join(dir, 'dist', 'cli', 'route.cjs'));
      const partial = await run(process.execPath, [path.join(dir, 'bin', 'lock-desktop.cjs'), 'show', '--server', 'http://127.0.0.1:9']);
      expect(partial.code).toBe(1);
      expect(partial.stderr).toMatch(/^NOT_BUILT: [^\n]+\n$/);
    } finally {
      await cleanup();
    }
  });

  it('a reader that has gone (`| head -1`): the output ends quietly, no EPIPE stack trace, the status unchanged', async () => {
    // The reader closes its end before the CLI writes: every write meets EPIPE.
    const script = `"${process.execPath}" "${BIN}" --help 2>"$ERR" | (exec 0<&-; sleep 0.5); echo "\${PIPESTATUS[0]}"`;
    const errFile = path.join(tmpdir(), `lock-epipe-${process.pid}.txt`);
    try {
      const result = await run('bash', ['-c', script], { env: { ...process.env, ERR: errFile } });
      expect(result.stdout.trim()).toBe('0');
      expect(readFileSync(errFile, 'utf8')).toBe('');
    } finally {
      rmSync(errFile, { force: true });
    }
  });

  it('parse errors are one USAGE line, not the usage text', async () => {
    for (const args of [['--bogus'], ['show', '--server'], [], ['frobnicate'], ['request', '--key-store', 'floppy', '--server', 'http://127.0.0.1:9']]) {
      const result = await cli(args);
      expect(result.code, args.join(' ')).toBe(2);
      expect(result.stderr, args.join(' ')).toMatch(/^USAGE: .+ — see lock-desktop --help\n$/);
    }
    // A flag's value forgotten, or a value that starts with '-': what to type, not "argument is ambiguous".
    const dashed = await cli(['mock-ams', 'faults', '--server', 'http://127.0.0.1:9', '--latency-ms', '-5']);
    expect(dashed.stderr).toBe('USAGE: --latency-ms needs a value; a value that starts with "-" is written --latency-ms=VALUE — see lock-desktop --help\n');
    // An unknown language is refused, not read as Indonesian.
    const lang = await cli(['--lang', 'xx', 'show', '--server', 'http://127.0.0.1:9']);
    expect([lang.code, lang.stderr]).toEqual([2, 'USAGE: --lang is id or en — see lock-desktop --help\n']);
    const help = await cli(['--help']);
    expect(help.code).toBe(0);
    expect(help.stdout).toContain('--token-file FILE');
  });
});
