import { parseArgs } from 'node:util';
import { options } from './args';

/**
 * The module under src-main/cli/commands that runs each command. The built CLI
 * is one CommonJS file per module (dist/cli/<module>.cjs, everything that
 * command may need inside it) and dist/cli/cli.cjs for --help and mistakes.
 */
export const COMMAND_MODULES = {
  'mock-ams serve': 'mock-serve',
  'mock-ams mint-token': 'mock-admin',
  'mock-ams approve': 'mock-admin',
  'mock-ams reject': 'mock-admin',
  'mock-ams settings': 'mock-admin',
  'mock-ams faults': 'mock-admin',
  'mock-ams clock': 'mock-admin',
  'mock-ams revoke': 'mock-admin',
  'mock-ams expire-token': 'mock-admin',
  'mock-ams create-user': 'mock-admin',
  'mock-ams requests': 'mock-admin',
  'mock-ams reset': 'mock-admin',
  show: 'show',
  status: 'status',
  request: 'request',
  tokens: 'tokens',
  download: 'download',
  'bundle-p12': 'bundle-p12',
  discard: 'discard',
} as const;

export type CommandModule = (typeof COMMAND_MODULES)[keyof typeof COMMAND_MODULES];

/** argv as every command sees it: node:util parseArgs over every flag any command takes. */
export function parse(argv: string[]) {
  return parseArgs({ args: argv, options, allowPositionals: true, allowNegative: true, strict: true });
}

/** The module of the command that positionals name. */
export function commandOf(positionals: string[]): CommandModule | undefined {
  const command = positionals.join(' ');
  return Object.hasOwn(COMMAND_MODULES, command) ? COMMAND_MODULES[command as keyof typeof COMMAND_MODULES] : undefined;
}

/**
 * Which built file runs this argv: the command's own, or undefined (--help, a
 * parse error, an unknown command), which the dispatcher alone explains. Parses
 * exactly as the dispatcher does, so both always agree.
 */
export function moduleFor(argv: string[]): CommandModule | undefined {
  try {
    const { values, positionals } = parse(argv);
    return values.help ? undefined : commandOf(positionals);
  } catch {
    return undefined;
  }
}
