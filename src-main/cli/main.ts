import { parseArgs } from 'node:util';
import { AppError, bilingualMessage, type ErrorData } from '../../src/contract/errors';
import { defaultDataDir } from '../services/paths';
import { options, UsageError, type CliIo, type Command, type Values } from './args';
import { reportNotices } from './notices';
import { printableLines } from './printable';
import { USAGE } from './usage';

export type { CliIo } from './args';

/**
 * The dispatcher: parses argv, then loads only the one command module it needs
 * (each is its own chunk), so `--help` or a parse error loads no services, no
 * HTTP library and no crypto.
 */
type Loader = () => Promise<{ run: Command }>;
const mockAdmin: Loader = () => import('./commands/mock-admin');
const commands: Record<string, Loader> = {
  'mock-ams serve': () => import('./commands/mock-serve'),
  'mock-ams mint-token': mockAdmin,
  'mock-ams approve': mockAdmin,
  'mock-ams reject': mockAdmin,
  'mock-ams settings': mockAdmin,
  'mock-ams faults': mockAdmin,
  'mock-ams clock': mockAdmin,
  'mock-ams revoke': mockAdmin,
  'mock-ams expire-token': mockAdmin,
  'mock-ams create-user': mockAdmin,
  'mock-ams requests': mockAdmin,
  'mock-ams reset': mockAdmin,
  show: () => import('./commands/show'),
  status: () => import('./commands/status'),
  request: () => import('./commands/request'),
  tokens: () => import('./commands/tokens'),
  download: () => import('./commands/download'),
  'bundle-p12': () => import('./commands/bundle-p12'),
  discard: () => import('./commands/discard'),
};

/** Flags that would put a secret in the process list, and what to use instead. */
const refusedFlags: [keyof Values, string][] = [
  ['token', '--token puts the CSR token where every local user can read it (/proc, shell history); use --token-file FILE, or --token-file - to read it from standard input'],
  ['admin-key', '--admin-key puts the admin key where every local user can read it; use --admin-key-file FILE or the environment variable LOCK_ADMIN_KEY'],
];

// Control characters and ANSI escapes from a server never reach the terminal.
const consoleIo: CliIo = {
  out: (l) => process.stdout.write(`${printableLines(l)}\n`),
  err: (l) => process.stderr.write(`${printableLines(l)}\n`),
};

/** Runs one CLI invocation; resolves to the exit status. `serve` resolves only on a signal. */
export async function runCli(argv: string[], io: CliIo = consoleIo): Promise<number> {
  try {
    const { values, positionals } = parseArgs({ args: argv, options, allowPositionals: true, allowNegative: true, strict: true });
    if (values.help) {
      io.out(USAGE);
      return 0;
    }
    for (const [flag, why] of refusedFlags) if (values[flag] !== undefined) throw new UsageError(why);
    if (positionals.length === 0) throw new UsageError('no command given');
    const command = positionals.join(' ');
    const load = Object.hasOwn(commands, command) ? commands[command] : undefined;
    if (!load) throw new UsageError(`unknown command "${command.slice(0, 60)}"`);
    const { run } = await load();
    const code = await run({ positionals, values, io, dataDir: values['data-dir'] ?? defaultDataDir() });
    reportNotices(io);
    return code;
  } catch (error) {
    const code = report(error, io);
    reportNotices(io);
    return code;
  }
}

function report(error: unknown, io: CliIo): number {
  if (error instanceof UsageError || isParseError(error)) {
    // parseArgs explains at length how to pass a value starting with '-': its first sentence is enough.
    const message = error instanceof UsageError ? error.message : ((error as Error).message.split(/\.\s/)[0] ?? '');
    io.err(`USAGE: ${oneLine(message)} — see lock-desktop --help`);
    return 2;
  }
  const data: ErrorData = error instanceof AppError ? error.toData() : { code: 'INTERNAL' };
  io.err(`${data.code}: ${oneLine(bilingualMessage(data))}`);
  // A stack only when asked for: a person gets one line, a developer sets LOCK_DEBUG=1.
  if (!(error instanceof AppError) && process.env['LOCK_DEBUG']) io.err(String((error as Error)?.stack ?? error));
  return 1;
}

/** node:util parseArgs errors carry ERR_PARSE_ARGS_* codes. */
function isParseError(error: unknown): boolean {
  const code = (error as { code?: unknown } | null)?.code;
  return typeof code === 'string' && code.startsWith('ERR_PARSE_ARGS_');
}

const oneLine = (text: string) => text.replace(/\s*\n\s*/g, ' ');
