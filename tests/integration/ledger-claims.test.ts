import { spawn } from 'node:child_process';
import { readdirSync } from 'node:fs';
import { mkdir, readdir, rm, writeFile } from 'node:fs/promises';
import path from 'node:path';
import { DatabaseSync } from 'node:sqlite';
import { describe, expect, it } from 'vitest';
import { AppError } from '../../src/contract/errors';
import { type StoredEntry } from '../../src-main/services/request-ledger';
import { writeSidecar } from '../../src-main/storage/entry-sidecar';
import { BUSY_TIMEOUT_MS } from '../../src-main/storage/sqlite-db';
import { writeCount } from '../../src-main/storage/write-faults';
import { made, setRow, updatedAt } from '../support/ledger-rows';
import { ledgersPerTest, storedEntry, STORED_SERVER as SERVER, STORED_TOKEN as TOKEN } from '../support/stored-entry';
import { deadPid } from '../support/tools';
import { lockHolder, longestStall } from '../support/lock-holder';

// Claims, discards and the rebuild from sidecars, in-process against a real ledger.sqlite.
const store = ledgersPerTest('lock-ledger-claims-');
const ledger = () => store.ledger();

describe('claims', () => {
  it("a row in the 'preparing' state, as any version of the app writes a claim, is nobody's request yet: not listed, not found", async () => {
    const l = ledger();
    await made(l, 'a');
    const db = new DatabaseSync(l.file);
    const claim = storedEntry('b', 'B'.repeat(40));
    db.prepare('INSERT INTO requests (id, token_hash, state, owner, entry, updated_at) VALUES (?, ?, ?, ?, ?, ?)').run(
      'b', claim.tokenHash, 'preparing', `pid:${process.pid}`, JSON.stringify(claim), claim.updatedAt,
    );
    db.close();
    expect((await l.list()).map((e) => e.id)).toEqual(['a']);
    expect(await l.get('b')).toBeUndefined();
  });

  it('a token that already has its entry is answered with that entry, not claimed again', async () => {
    const l = ledger();
    const stored = await made(l, 'a');
    expect(await ledger().claim(SERVER, TOKEN, { id: 'b' }, async () => {})).toEqual({ kind: 'existing', entry: stored });
    expect(await l.claims()).toEqual([]);
  });

  it("a claim of another running process is REQUEST_IN_PROGRESS; once it has ended the claim is taken over", async () => {
    const l = ledger();
    await l.claim(SERVER, TOKEN, { id: 'theirs', keyPath: path.join(store.dir, 'keys', 'theirs.pem') }, async () => {});
    const child = spawn(process.execPath, ['-e', 'setTimeout(() => {}, 60_000)'], { stdio: 'ignore' });
    try {
      setRow(l.file, 'theirs', { owner: `pid:${child.pid}` });
      expect(await l.claims()).toEqual([{ id: 'theirs', keyPath: path.join(store.dir, 'keys', 'theirs.pem'), owner: `pid:${child.pid}` }]);
      await expect(ledger().claim(SERVER, TOKEN, { id: 'mine' }, async () => {})).rejects.toMatchObject({ code: 'REQUEST_IN_PROGRESS' });
    } finally {
      const ended = new Promise((resolve) => child.once('exit', resolve));
      child.kill('SIGKILL');
      await ended;
    }
    const abandoned: unknown[] = [];
    expect(await ledger().claim(SERVER, TOKEN, { id: 'mine' }, async (stale) => void abandoned.push(stale))).toEqual({ kind: 'claimed', id: 'mine' });
    expect(abandoned).toEqual([{ id: 'theirs', keyPath: path.join(store.dir, 'keys', 'theirs.pem') }]);
  });

  it('a claim whose pid runs but whose row was not refreshed within the lease (a reboot gave the pid to another process) is taken over', async () => {
    const l = ledger();
    await l.claim(SERVER, TOKEN, { id: 'before-reboot', keyPath: '/keys/old.pem' }, async () => {});
    l.close();
    // pid 1 always runs; the claim was last refreshed two minutes ago (the default lease is one).
    setRow(l.file, 'before-reboot', { owner: 'pid:1', updatedAt: new Date(Date.now() - 120_000).toISOString() });
    const abandoned: unknown[] = [];
    expect(await ledger().claim(SERVER, TOKEN, { id: 'after' }, async (stale) => void abandoned.push(stale))).toEqual({ kind: 'claimed', id: 'after' });
    expect(abandoned).toEqual([{ id: 'before-reboot', keyPath: '/keys/old.pem' }]);
  });

  it('within the lease a running pid still holds its claim; a time that does not parse holds nothing', async () => {
    const l = ledger();
    await l.claim(SERVER, TOKEN, { id: 'recent' }, async () => {});
    l.close();
    setRow(l.file, 'recent', { owner: 'pid:1', updatedAt: new Date(Date.now() - 50_000).toISOString() });
    await expect(ledger().claim(SERVER, TOKEN, { id: 'mine' }, async () => {})).rejects.toMatchObject({ code: 'REQUEST_IN_PROGRESS' });
    setRow(l.file, 'recent', { updatedAt: 'yesterday-ish' });
    expect(await ledger().claim(SERVER, TOKEN, { id: 'mine' }, async () => {})).toEqual({ kind: 'claimed', id: 'mine' });
  });

  it('the owner refreshes its claim while it holds it, so a long key generation keeps it; once it stops, the lease ends', async () => {
    const fast = { claimHeartbeatMs: 40, claimLeaseMs: 300 };
    const owner = store.ledger(undefined, fast);
    await owner.claim(SERVER, TOKEN, { id: 'long' }, async () => {});
    const claimedAt = updatedAt(owner.file, 'long');
    await new Promise((resolve) => setTimeout(resolve, 700));
    expect(Date.parse(updatedAt(owner.file, 'long'))).toBeGreaterThan(Date.parse(claimedAt));
    // Past the lease since the claim, but refreshed: still held.
    await expect(store.ledger(undefined, fast).claim(SERVER, TOKEN, { id: 'other' }, async () => {})).rejects.toMatchObject({ code: 'REQUEST_IN_PROGRESS' });
    // The owner stops refreshing (frozen, or its pid now names another process): after the lease, taken over.
    owner.close();
    await new Promise((resolve) => setTimeout(resolve, 450));
    expect(await store.ledger(undefined, fast).claim(SERVER, TOKEN, { id: 'other' }, async () => {})).toEqual({ kind: 'claimed', id: 'other' });
  });

  it('complete(), release() and close() stop the refresh: no more writes once the claim is over', async () => {
    const fast = { claimHeartbeatMs: 20, claimLeaseMs: 300 };
    const quiet = async () => {
      const before = writeCount();
      await new Promise((resolve) => setTimeout(resolve, 150));
      return writeCount() - before;
    };
    const l = store.ledger(undefined, fast);
    await l.claim(SERVER, TOKEN, { id: 'done' }, async () => {});
    expect(await quiet()).toBeGreaterThan(0);
    await l.complete(storedEntry('done'));
    expect(await quiet()).toBe(0);
    await l.claim(SERVER, 'B'.repeat(40), { id: 'given-up' }, async () => {});
    await l.release('given-up');
    expect(await quiet()).toBe(0);
    // A token that already has its entry is answered, not claimed: nothing to refresh.
    expect((await l.claim(SERVER, TOKEN, { id: 'again' }, async () => {})).kind).toBe('existing');
    expect(await quiet()).toBe(0);
    await l.claim(SERVER, 'C'.repeat(40), { id: 'open' }, async () => {});
    l.close();
    expect(await quiet()).toBe(0);
  });

  for (const [what, owner] of [
    ['no owner', null],
    ['an owner that is not a pid', 'host:someone'],
    ['pid 0', 'pid:0'],
    // Only a whole "pid:<n>" names a process: not this running one inside other text.
    ['a running pid inside other text', `host:pid:${process.pid}`],
    ['a running pid followed by other text', `pid:${process.pid}:host`],
  ] as const) {
    it(`a claim with ${what} belongs to no running process: taken over, and listed with its owner as written`, async () => {
      const l = ledger();
      await l.claim(SERVER, TOKEN, { id: 'old', pkcs11: { library: '/lib/p11.so', label: 'LOCK old' } }, async () => {});
      setRow(l.file, 'old', { owner });
      expect((await l.claims()).map((c) => c.owner)).toEqual([owner ?? '']);
      const abandoned: unknown[] = [];
      await ledger().claim(SERVER, TOKEN, { id: 'new' }, async (stale) => void abandoned.push(stale));
      expect(abandoned).toEqual([{ id: 'old', pkcs11: { library: '/lib/p11.so', label: 'LOCK old' } }]);
    });
  }

  it('a dead claim whose plan does not parse is still set aside, with its id; discarded() keeps it with the reason', async () => {
    const l = ledger();
    await l.claim(SERVER, TOKEN, { id: 'cut' }, async () => {});
    setRow(l.file, 'cut', { owner: `pid:${deadPid()}`, entry: '{"id": "cut", "keyPa' });
    expect(await l.claims()).toEqual([{ id: 'cut', owner: expect.stringMatching(/^pid:\d+$/) }]);
    const abandoned: unknown[] = [];
    await l.claim(SERVER, TOKEN, { id: 'next' }, async (stale) => void abandoned.push(stale));
    expect(abandoned).toEqual([{ id: 'cut' }]);
    const kept = await l.discarded();
    expect(kept).toEqual([{ id: 'cut', entry: {}, reason: 'abandoned before its CSR existed (the process making it ended)', discardedAt: expect.any(String) }]);
    expect(Date.parse(kept[0]!.discardedAt)).not.toBeNaN();
  });

  it('complete() needs this process’s open claim: no claim, a finished entry, or another owner is REQUEST_IN_PROGRESS', async () => {
    const l = ledger();
    await expect(l.complete(storedEntry('nobody'))).rejects.toMatchObject({ code: 'REQUEST_IN_PROGRESS' });
    await made(l, 'a');
    await expect(l.complete({ ...storedEntry('a'), state: 'csr_sent' } as StoredEntry)).rejects.toMatchObject({ code: 'REQUEST_IN_PROGRESS' });
    expect(await l.get('a')).toMatchObject({ state: 'csr_ready' });
    // A finished entry is never completed again, even one that names this process.
    setRow(l.file, 'a', { owner: `pid:${process.pid}` });
    await expect(l.complete({ ...storedEntry('a'), state: 'csr_sent' } as StoredEntry)).rejects.toMatchObject({ code: 'REQUEST_IN_PROGRESS' });
    expect(await l.get('a')).toMatchObject({ state: 'csr_ready' });
    await l.claim(SERVER, 'B'.repeat(40), { id: 'b' }, async () => {});
    setRow(l.file, 'b', { owner: 'pid:1' });
    await expect(l.complete(storedEntry('b', 'B'.repeat(40)))).rejects.toMatchObject({ code: 'REQUEST_IN_PROGRESS' });
    expect(await l.get('b')).toBeUndefined();
  });

  it('release() gives up only this process’s open claim', async () => {
    const l = ledger();
    await l.claim(SERVER, TOKEN, { id: 'a' }, async () => {});
    await l.release('a');
    expect(await l.claims()).toEqual([]);
    await l.claim(SERVER, TOKEN, { id: 'b' }, async () => {});
    setRow(l.file, 'b', { owner: 'pid:1' });
    await l.release('b');
    expect((await l.claims()).map((c) => c.id)).toEqual(['b']);
  });
});

describe('discard', () => {
  it('an entry is moved to discarded with its reason, only when allowed; unknown ids and open claims are REQUEST_NOT_FOUND', async () => {
    const l = ledger();
    const a = await made(l, 'a');
    await l.claim(SERVER, 'C'.repeat(40), { id: 'open' }, async () => {});
    await expect(l.discard('missing', 'why', () => true)).rejects.toMatchObject({ code: 'REQUEST_NOT_FOUND' });
    await expect(l.discard('open', 'why', () => true)).rejects.toMatchObject({ code: 'REQUEST_NOT_FOUND' });
    const seen: StoredEntry[] = [];
    await expect(l.discard('a', 'why', (current) => (seen.push(current), false))).rejects.toMatchObject({ code: 'DISCARD_NOT_ALLOWED' });
    expect(seen).toEqual([a]);
    expect(await l.get('a')).toEqual(a);
    expect(await l.discarded()).toEqual([]);

    expect(await l.discard('a', 'the user discarded it', () => true)).toEqual(a);
    expect(await l.get('a')).toBeUndefined();
    expect(await l.discarded()).toEqual([{ id: 'a', entry: a, reason: 'the user discarded it', discardedAt: expect.any(String) }]);
  });
});

describe('a new database', () => {
  it('takes back every readable sidecar in keys/ (a lost ledger loses no key), once', async () => {
    await writeSidecar(store.dir, storedEntry('s1'));
    await writeSidecar(store.dir, storedEntry('s2', 'B'.repeat(40)));
    await writeFile(path.join(store.dir, 'keys', 'cut.json'), '{"id": "cu');
    const l = ledger();
    expect((await l.list()).map((e) => e.id).sort()).toEqual(['s1', 's2']);
    // Its key is read in this data folder, wherever the sidecar said it was (storedEntry's /keys/s2.pem).
    expect(await l.get('s2')).toEqual({ ...storedEntry('s2', 'B'.repeat(40)), keyPath: path.join(store.dir, 'keys', 's2.pem') });
    // Not again: an entry discarded since stays discarded though its sidecar is still there.
    await l.discard('s1', 'gone', () => true);
    l.close();
    expect((await ledger().list()).map((e) => e.id)).toEqual(['s2']);
    expect((await readdir(path.join(store.dir, 'keys'))).sort()).toEqual(['cut.json', 's1.json', 's2.json']);
  });

  it('a folder that cannot be opened fails this call only: the next call opens it', async () => {
    const data = path.join(store.dir, 'data');
    await writeFile(data, 'a file where the data folder goes');
    const l = store.ledger(data);
    await expect(l.list()).rejects.toThrow();
    await rm(data);
    await mkdir(data);
    expect(await l.list()).toEqual([]);
  });
});

describe('a data folder copied or moved elsewhere', () => {
  const at = (keyPath: string, id = 'k1') => ({ ...storedEntry(id), keyPath });
  it.each([
    ['another POSIX home', '/home/budi/.config/LOCK Desktop/keys/k1.pem'],
    ['a Windows profile', 'C:\\Users\\budi\\AppData\\Roaming\\LOCK Desktop\\keys\\k1.pem'],
  ])('a key recorded in %s is read as keys/<id>.pem of this folder, by get, list, findByToken and an update', async (_where, keyPath) => {
    const l = ledger();
    expect(await l.claim(SERVER, TOKEN, { id: 'k1' }, async () => {})).toEqual({ kind: 'claimed', id: 'k1' });
    await l.complete(at(keyPath));
    const here = path.join(store.dir, 'keys', 'k1.pem');
    expect((await l.get('k1'))?.keyPath).toBe(here);
    expect((await l.list()).map((e) => e.keyPath)).toEqual([here]);
    expect((await l.findByToken(SERVER, TOKEN))?.keyPath).toBe(here);
    expect((await l.update('k1', () => ({ state: 'csr_sent' })))?.keyPath).toBe(here);
  });

  it('a claim left there by a process that ended is listed, and set aside, with its key in this folder', async () => {
    const l = ledger();
    await l.claim(SERVER, TOKEN, { id: 'k9', keyPath: '/home/budi/.config/LOCK Desktop/keys/k9.pem' }, async () => {});
    setRow(l.file, 'k9', { owner: `pid:${deadPid()}` });
    const here = path.join(store.dir, 'keys', 'k9.pem');
    expect(await l.claims()).toEqual([{ id: 'k9', keyPath: here, owner: expect.stringMatching(/^pid:\d+$/) }]);
    const abandoned: unknown[] = [];
    await ledger().claim(SERVER, TOKEN, { id: 'next' }, async (stale) => void abandoned.push(stale));
    expect(abandoned).toEqual([{ id: 'k9', keyPath: here }]);
  });

  it.each([
    ['a file the user chose elsewhere', '/home/budi/my-key.pem'],
    ['another entry’s key', '/old/keys/k2.pem'],
    ['keys/ inside another folder name', '/old/keys-backup/k1.pem'],
  ])('%s is kept as written', async (_what, keyPath) => {
    const l = ledger();
    await l.claim(SERVER, TOKEN, { id: 'k1' }, async () => {});
    await l.complete(at(keyPath));
    expect((await l.get('k1'))?.keyPath).toBe(keyPath);
  });
});

describe('close', () => {
  it('closes the database: its file handles are given back (Linux: counted in /proc/self/fd)', async () => {
    const open = () => readdirSync('/proc/self/fd').length;
    const before = open();
    const l = ledger();
    await made(l, 'a');
    expect(open()).toBeGreaterThan(before);
    l.close();
    await new Promise((resolve) => setImmediate(resolve));
    expect(open()).toBe(before);
  });
});

describe('a damaged row', () => {
  it('stays in the database but not in the list; the other entries are listed', async () => {
    const l = ledger();
    await made(l, 'good');
    await made(l, 'bad', 'B'.repeat(40));
    setRow(l.file, 'bad', { entry: '{"id": "bad", cut short' });
    expect((await l.list()).map((e) => e.id)).toEqual(['good']);
    const db = new DatabaseSync(l.file);
    expect(db.prepare('SELECT id FROM requests ORDER BY rowid').all().map((r) => r['id'])).toEqual(['good', 'bad']);
    db.close();
  });
});

describe('a write lock another process keeps', () => {
  // The app waits 20 s (BUSY_TIMEOUT_MS, below); 1 s here states the same rule in real time.
  it('is waited for the busy timeout, then LEDGER_BUSY naming the file; nothing was changed, and once released the write goes through', async () => {
    const l = store.ledger(undefined, { busyTimeoutMs: 1_000 });
    await made(l, 'a');
    const holder = await lockHolder(l.file);
    try {
      const started = Date.now();
      const { result, stallMs } = await longestStall(() => l.update('a', () => ({ note: 'changed' })));
      expect(result).toEqual({ status: 'rejected', reason: new AppError('LEDGER_BUSY', { detail: l.file }) });
      expect(Date.now() - started).toBeGreaterThanOrEqual(950);
      expect(Date.now() - started).toBeLessThan(3_000);
      // The wait is spent with the event loop free: the window keeps answering (SQLite's own wait: 10 ms a try).
      expect(stallMs).toBeLessThan(200);
      expect((await l.get('a'))!.note).toBeUndefined();
    } finally {
      await holder.stop();
    }
    expect(await l.update('a', () => ({ note: 'changed' }))).toMatchObject({ note: 'changed' });
  }, 60_000);

  it("a ledger opened while the lock is kept waits its own time, not the default 20 s", async () => {
    const first = ledger();
    await made(first, 'a');
    const holder = await lockHolder(first.file);
    try {
      // Opening writes the schema in a transaction: it meets the lock. Released after 1.5 s, past this ledger's 0.3 s.
      const late = setTimeout(holder.release, 1_500);
      await expect(store.ledger(undefined, { busyTimeoutMs: 300 }).list()).rejects.toMatchObject({ code: 'LEDGER_BUSY' });
      clearTimeout(late);
    } finally {
      await holder.stop();
    }
  }, 30_000);

  it('released while a write waits: the write goes through at once, and the loop ran all along', async () => {
    const l = ledger();
    await made(l, 'a');
    const holder = await lockHolder(l.file);
    try {
      let ticks = 0;
      const ticker = setInterval(() => (ticks += 1), 20);
      setTimeout(holder.release, 400);
      const started = Date.now();
      const { result, stallMs } = await longestStall(() => l.update('a', () => ({ note: 'after the lock' })));
      clearInterval(ticker);
      expect(result).toMatchObject({ status: 'fulfilled', value: { note: 'after the lock' } });
      // Tried again within 100 ms of the release (and its round trip to the holder).
      expect(Date.now() - started).toBeGreaterThanOrEqual(380);
      expect(Date.now() - started).toBeLessThan(1_500);
      expect(stallMs).toBeLessThan(200);
      expect(ticks).toBeGreaterThanOrEqual(8);
    } finally {
      await holder.stop();
    }
  }, 60_000);

  it('two writes of this process waiting on the same connection both go through once it is released', async () => {
    const l = ledger();
    await made(l, 'a');
    await made(l, 'b', 'B'.repeat(40));
    const holder = await lockHolder(l.file);
    try {
      setTimeout(holder.release, 300);
      const [a, b] = await Promise.all([l.update('a', () => ({ note: 'one' })), l.update('b', () => ({ note: 'two' }))]);
      expect([a!.note, b!.note]).toEqual(['one', 'two']);
    } finally {
      await holder.stop();
    }
  }, 60_000);

  it('the app waits 20 s (BUSY_TIMEOUT_MS) unless told otherwise; the wait above is the one it was given', () => {
    expect(BUSY_TIMEOUT_MS).toBe(20_000);
    expect(ledger().busyTimeoutMs).toBe(BUSY_TIMEOUT_MS);
    expect(store.ledger(undefined, { busyTimeoutMs: 1_000 }).busyTimeoutMs).toBe(1_000);
  });
});
