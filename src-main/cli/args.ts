import type { ParseArgsConfig, parseArgs } from 'node:util';

/** Every flag any command takes; parsed once by the dispatcher, before any command module loads. */
export const options = {
  'data-dir': { type: 'string' },
  lang: { type: 'string' },
  server: { type: 'string' },
  // The proxy to AMS; without it HTTPS_PROXY / HTTP_PROXY, unless NO_PROXY names the host.
  proxy: { type: 'string' },
  // Refused with a pointer to --token-file: a token on argv is readable by every local user.
  token: { type: 'string' },
  'token-file': { type: 'string' },
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
  // Refused like --token: use --admin-key-file or LOCK_ADMIN_KEY.
  'admin-key': { type: 'string' },
  'admin-key-file': { type: 'string' },
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
  // discard: the confirmation answered in advance (scripts).
  yes: { type: 'boolean' },
  help: { type: 'boolean', short: 'h' },
} as const satisfies ParseArgsConfig['options'];

export type Values = ReturnType<typeof parseArgs<{ options: typeof options; allowPositionals: true; allowNegative: true }>>['values'];

export interface CliIo {
  out(line: string): void;
  err(line: string): void;
}

/** What one command gets from the dispatcher. */
export interface CommandContext {
  positionals: string[];
  values: Values;
  io: CliIo;
  dataDir: string;
}

export type Command = (ctx: CommandContext) => Promise<number>;

/** A mistake in how the CLI was called: one `USAGE: … — see lock-desktop --help` line, exit status 2. */
export class UsageError extends Error {
  override readonly name = 'UsageError';
}

export function required(value: string | undefined, flag: string): string {
  if (value === undefined || value === '') throw new UsageError(`${flag} is required`);
  return value;
}
