import { spawn } from 'node:child_process';
import { readdirSync, readFileSync } from 'node:fs';
import { writeFile } from 'node:fs/promises';
import path from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { useMockAms } from '../support/mock';
import { createSoftHsm, USER_PIN } from '../support/softhsm';
import { run, tempDir, type RunResult } from '../support/tools';

const BIN = path.resolve('bin/lock-desktop.cjs');
const PASSWORD = 'Kunci#Rahasia2026';

/** The CLI with a token (or anything) written to its standard input. */
function cliWithInput(args: string[], input: string, env: NodeJS.ProcessEnv = process.env): Promise<RunResult> {
  return run(process.execPath, [BIN, ...args], { input, env });
}

describe('secrets never on argv', () => {
  const fixture = useMockAms({ autoApprove: true });
  let dir: string;
  let cleanup: () => Promise<void>;
  beforeAll(async () => ({ dir, cleanup } = await tempDir('lock-cli-secrets-')));
  afterAll(() => cleanup());

  const env = () => ({ ...process.env, LOCK_ADMIN_KEY: fixture.mock.adminKey });
  const mint = async () => {
    const minted = await run(process.execPath, [BIN, 'mock-ams', 'mint-token', '--server', fixture.mock.url, '--email', 'maman@instansi.go.id'], { env: env() });
    expect(minted.code, minted.stderr).toBe(0);
    return minted.stdout.trim();
  };

  it('refuses --token and --admin-key with one line naming the replacement', async () => {
    const token = await run(process.execPath, [BIN, 'show', '--server', fixture.mock.url, '--token', 'A'.repeat(40)]);
    expect(token.code).toBe(2);
    expect(token.stderr).toMatch(/^USAGE: --token .*use --token-file FILE, or --token-file - .* — see lock-desktop --help\n$/);
    const admin = await run(process.execPath, [BIN, 'mock-ams', 'reset', '--server', fixture.mock.url, '--admin-key', fixture.mock.adminKey]);
    expect(admin.code).toBe(2);
    expect(admin.stderr).toMatch(/^USAGE: --admin-key .*--admin-key-file FILE or the environment variable LOCK_ADMIN_KEY — see lock-desktop --help\n$/);
    const none = await run(process.execPath, [BIN, 'mock-ams', 'reset', '--server', fixture.mock.url], { env: { ...process.env, LOCK_ADMIN_KEY: '' } });
    expect(none.stderr).toMatch(/^USAGE: --admin-key-file FILE or the environment variable LOCK_ADMIN_KEY is required — see/);
  });

  it('reads the token from standard input (--token-file -) and from a BOM + CRLF file', async () => {
    const token = await mint();
    const shown = await cliWithInput(['show', '--server', fixture.mock.url, '--token-file', '-', '--json'], `${token}\r\n`);
    expect(shown.code, shown.stderr).toBe(0);
    expect(JSON.parse(shown.stdout).employee.email).toBe('maman@instansi.go.id');
    const file = path.join(dir, 'token-bom.txt');
    await writeFile(file, `\uFEFF${token}\r\n`);
    const status = await run(process.execPath, [BIN, 'status', '--server', fixture.mock.url, '--token-file', file]);
    expect(status.code, status.stderr).toBe(0);
  });

  it('refuses a secret file over 4 KB and a device without reading it whole', async () => {
    const big = path.join(dir, 'big.txt');
    await writeFile(big, 'A'.repeat(5000));
    for (const file of [big, '/dev/zero']) {
      const result = await run(process.execPath, [BIN, 'show', '--server', fixture.mock.url, '--token-file', file]);
      expect(result.code).toBe(1);
      expect(result.stderr).toMatch(/^FILE_TOO_LARGE: .*over 4096 bytes/);
      expect(result.stderr.trim().split('\n')).toHaveLength(1);
    }
  });

  it('a process polling /proc/*/cmdline during `request` never sees the token', async () => {
    if (process.platform !== 'linux') throw new Error('this test reads /proc: Linux only');
    const token = await mint();
    const passwordFile = path.join(dir, 'password.txt');
    await writeFile(passwordFile, `${PASSWORD}\n`, { mode: 0o600 });
    const report = path.join(dir, 'poller.json');
    // A second process, as a local attacker would run it: every cmdline it can read, as fast as it can.
    const poller = spawn(process.execPath, ['-e', POLLER, token, report], { stdio: ['ignore', 'ignore', 'inherit'] });
    await new Promise((resolve) => setTimeout(resolve, 200));
    const sent = await cliWithInput(['--data-dir', path.join(dir, 'app'), 'request', '--server', fixture.mock.url, '--token-file', '-', '--key-store', 'file', '--password-file', passwordFile], token);
    poller.kill('SIGTERM');
    await new Promise((resolve) => poller.once('exit', resolve));
    expect(sent.code, sent.stderr).toBe(0);
    const seen = JSON.parse(readFileSync(report, 'utf8')) as { sawRequest: boolean; sawToken: boolean; polls: number };
    expect(seen.sawRequest, 'the poller must have seen the request process to prove anything').toBe(true);
    expect(seen.sawToken).toBe(false);
    expect(readdirSync(dir)).toContain('app');
  });
});

describe('secret files as people write them, on a real SoftHSM2 token', () => {
  const fixture = useMockAms({ autoApprove: true });
  let dir: string;
  let cleanup: () => Promise<void>;
  beforeAll(async () => ({ dir, cleanup } = await tempDir('lock-cli-pin-')));
  afterAll(() => cleanup());

  it('BOM + CRLF password and PIN files work; a too-short or empty PIN never reaches the token', async () => {
    const hsm = await createSoftHsm();
    try {
      const env = { ...process.env, SOFTHSM2_CONF: hsm.conf, LOCK_ADMIN_KEY: fixture.mock.adminKey };
      const mint = async () => (await run(process.execPath, [BIN, 'mock-ams', 'mint-token', '--server', fixture.mock.url, '--email', 'maman@instansi.go.id'], { env })).stdout.trim();
      const write = async (name: string, text: string) => {
        const file = path.join(dir, name);
        await writeFile(file, text, { mode: 0o600 });
        return file;
      };
      const pkcs11 = (pinFile: string) => ['--data-dir', path.join(dir, 'token-pc'), 'request', '--server', fixture.mock.url, '--token-file', '-', '--key-store', 'pkcs11', '--module', hsm.library, '--pin-file', pinFile];
      for (const [name, text, code] of [['short.pin', '12\r\n', 'PKCS11_PIN_INVALID'], ['empty.pin', '\uFEFF\r\n', 'SECRET_FILE_EMPTY']] as const) {
        const refused = await cliWithInput(pkcs11(await write(name, text)), await mint(), env);
        expect(refused.code, name).toBe(1);
        expect(refused.stderr, name).toMatch(new RegExp(`^${code}: `));
      }
      // Refused before C_Login: the token does not count a wrong PIN.
      const listed = JSON.parse((await run(process.execPath, [BIN, 'tokens', '--module', hsm.library, '--json'], { env })).stdout) as { pinCountLow: boolean }[];
      expect(listed[0]!.pinCountLow).toBe(false);

      const onToken = await cliWithInput(pkcs11(await write('bom.pin', `\uFEFF${USER_PIN}\r\n`)), await mint(), env);
      expect(onToken.code, onToken.stderr).toBe(0);
      const password = await write('bom.password', `\uFEFF${PASSWORD}\r\n`);
      const fileKey = await cliWithInput(['--data-dir', path.join(dir, 'file-pc'), 'request', '--server', fixture.mock.url, '--token-file', '-', '--key-store', 'file', '--password-file', password], await mint(), env);
      expect(fileKey.code, fileKey.stderr).toBe(0);
      // The key was encrypted with the password as typed, without BOM or CR.
      const keys = path.join(dir, 'file-pc', 'keys');
      const keyPath = path.join(keys, readdirSync(keys).find((n) => n.endsWith('.pem'))!);
      const opened = await run('openssl', ['pkey', '-in', keyPath, '-passin', `pass:${PASSWORD}`, '-noout']);
      expect(opened.code, opened.stderr).toBe(0);
    } finally {
      await hsm.cleanup();
    }
  });
});

const POLLER = `
const fs = require('node:fs');
const [token, report] = process.argv.slice(1);
const seen = { sawRequest: false, sawToken: false, polls: 0 };
const save = () => { fs.writeFileSync(report, JSON.stringify(seen)); process.exit(0); };
process.on('SIGTERM', save);
(function poll() {
  seen.polls++;
  for (const pid of fs.readdirSync('/proc')) {
    if (!/^[0-9]+$/.test(pid) || pid === String(process.pid)) continue;
    let cmdline = '';
    try { cmdline = fs.readFileSync('/proc/' + pid + '/cmdline', 'latin1'); } catch { continue; }
    if (cmdline.includes('lock-desktop') && cmdline.includes('request')) seen.sawRequest = true;
    if (cmdline.includes(token)) seen.sawToken = true;
  }
  setImmediate(poll);
})();
`;
