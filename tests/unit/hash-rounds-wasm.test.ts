import { readFileSync } from 'node:fs';
import { describe, expect, it } from 'vitest';
// @ts-expect-error: a build script in plain JavaScript, without type declarations
import { compileHashRounds, constantFile } from '../../scripts/wasm.mjs';

describe('hash-rounds WebAssembly', () => {
  it('the committed module is what hash-rounds.wat compiles to (run `node scripts/wasm.mjs` after editing the .wat)', async () => {
    const committed = readFileSync('src-main/services/p12/hash-rounds-wasm.ts', 'utf8');
    expect(committed).toBe(constantFile(await compileHashRounds()));
  });
});
