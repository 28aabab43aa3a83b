import { readFileSync } from 'node:fs';
import { Linter } from 'eslint';
import { describe, expect, it } from 'vitest';

/**
 * bin/lock-desktop.cjs must parse on any Node, however old (Debian 11 ships 12, Ubuntu 20.04 ships 10),
 * so that its version check runs and prints one line instead of a SyntaxError: ES5 only.
 */
describe('bin/lock-desktop.cjs', () => {
  const parse = (file: string) =>
    new Linter({ configType: 'flat' }).verify(readFileSync(file, 'utf8'), { languageOptions: { ecmaVersion: 5, sourceType: 'script' } }).filter((m) => m.fatal);

  it('is ES5, so every Node reaches its version check', () => {
    expect(parse('bin/lock-desktop.cjs')).toEqual([]);
  });

  it('the check can fail: the start file it hands over to is not ES5', () => {
    expect(parse('bin/cli-start.cjs')).toEqual([expect.objectContaining({ fatal: true, message: expect.stringMatching(/Parsing error/) })]);
  });
});
