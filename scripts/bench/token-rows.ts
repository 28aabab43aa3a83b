import { existsSync } from 'node:fs';
import path from 'node:path';
import { createSoftHsmToken } from '../../native/softhsm/create-token.mjs';
import { MAMAN_EMPLOYEE } from '../../src-main/mock-ams/seed-users';
import { buildCsr } from '../../src-main/services/csr-builder';
import { InProcessTransport, TokenService, WorkerTransport } from '../../src-main/services/pkcs11/token-service';
import { RSA_BITS } from '../../src-main/services/software-key';
import { interleaved, maxLoopDelay, type Row } from './measure';

const PIN = '123456';
/**
 * RSA key generation's time is the prime search's, which varies by 2-3x from one key to the next:
 * with the bench's usual 7 rounds the medians of the two sides differed by up to 1.6x while the
 * worker hop itself costs a few ms. 31 interleaved rounds keep the median's spread under the hop.
 */
const TOKEN_ROUNDS = Number(process.env['BENCH_TOKEN_ROUNDS'] ?? 31);

async function keygenAndCsr(tokens: TokenService, library: string, serial: string): Promise<void> {
  const session = await tokens.login(library, { serial, pin: PIN });
  const key = await tokens.generateRsaKeyPair(session, { bits: RSA_BITS, label: 'bench' });
  await buildCsr(MAMAN_EMPLOYEE, tokens.signer(session, key));
  await tokens.logout(session);
}

/**
 * Token key + CSR on SoftHSM2 through the token worker, against the same
 * pkcs11js calls on this thread (same library, same steps, no worker hop); and
 * the main loop's largest delay meanwhile.
 */
export async function tokenRows(dir: string): Promise<Row[]> {
  const library = ['/usr/lib/softhsm/libsofthsm2.so', '/usr/lib/x86_64-linux-gnu/softhsm/libsofthsm2.so'].find((p) => existsSync(p));
  const name = 'token key (RSA 2048 on SoftHSM2) + CSR signed there, via the token worker';
  if (!library) return [{ name, ours: 0, unit: 'ms', target: { kind: 'ratio', max: 1.2 }, skipped: 'SoftHSM2 not installed' }];
  process.env['SOFTHSM2_CONF'] = createSoftHsmToken({ dir: path.join(dir, 'hsm'), label: 'BENCH', pin: PIN });
  const worker = new TokenService(new WorkerTransport(path.resolve('dist/worker/pkcs11-worker.cjs')));
  const inline = new TokenService(new InProcessTransport());
  try {
    const serial = (await worker.listTokens(library))[0]!.serial;
    const [a, b] = await interleaved(() => keygenAndCsr(worker, library, serial), () => keygenAndCsr(inline, library, serial), TOKEN_ROUNDS);
    const delay = await maxLoopDelay(async () => {
      for (let i = 0; i < 3; i++) await keygenAndCsr(worker, library, serial);
    });
    return [
      { name, ours: a, unit: 'ms', anchor: { value: b, what: 'the same pkcs11js calls on this thread' }, target: { kind: 'ratio', max: 1.2 } },
      { name: 'main-loop stall: token key + CSR (request.submit on a token)', ours: delay, unit: 'ms', target: { kind: 'max', max: 20 } },
    ];
  } finally {
    await worker.close();
    await inline.close();
  }
}
