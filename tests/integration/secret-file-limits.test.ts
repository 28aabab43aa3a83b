import { writeFile } from 'node:fs/promises';
import path from 'node:path';
import { Readable } from 'node:stream';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { SECRET_FILE_MAX_BYTES } from '../../src/domain/secret-text';
import { readSecretFile, readTextFile } from '../../src-main/services/secret-file';
import { tempDir } from '../support/tools';

/** Secret files and standard input: 4096 bytes at most, refused before being read whole. */
let dir: string;
let cleanup: () => Promise<void>;
beforeAll(async () => ({ dir, cleanup } = await tempDir('lock-secret-')));
afterAll(async () => cleanup());

const fileOf = async (name: string, bytes: number) => {
  const file = path.join(dir, name);
  await writeFile(file, 'a'.repeat(bytes));
  return file;
};

describe('secret file size limit', () => {
  it('is 4096 bytes', () => expect(SECRET_FILE_MAX_BYTES).toBe(4096));

  it.each([
    [4095, 'ok'],
    [4096, 'ok'],
    [4097, 'FILE_TOO_LARGE'],
  ])('a file of %i bytes → %s', async (bytes, outcome) => {
    const read = readSecretFile(await fileOf(`secret-${bytes}`, bytes), 'token');
    if (outcome === 'ok') await expect(read).resolves.toHaveLength(bytes);
    else await expect(read).rejects.toMatchObject({ code: outcome, detail: expect.stringContaining('over 4096 bytes') });
  });

  it.each([
    [4095, 'ok'],
    [4096, 'ok'],
    [4097, 'FILE_TOO_LARGE'],
  ])('standard input of %i bytes → %s', async (bytes, outcome) => {
    const stdin = Readable.from([Buffer.alloc(bytes - 1, 0x61), Buffer.from('a')]);
    const read = readSecretFile('-', 'token', stdin);
    if (outcome === 'ok') await expect(read).resolves.toHaveLength(bytes);
    else await expect(read).rejects.toMatchObject({ code: outcome, detail: 'standard input: over 4096 bytes' });
  });

  it.each([
    [65_535, 'ok'],
    [65_536, 'ok'],
    [65_537, 'FILE_TOO_LARGE'],
  ])('a text file (user JSON) of %i bytes → %s', async (bytes, outcome) => {
    const read = readTextFile(await fileOf(`text-${bytes}`, bytes));
    if (outcome === 'ok') await expect(read).resolves.toHaveLength(bytes);
    else await expect(read).rejects.toMatchObject({ code: outcome });
  });
});
