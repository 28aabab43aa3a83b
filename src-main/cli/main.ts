import { AppError, bilingualMessage, type ErrorData } from '../../src/contract/errors';
import { defaultDataDir } from '../services/paths';
import { UsageError, type CliIo, type Command, type Values } from './args';
import { reportNotices } from './notices';
import { printableLines } from './printable';
import { commandOf, parse, type CommandModule } from './route';
import { USAGE } from './usage';
import { writeText } from './std-write';
import { blockOnFiles } from '../services/fs-async';

export type { CliIo } from './args';

/**
 * The dispatcher: parses argv, then loads only the one command module it needs,
 * so `--help` or a parse error loads no services, no HTTP library and no crypto.
 * (In the built CLI each command module is its own file, with only its own
 * command here; see route.ts.)
 */
type Loader = () => Promise<{ run: Command }>;
const commands: Record<CommandModule, Loader> = {
  'mock-serve': () => import('./commands/mock-serve'),
  'mock-admin': () => import('./commands/mock-admin'),
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
  out: (l) => writeText('out', `${printableLines(l)}\n`),
  err: (l) => writeText('err', `${printableLines(l)}\n`),
};

/** Runs one CLI invocation; resolves to the exit status. `serve` resolves only on a signal. */
export async function runCli(argv: string[], io: CliIo = consoleIo): Promise<number> {
  try {
    const { values, positionals } = parse(argv);
    if (values.help) {
      io.out(USAGE);
      return 0;
    }
    for (const [flag, why] of refusedFlags) if (values[flag] !== undefined) throw new UsageError(why);
    if (values.lang !== undefined && values.lang !== 'id' && values.lang !== 'en') throw new UsageError('--lang is id or en');
    if (positionals.length === 0) throw new UsageError('no command given');
    const module = commandOf(positionals);
    if (!module) throw new UsageError(`unknown command "${positionals.join(' ').slice(0, 60)}"`);
    // From the bin (this process is the command's own), files are read and written without the thread pool.
    if (io === consoleIo && module !== 'mock-serve') blockOnFiles();
    const { run } = await commands[module]();
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
    const message = error instanceof UsageError ? error.message : parseErrorText((error as Error).message);
    io.err(`USAGE: ${oneLine(message)} — see lock-desktop --help`);
    return 2;
  }
  const data: ErrorData = error instanceof AppError ? error.toData() : { code: 'INTERNAL' };
  io.err(`${data.code}: ${oneLine(bilingualMessage(data))}`);
  // A stack only when asked for: a person gets one line, a developer sets LOCK_DEBUG=1.
  if (!(error instanceof AppError) && process.env['LOCK_DEBUG']) io.err(String((error as Error)?.stack ?? error));
  return 1;
}

/**
 * parseArgs's words, shortened: "Option '--x <value>' argument is ambiguous" (a value that starts
 * with '-', or a flag's value forgotten) says what to type instead; otherwise its first sentence.
 */
function parseErrorText(message: string): string {
  const ambiguous = /^Option '(--[\w-]+)[^']*' argument is ambiguous/.exec(message);
  if (ambiguous) return `${ambiguous[1]} needs a value; a value that starts with "-" is written ${ambiguous[1]}=VALUE`;
  return message.split(/\.\s/)[0] ?? '';
}

/** node:util parseArgs errors carry ERR_PARSE_ARGS_* codes. */
function isParseError(error: unknown): boolean {
  const code = (error as { code?: unknown } | null)?.code;
  return typeof code === 'string' && code.startsWith('ERR_PARSE_ARGS_');
}

const oneLine = (text: string) => text.replace(/\s*\n\s*/g, ' ');
