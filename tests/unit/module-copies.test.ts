import { describe, expect, it, vi } from 'vitest';
// Imported here as well, so that test runners that follow imports (vitest --related, Stryker) know these tests use them.
import * as Errors from '../../src/contract/errors';
import * as WriteFaults from '../../src-main/storage/write-faults';

/**
 * The built CLI keeps a command's rarely used parts in files of their own, each
 * bundled with its own copy of the modules it shares with the command. Two
 * module instances here stand for two such copies.
 */
async function secondCopy<T>(path: string): Promise<T> {
  vi.resetModules();
  return (await import(path)) as T;
}

describe('state that must be one per process, whatever the copies', () => {
  it('an AppError from one copy is an AppError to the other, and nothing else is', async () => {
    const [a, b] = [Errors, await secondCopy<typeof Errors>('../../src/contract/errors')];
    expect(a.AppError).not.toBe(b.AppError);
    const error = new a.AppError('FILE_WRITE_FAILED', { detail: 'x' });
    expect(error instanceof b.AppError).toBe(true);
    expect(error instanceof Error).toBe(true);
    for (const other of [new Error('FILE_WRITE_FAILED'), { code: 'FILE_WRITE_FAILED' }, null, undefined, 'AppError', Object.create(null)]) expect(other instanceof b.AppError).toBe(false);
    // A subclass goes by its own prototype chain: an AppError is not one of its instances.
    class Narrower extends a.AppError {}
    expect(new Narrower('INTERNAL') instanceof Narrower).toBe(true);
    expect(new Narrower('INTERNAL') instanceof b.AppError).toBe(true);
    expect(error instanceof Narrower).toBe(false);
  });

  it('the write-fault plan and count are shared: the Nth write of the process fails, whichever copy makes it', async () => {
    const [a, b] = [WriteFaults, await secondCopy<typeof WriteFaults>('../../src-main/storage/write-faults')];
    a.setWriteFaults('3:ENOSPC');
    a.beforeWrite('one');
    b.beforeWrite('two');
    expect(a.writeCount()).toBe(2);
    expect(() => a.beforeWrite('three')).toThrow(/ENOSPC: injected write failure #3/);
    expect(() => b.beforeWrite('four')).toThrow(/#4/);
    b.setWriteFaults(undefined);
    expect(a.writeCount()).toBe(0);
  });
});
