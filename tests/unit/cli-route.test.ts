import { readdirSync } from 'node:fs';
import path from 'node:path';
import { describe, expect, it } from 'vitest';
import { COMMAND_MODULES, commandOf, moduleFor } from '../../src-main/cli/route';

describe('route: which built CLI file runs an argv', () => {
  it.each([
    [['show', '--server', 'http://x', '--token-file', 't'], 'show'],
    [['--data-dir', 'status', 'download', '--out', 'request'], 'download'],
    [['mock-ams', 'approve', '--request', 'r1'], 'mock-admin'],
    [['mock-ams', 'serve'], 'mock-serve'],
    [['bundle-p12', '--modern', '--no-modern'], 'bundle-p12'],
    // A refused flag is the command's file to explain, in its own words.
    [['request', '--token', 'ABC'], 'request'],
  ])('%j → %s', (argv, module) => {
    expect(moduleFor(argv)).toBe(module);
  });

  it.each([[['--help']], [['show', '-h']], [[]], [['--bogus']], [['show', '--server']], [['frobnicate']], [['mock-ams']], [['show', 'status']], [['constructor']], [['__proto__']]])(
    '%j → the dispatcher alone (cli.cjs)',
    (argv) => {
      expect(moduleFor(argv)).toBeUndefined();
    },
  );

  it('every command names a module under src-main/cli/commands, and every module there runs a command', () => {
    const files = readdirSync(path.resolve('src-main/cli/commands')).map((f) => path.basename(f, '.ts'));
    expect(new Set(Object.values(COMMAND_MODULES))).toEqual(new Set(files));
    for (const command of Object.keys(COMMAND_MODULES)) expect(commandOf(command.split(' '))).toBe(COMMAND_MODULES[command as keyof typeof COMMAND_MODULES]);
  });
});
