import { promises as fs } from 'node:fs';
import path from 'node:path';
import { parseArgs, type ParseArgsConfig } from 'node:util';
import type { Input, TokenInfo } from '../../src/contract/api';
import { AppError, bilingualMessage, type Lang } from '../../src/contract/errors';
import { translate, type MessageKey } from '../../src/i18n/catalogue';
import { MockAdminClient } from '../mock-ams/admin-client';
import { startMockAms } from '../mock-ams/server';
import { amsPaths } from '../../src/ams-api/schemas';
import { AmsClient } from '../services/ams-client';
import { BundleService } from '../services/bundle-service';
import { CertificateService } from '../services/certificate-service';
import { toErrorData } from '../services/api-dispatch';
import { defaultDataDir } from '../services/paths';
import { presentDrivers } from '../services/pkcs11/driver-catalogue';
import { TokenService } from '../services/pkcs11/token-service';
import { RequestLedger } from '../services/request-ledger';
import { RequestService } from '../services/request-service';
import { TokenVault } from '../services/token-vault';

const USAGE = `Usage: lock-desktop [--data-dir DIR] [--lang id|en] <command> [options]

Commands:
  mock-ams serve [--port N] [--host ADDR] [--auto-approve]   run the mock AMS
  mock-ams mint-token --server URL --admin-key KEY --email EMAIL [--product NAME]
  mock-ams approve|reject --server URL --admin-key KEY --request ID [--note TEXT]
  mock-ams settings --server URL --admin-key KEY [--[no-]auto-approve] [--[no-]enrollment-fails]
  mock-ams faults --server URL --admin-key KEY [--latency-ms N] [--server-errors N] [--garbage N] [--drop-after-csr N]
  mock-ams clock --server URL --admin-key KEY --days N       move the mock's clock (H-30, expiry)
  mock-ams revoke --server URL --admin-key KEY --serial HEX [--reason keyCompromise|...]
  mock-ams expire-token --server URL --admin-key KEY --request ID
  mock-ams create-user --server URL --admin-key KEY --user-file FILE.json
  mock-ams requests --server URL --admin-key KEY
  mock-ams reset --server URL --admin-key KEY
  show     --server URL --token TOKEN [--json]                employee data (Lanjutkan)
  request  --server URL --token TOKEN --key-store file --password-file FILE
  request  --server URL --token TOKEN --key-store pkcs11 --module LIBRARY
           [--token-label LABEL] --pin-file FILE              generate the key, send the CSR
  tokens   [--module LIBRARY] [--json]                        USB tokens present
  download --server URL --token TOKEN --out DIR (--password-file FILE | --pin-file FILE [--module LIBRARY])
                                                              the issued certificate: .pem + .p12, or onto the token
  bundle-p12 --cert FILE --key FILE [--key-password-file FILE] --out FILE.p12 --password-file FILE [--modern]
  status   --server URL --token TOKEN [--json]                request status in AMS

Exit status 0 on success; otherwise one line on stderr: CODE: message.`;

export interface CliIo {
  out(line: string): void;
  err(line: string): void;
}

const consoleIo: CliIo = { out: (l) => process.stdout.write(`${l}\n`), err: (l) => process.stderr.write(`${l}\n`) };

const options = {
  'data-dir': { type: 'string' },
  lang: { type: 'string' },
  server: { type: 'string' },
  token: { type: 'string' },
  'key-store': { type: 'string' },
  'password-file': { type: 'string' },
  'pin-file': { type: 'string' },
  module: { type: 'string' },
  'token-label': { type: 'string' },
  out: { type: 'string' },
  cert: { type: 'string' },
  key: { type: 'string' },
  'key-password-file': { type: 'string' },
  modern: { type: 'boolean' },
  'admin-key': { type: 'string' },
  email: { type: 'string' },
  product: { type: 'string' },
  port: { type: 'string' },
  host: { type: 'string' },
  'auto-approve': { type: 'boolean' },
  'enrollment-fails': { type: 'boolean' },
  request: { type: 'string' },
  note: { type: 'string' },
  days: { type: 'string' },
  serial: { type: 'string' },
  reason: { type: 'string' },
  'user-file': { type: 'string' },
  'latency-ms': { type: 'string' },
  'server-errors': { type: 'string' },
  garbage: { type: 'string' },
  'drop-after-csr': { type: 'string' },
  json: { type: 'boolean' },
  help: { type: 'boolean', short: 'h' },
} as const satisfies ParseArgsConfig['options'];

type Values = ReturnType<typeof parseArgs<{ options: typeof options; allowPositionals: true; allowNegative: true }>>['values'];

/** Runs one CLI invocation; resolves to the exit status. `serve` resolves only on a signal. */
export async function runCli(argv: string[], io: CliIo = consoleIo): Promise<number> {
  let values: Values;
  let positionals: string[];
  try {
    ({ values, positionals } = parseArgs({ args: argv, options, allowPositionals: true, allowNegative: true, strict: true }));
  } catch (error) {
    io.err(`INPUT_INVALID: ${(error as Error).message}`);
    io.err(USAGE);
    return 2;
  }
  if (values.help || positionals.length === 0) {
    io.out(USAGE);
    return values.help ? 0 : 2;
  }
  try {
    return await dispatchCommand(positionals, values, io);
  } catch (error) {
    const data = toErrorData(error);
    io.err(`${data.code}: ${bilingualMessage(data)}`);
    if (!(error instanceof AppError)) io.err(String((error as Error)?.stack ?? error));
    return 1;
  }
}

async function dispatchCommand(positionals: string[], values: Values, io: CliIo): Promise<number> {
  const dataDir = values['data-dir'] ?? defaultDataDir();
  const lang: Lang = values.lang === 'en' ? 'en' : 'id';
  const t = (key: MessageKey, vars?: Record<string, string>) => translate(lang, key, vars);
  const command = positionals.join(' ');
  switch (command) {
    case 'mock-ams serve':
      return serve(values, dataDir, io);
    case 'mock-ams mint-token': {
      const minted = (await adminClient(values).call(amsPaths.adminTokens, { email: required(values.email, '--email'), product: values.product })) as { token: string };
      io.out(minted.token);
      return 0;
    }
    case 'mock-ams approve':
    case 'mock-ams reject':
    case 'mock-ams settings':
    case 'mock-ams faults':
    case 'mock-ams clock':
    case 'mock-ams revoke':
    case 'mock-ams expire-token':
    case 'mock-ams create-user':
    case 'mock-ams requests':
    case 'mock-ams reset': {
      const [adminPath, body] = await adminCall(positionals[1]!, values);
      io.out(JSON.stringify(await adminClient(values).call(adminPath, body), null, 2));
      return 0;
    }
    case 'show': {
      const result = await requestService(values, dataDir).then((s) => s.lookup(required(values.token, '--token')));
      if (values.json) io.out(JSON.stringify(result, null, 2));
      else {
        const e = result.employee;
        io.out(`${t('employeeInfo')} (${t('product')}: ${result.product}, status: ${result.status})`);
        const rows: [MessageKey, string][] = [
          ['name', e.name],
          ['unit', e.unit],
          ['organization', e.organization],
          ['email', e.email],
          ['locality', e.locality],
          ['province', e.province],
          ['country', e.country],
        ];
        for (const [label, value] of rows) io.out(`  ${t(label).padEnd(20)}: ${value}`);
      }
      return 0;
    }
    case 'tokens': {
      const libraries = values.module ? [values.module] : presentDrivers().map((d) => d.path);
      const found = [];
      for (const library of libraries) {
        for (const token of await tokenService.listTokens(library)) found.push({ library, ...token });
      }
      if (values.json) io.out(JSON.stringify(found, null, 2));
      else if (found.length === 0) throw new AppError('PKCS11_NO_TOKEN');
      else for (const t of found) io.out(`${t.label}\t${t.manufacturer}\t${t.model}\tserial ${t.serial}\t${t.library}${pinNote(t)}`);
      return 0;
    }
    case 'request': {
      const keyStore = required(values['key-store'], '--key-store');
      const token = required(values.token, '--token');
      const service = await requestService(values, dataDir);
      let input: Input<'request.submit'>;
      if (keyStore === 'file') {
        const password = await readSecretFile(required(values['password-file'], '--password-file'));
        input = { token, keyStore, password, passwordConfirm: password };
      } else if (keyStore === 'pkcs11') {
        const library = required(values.module, '--module');
        const pin = await readSecretFile(required(values['pin-file'], '--pin-file'));
        const chosen = await pickToken(library, values['token-label']);
        input = { token, keyStore, library, tokenSerial: chosen.serial, pin };
      } else {
        throw new AppError('INPUT_INVALID', { detail: '--key-store file|pkcs11' });
      }
      const result = await service.submit(
        input,
        // Progress only for a person at a terminal: scripts get one error line or none.
        (p) => (process.stderr.isTTY ? io.err(`… ${t(`step_${p.step}`)}`) : undefined),
      );
      const vars = { requestId: result.entry.requestId, status: result.entry.amsStatus ?? '' };
      if (values.json) io.out(JSON.stringify(result, null, 2));
      else io.out(t(result.resent ? 'cliResent' : 'cliSent', vars));
      return 0;
    }
    case 'download': {
      const server = required(values.server, '--server');
      const out = path.resolve(required(values.out, '--out'));
      const ledger = RequestLedger.inDataDir(dataDir);
      const vault = await TokenVault.open();
      const certificates = new CertificateService({ ledger, vault, tokens: tokenService, amsFor: (s) => new AmsClient(s), outputDir: async () => out });
      const entry = await certificates.findByToken(required(values.token, '--token'), server);
      let input: Input<'download.run'>;
      if (entry.keyStore === 'file') {
        input = { entryId: entry.id, keyStore: 'file', password: await readSecretFile(required(values['password-file'], '--password-file')) };
      } else {
        input = { entryId: entry.id, keyStore: 'pkcs11', pin: await readSecretFile(required(values['pin-file'], '--pin-file')) };
      }
      const result = await certificates.download(input, undefined, values.module ? { library: values.module } : {});
      if (values.json) io.out(JSON.stringify(result, null, 2));
      else {
        io.out(t('cliDownloaded'));
        for (const file of [result.files.pem, result.files.p12]) if (file) io.out(`  ${file}`);
        if (result.onToken) io.out(t('cliOnToken'));
      }
      return 0;
    }
    case 'bundle-p12': {
      const password = await readSecretFile(required(values['password-file'], '--password-file'));
      const keyPasswordFile = values['key-password-file'];
      const bundles = new BundleService({
        ledger: RequestLedger.inDataDir(dataDir),
        outputDir: async () => path.dirname(path.resolve(required(values.out, '--out'))),
        amsChain: async () => (values.server ? [await (await fetch(new URL(amsPaths.caChain, values.server))).text()] : []),
      });
      const result = await bundles.create({
        certificatePath: required(values.cert, '--cert'),
        key: { kind: 'file', path: required(values.key, '--key') },
        ...(keyPasswordFile ? { keyPassword: await readSecretFile(keyPasswordFile) } : {}),
        password,
        passwordConfirm: password,
        profile: values.modern ? 'modern' : 'compatible',
        outPath: required(values.out, '--out'),
      });
      io.out(result.p12Path);
      return 0;
    }
    case 'status': {
      const result = await requestService(values, dataDir).then((s) => s.status(required(values.token, '--token')));
      if (values.json) io.out(JSON.stringify(result, null, 2));
      else io.out(`${t('cliStatus', { requestId: result.requestId, status: result.status })}${result.note ? ` (${result.note})` : ''}`);
      return 0;
    }
    default:
      throw new AppError('INPUT_INVALID', { detail: `unknown command "${command}"; see --help` });
  }
}

async function serve(values: Values, dataDir: string, io: CliIo): Promise<number> {
  const port = values.port === undefined ? 0 : Number(values.port);
  if (!Number.isInteger(port) || port < 0 || port > 65535) throw new AppError('INPUT_INVALID', { detail: '--port 0..65535' });
  const mock = await startMockAms({
    dataDir: values['data-dir'] ?? `${dataDir}/mock-ams`,
    port,
    host: values.host ?? '127.0.0.1',
    autoApprove: values['auto-approve'] ?? false,
  });
  io.out(`AMS mock listening on ${mock.url}`);
  io.out(`Admin key: ${mock.adminKey}`);
  await new Promise<void>((resolve) => {
    process.once('SIGINT', resolve);
    process.once('SIGTERM', resolve);
  });
  await mock.close();
  return 0;
}

function adminClient(values: Values): MockAdminClient {
  return new MockAdminClient(required(values.server, '--server'), required(values['admin-key'], '--admin-key'));
}

const count = (value: string | undefined, flag: string): number | undefined => {
  if (value === undefined) return undefined;
  const n = Number(value);
  if (!Number.isFinite(n)) throw new AppError('INPUT_INVALID', { detail: `${flag} takes a number` });
  return n;
};
const defined = (o: Record<string, unknown>) => Object.fromEntries(Object.entries(o).filter(([, v]) => v !== undefined));

/** The admin API call behind each `mock-ams` QA command. */
async function adminCall(action: string, values: Values): Promise<[string, unknown]> {
  switch (action) {
    case 'approve':
    case 'reject':
      return [amsPaths.adminDecisions, defined({ requestId: required(values.request, '--request'), decision: action, note: values.note })];
    case 'settings':
      return [amsPaths.adminSettings, defined({ autoApprove: values['auto-approve'], enrollmentFails: values['enrollment-fails'] })];
    case 'faults':
      return [
        amsPaths.adminFaults,
        defined({
          latencyMs: count(values['latency-ms'], '--latency-ms'),
          serverErrors: count(values['server-errors'], '--server-errors'),
          garbage: count(values.garbage, '--garbage'),
          dropAfterCsrStored: count(values['drop-after-csr'], '--drop-after-csr'),
        }),
      ];
    case 'clock':
      return [amsPaths.adminClock, { offsetDays: count(required(values.days, '--days'), '--days') }];
    case 'revoke':
      return [amsPaths.adminRevoke, { serialNumber: required(values.serial, '--serial'), reason: values.reason ?? 'unspecified' }];
    case 'expire-token':
      return [amsPaths.adminExpireToken, { requestId: required(values.request, '--request') }];
    case 'create-user': {
      const file = required(values['user-file'], '--user-file');
      try {
        return [amsPaths.adminUsers, JSON.parse(await readSecretFile(file, false)) as unknown];
      } catch (cause) {
        if (cause instanceof AppError) throw cause;
        throw new AppError('INPUT_INVALID', { detail: `${file} is not JSON`, cause });
      }
    }
    case 'requests':
      return [amsPaths.adminRequests, undefined];
    default:
      return [amsPaths.adminReset, {}];
  }
}

// One worker for the CLI's token calls; it does not keep the process alive.
const tokenService = new TokenService();

async function requestService(values: Values, dataDir: string): Promise<RequestService> {
  return new RequestService({
    ams: new AmsClient(required(values.server, '--server')),
    ledger: RequestLedger.inDataDir(dataDir),
    vault: await TokenVault.open(),
    tokens: tokenService,
    dataDir,
  });
}

/** The token with this label, or the only token present. */
async function pickToken(library: string, label: string | undefined): Promise<TokenInfo> {
  const present = await tokenService.listTokens(library);
  const matching = label === undefined ? present : present.filter((t) => t.label === label);
  if (matching.length === 0) throw new AppError(present.length === 0 ? 'PKCS11_NO_TOKEN' : 'PKCS11_TOKEN_NOT_FOUND', label ? { detail: label } : {});
  if (matching.length > 1) throw new AppError('INPUT_INVALID', { detail: `several tokens present: choose one with --token-label (${present.map((t) => t.label).join(', ')})` });
  return matching[0]!;
}

function pinNote(token: TokenInfo): string {
  if (token.pinLocked) return '\tPIN LOCKED';
  if (token.pinFinalTry) return '\tPIN: last attempt';
  if (token.pinCountLow) return '\tPIN: wrong PIN entered before';
  return '';
}

function required(value: string | undefined, flag: string): string {
  if (value === undefined || value === '') throw new AppError('INPUT_INVALID', { detail: `${flag} is required` });
  return value;
}

/** First line of a file (or all of it): passwords come from files, never from argv or the log. */
async function readSecretFile(file: string, firstLineOnly = true): Promise<string> {
  try {
    const text = await fs.readFile(file, 'utf8');
    return firstLineOnly ? (text.split(/\r?\n/)[0] ?? '') : text;
  } catch (cause) {
    throw new AppError('FILE_READ_FAILED', { detail: file, cause });
  }
}
