import { readdir } from 'node:fs/promises';
import path from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { amsPaths } from '../../src/ams-api/schemas';
import { MockAdminClient } from '../../src-main/mock-ams/admin-client';
import { assertNothingLost, cli, flowArgs, killAt, ledgerState, mint, openBench, type Bench, type KeyKind, printOutcomes } from './harness';

/**
 * kill -9 of the client at every step of `request` and `download`: at the
 * LOCK_TEST_PAUSE_AT seam for the local steps, and while the CSR upload is in
 * flight — held there by the mock's latency fault — for the network step.
 * Then a retry from the same data folder must reach an issued certificate,
 * and every key must be accounted for.
 */
const REQUEST_STEPS = ['request:claimed', 'request:key-written', 'request:csr-ready', 'request:uploaded'];
const DOWNLOAD_STEPS: Record<KeyKind, string[]> = {
  file: ['download:fetched', 'download:files-planned', 'download:first-linked', 'download:linked'],
  pkcs11: ['download:fetched', 'download:token-written', 'download:files-planned', 'download:linked'],
};

async function outFiles(dataDir: string): Promise<string[]> {
  return (await readdir(path.join(dataDir, '..', `out-${path.basename(dataDir)}`)).catch(() => [] as string[])).sort();
}

function killSuite(kind: KeyKind) {
  let bench: Bench;
  let n = 0;
  const newCase = async () => ({ dataDir: path.join(bench.dir, `pc-${kind}-${++n}`), token: await mint(bench) });
  beforeAll(async () => (bench = await openBench({ softhsm: kind === 'pkcs11' })));
  afterAll(async () => bench?.close());

  for (const step of REQUEST_STEPS) {
    it(`request killed at ${step}`, async () => {
      const { dataDir, token } = await newCase();
      const killed = await killAt(bench, (await flowArgs(bench, dataDir, token, kind)).request, { step });
      expect(killed, killed.stderr).toMatchObject({ killed: true });
      await assertNothingLost(bench, `kill -9 (${kind} key)`, step, dataDir, token, kind);
    });
  }

  it('request killed while the CSR upload is in flight (mock latency 1.5 s)', async () => {
    const { dataDir, token } = await newCase();
    const admin = new MockAdminClient(bench.mock.url, bench.mock.adminKey);
    await admin.call(amsPaths.adminFaults, { latencyMs: 1_500 });
    try {
      // csr_ready on disk: the next thing the client does is the upload, which the latency holds at the mock.
      const when = async () => (await ledgerState(dataDir)).entries.some((e) => e.state === 'csr_ready');
      const killed = await killAt(bench, (await flowArgs(bench, dataDir, token, kind)).request, { when });
      expect(killed, killed.stderr).toMatchObject({ killed: true });
    } finally {
      await admin.call(amsPaths.adminFaults, { latencyMs: 0 });
    }
    await assertNothingLost(bench, `kill -9 (${kind} key)`, 'CSR upload in flight', dataDir, token, kind);
  });

  for (const step of DOWNLOAD_STEPS[kind]) {
    it(`download killed at ${step}; the retry leaves one .pem${kind === 'file' ? ' and one .p12' : ''}, no " (2)", no temp file`, async () => {
      const { dataDir, token } = await newCase();
      const args = await flowArgs(bench, dataDir, token, kind);
      const sent = await cli(bench, args.request);
      expect(sent.code, sent.stderr).toBe(0);
      const killed = await killAt(bench, args.download, { step });
      expect(killed, killed.stderr).toMatchObject({ killed: true });
      await assertNothingLost(bench, `kill -9 (${kind} key)`, step, dataDir, token, kind);
      const files = await outFiles(dataDir);
      expect(files.filter((f) => f.endsWith('.pem'))).toHaveLength(1);
      expect(files.filter((f) => f.endsWith('.p12'))).toHaveLength(kind === 'file' ? 1 : 0);
      expect(files.filter((f) => f.includes(' (2)') || f.endsWith('.tmp'))).toEqual([]);
    });
  }
}

describe('kill -9 with a file key', () => killSuite('file'));
describe('kill -9 with a SoftHSM2 token key', () => killSuite('pkcs11'));

afterAll(printOutcomes);
