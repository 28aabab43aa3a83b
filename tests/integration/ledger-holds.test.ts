import { spawn } from 'node:child_process';
import { describe, expect, it } from 'vitest';
import { writeCount } from '../../src-main/storage/write-faults';
import { made, rowColumn, setRow, updatedAt } from '../support/ledger-rows';
import { ledgersPerTest, STORED_SERVER as SERVER } from '../support/stored-entry';

// Holds: a request's row held while its CSR is on its way or it is being discarded, in-process against a real ledger.sqlite.
const store = ledgersPerTest('lock-ledger-holds-');
const ledger = () => store.ledger();

describe('holds (a CSR on its way, a discard asking AMS)', () => {
  it('one holder at a time, this process included; letGo frees it; a missing entry or an open claim is REQUEST_NOT_FOUND', async () => {
    const l = ledger();
    const a = await made(l, 'a');
    await l.hold('a');
    expect(rowColumn(l.file, 'a', 'owner')).toBe(`pid:${process.pid}`);
    await expect(ledger().hold('a')).rejects.toMatchObject({ code: 'REQUEST_BUSY' });
    await expect(l.hold('a')).rejects.toMatchObject({ code: 'REQUEST_BUSY' });
    // The entry itself reads as before: a hold is not a change of the request.
    expect(await l.get('a')).toEqual(a);
    await l.letGo('a');
    expect(rowColumn(l.file, 'a', 'owner')).toBeNull();
    await ledger().hold('a');
    await expect(l.hold('missing')).rejects.toMatchObject({ code: 'REQUEST_NOT_FOUND' });
    await l.claim(SERVER, 'C'.repeat(40), { id: 'open' }, async () => {});
    await expect(l.hold('open')).rejects.toMatchObject({ code: 'REQUEST_NOT_FOUND' });
  });

  it("another process's hold refuses discard (REQUEST_BUSY) until that process has ended; the holder's own discard goes ahead", async () => {
    const l = ledger();
    await made(l, 'a');
    await made(l, 'b', 'B'.repeat(40));
    const child = spawn(process.execPath, ['-e', 'setTimeout(() => {}, 60_000)'], { stdio: 'ignore' });
    try {
      await l.hold('a');
      setRow(l.file, 'a', { owner: `pid:${child.pid}` });
      await expect(l.discard('a', 'why', () => true)).rejects.toMatchObject({ code: 'REQUEST_BUSY' });
      await expect(l.hold('a')).rejects.toMatchObject({ code: 'REQUEST_BUSY' });
    } finally {
      const ended = new Promise((resolve) => child.once('exit', resolve));
      child.kill('SIGKILL');
      await ended;
    }
    // Its holder was killed: taken over.
    await l.hold('a');
    expect((await l.discard('a', 'why', () => true)).id).toBe('a');
    // Never held: discarded as before.
    expect((await l.discard('b', 'why', () => true)).id).toBe('b');
  });

  it('a hold whose pid runs but whose lease ended is taken over; a change made meanwhile does not end the lease', async () => {
    const l = ledger();
    await made(l, 'a');
    setRow(l.file, 'a', { owner: 'pid:1', updatedAt: new Date(Date.now() - 50_000).toISOString() });
    // An update whose entry time is older than the hold's (a refresh that changes no time) keeps the lease.
    await l.update('a', () => ({ amsStatus: 'awaiting_csr', updatedAt: new Date(Date.now() - 86_400_000).toISOString() }));
    await expect(l.hold('a')).rejects.toMatchObject({ code: 'REQUEST_BUSY' });
    setRow(l.file, 'a', { updatedAt: new Date(Date.now() - 120_000).toISOString() });
    await l.hold('a');
    expect(rowColumn(l.file, 'a', 'owner')).toBe(`pid:${process.pid}`);
  });

  it('the holder refreshes its hold while it holds it; letGo and close stop that', async () => {
    const fast = { claimHeartbeatMs: 40, claimLeaseMs: 300 };
    const holder = store.ledger(undefined, fast);
    await made(holder, 'a');
    await holder.hold('a');
    const heldAt = updatedAt(holder.file, 'a');
    await new Promise((resolve) => setTimeout(resolve, 450));
    expect(Date.parse(updatedAt(holder.file, 'a'))).toBeGreaterThan(Date.parse(heldAt));
    await expect(store.ledger(undefined, fast).hold('a')).rejects.toMatchObject({ code: 'REQUEST_BUSY' });
    await holder.letGo('a');
    const before = writeCount();
    await new Promise((resolve) => setTimeout(resolve, 150));
    expect(writeCount()).toBe(before);
  });
});
