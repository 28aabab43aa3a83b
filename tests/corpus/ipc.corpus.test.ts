import { randomUUID } from 'node:crypto';
import { mkdir } from 'node:fs/promises';
import path from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { AppError, isErrorCode, type ErrorCode } from '../../src/contract/errors';
import { composeApp, type ComposedApp } from '../../src-main/compose';
import { InProcessTransport, TokenService } from '../../src-main/services/pkcs11/token-service';
import { TokenVault } from '../../src-main/services/token-vault';
import { startTestHost, type TestHost } from '../../src-main/test-host/server';
import { memoryKeychain } from '../support/flow';
import { tempDir } from '../support/tools';
import { expectCode, snapshot } from './support';

/** IPC inputs as a compromised or buggy renderer could send them, through the browser test host's bridge. */
type Case = [string, string, unknown, ErrorCode];
const TOKEN = '0123456789ABCDEF0123456789ABCDEF01234567';
const cases: Case[] = [
  ['unknown channel', 'fs.writeFile', { path: '/etc/passwd' }, 'INPUT_INVALID'],
  ['channel named __proto__', '__proto__', {}, 'INPUT_INVALID'],
  ['token as a number', 'request.lookup', { token: 42 }, 'INPUT_INVALID'],
  ['token of 5000 characters', 'request.lookup', { token: 'A'.repeat(5000) }, 'INPUT_INVALID'],
  ['extra keys', 'request.lookup', { token: TOKEN, admin: true }, 'INPUT_INVALID'],
  ['__proto__ key', 'request.lookup', JSON.parse(`{"token":"${TOKEN}","__proto__":{"polluted":1}}`), 'INPUT_INVALID'],
  ['malformed token', 'request.lookup', { token: '<script>alert(1)</script>' }, 'TOKEN_MALFORMED'],
  ['unknown token', 'request.lookup', { token: TOKEN }, 'TOKEN_UNKNOWN'],
  ['password of 2000 characters', 'request.submit', { token: TOKEN, keyStore: 'file', password: 'A'.repeat(2000), passwordConfirm: 'A'.repeat(2000) }, 'INPUT_INVALID'],
  ['key store floppy', 'request.submit', { token: TOKEN, keyStore: 'floppy' }, 'INPUT_INVALID'],
  ['driver: /etc/passwd', 'pkcs11.chooseDriver', { library: '/etc/passwd' }, 'PKCS11_DRIVER_NOT_ALLOWED'],
  ['driver: a missing .so', 'pkcs11.chooseDriver', { library: '/tmp/evil/libpwn.so' }, 'PKCS11_DRIVER_NOT_ALLOWED'],
  ['driver: relative path', 'pkcs11.chooseDriver', { library: '../../libpwn.so' }, 'PKCS11_DRIVER_NOT_ALLOWED'],
  ['token list through an unoffered library', 'pkcs11.tokens', { library: '/tmp/evil/libpwn.so' }, 'PKCS11_DRIVER_NOT_ALLOWED'],
  ['submit through an unoffered library', 'request.submit', { token: TOKEN, keyStore: 'pkcs11', library: '/tmp/evil/libpwn.so', tokenSerial: '1', pin: '1234' }, 'PKCS11_DRIVER_NOT_ALLOWED'],
  ['output folder: /', 'output.set', { dir: '/' }, 'OUTPUT_DIR_NOT_ALLOWED'],
  ['output folder: ../../etc', 'output.set', { dir: '../../etc' }, 'OUTPUT_DIR_NOT_ALLOWED'],
  ['output folder: ~/.ssh', 'output.set', { dir: path.join(process.env['HOME'] ?? '/root', '.ssh') }, 'OUTPUT_DIR_NOT_ALLOWED'],
  ['download with an entry id that is no id', 'download.run', { entryId: 'nope', keyStore: 'file', password: 'x' }, 'INPUT_INVALID'],
  ['download of an unknown entry', 'download.run', { entryId: randomUUID(), keyStore: 'file', password: 'x' }, 'REQUEST_NOT_FOUND'],
  ['bundle from /dev/zero', 'bundle.create', { certificatePath: '/dev/zero', key: { kind: 'file', path: '/dev/zero' }, password: 'Bundle#Pass2026', passwordConfirm: 'Bundle#Pass2026', profile: 'compatible' }, 'FILE_READ_FAILED'],
  ['bundle with an unknown stored key', 'bundle.create', { certificatePath: '/etc/hostname', key: { kind: 'stored', entryId: randomUUID() }, password: 'Bundle#Pass2026', passwordConfirm: 'Bundle#Pass2026', profile: 'compatible' }, 'CERT_INVALID'],
];

describe('corpus: IPC inputs through the browser test host', () => {
  let dir: string;
  let cleanup: () => Promise<void>;
  let app: ComposedApp;
  let host: TestHost;
  const KEY = 'corpus-key-0123456789abcdef';
  beforeAll(async () => {
    ({ dir, cleanup } = await tempDir('lock-corpus-ipc-'));
    await mkdir(path.join(dir, 'data'));
    app = await composeApp({
      dataDir: path.join(dir, 'data'),
      version: 'corpus',
      vault: await TokenVault.open(async () => memoryKeychain()),
      tokens: new TokenService(new InProcessTransport()),
      ports: { readClipboard: () => '', writeClipboard: () => undefined, quit: () => undefined, documentsDir: path.join(dir, 'Documents') },
    });
    host = await startTestHost({ rendererDir: path.join(dir, 'none'), bridgeFile: path.join(dir, 'none.js'), dispatch: app.core.dispatch, clipboard: { text: '' }, key: KEY });
  });
  afterAll(async () => {
    await host.close();
    await app.close();
    await cleanup();
  });

  /** One call over the bridge, as the page's window.lock makes it; a coded failure becomes an AppError. */
  const call = async (channel: string, input: unknown, body = JSON.stringify(input)) => {
    const response = await fetch(`${host.url}/__lock/call/${channel}`, { method: 'POST', headers: { 'x-lock-key': KEY, 'content-type': 'application/json' }, body });
    const text = await response.text();
    expect(text).not.toMatch(/\n\s+at |node:internal/);
    const result = JSON.parse(text) as { ok: boolean; value?: unknown; error?: { code: string; detail?: string } };
    if (result.ok) return result.value;
    if (!isErrorCode(result.error?.code)) throw new Error(`not a coded error: ${text}`);
    throw new AppError(result.error.code, result.error.detail === undefined ? {} : { detail: result.error.detail });
  };

  // The user's data folder, minus the embedded mock's own state.
  // The request ledger's database opens (and is created) on the first read: not a write of the input.
  const written = () => snapshot(path.join(dir, 'data')).filter((line) => !line.startsWith('mock-ams') && !line.startsWith('ledger.sqlite'));

  for (const [name, channel, input, want] of cases) {
    it(`${name} → ${want}, nothing written`, async () => {
      const before = written();
      await expectCode(() => call(channel, input), want);
      expect(written()).toEqual(before);
      expect(({} as Record<string, unknown>)['polluted']).toBeUndefined();
    });
  }

  it('a body that is not JSON, or nested 100,000 deep → INPUT_INVALID', async () => {
    await expectCode(() => call('request.lookup', undefined, '{"token":'), 'INPUT_INVALID');
    await expectCode(() => call('request.lookup', undefined, `${'['.repeat(100_000)}${']'.repeat(100_000)}`), 'INPUT_INVALID');
  });
});
