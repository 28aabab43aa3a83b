import { createPrivateKey } from 'node:crypto';
import { parentPort } from 'node:worker_threads';
import { AppError } from '../../src/contract/errors';
import type { CryptoReply, CryptoRequest } from './crypto-runner';
import { buildPkcs12 } from './p12/pkcs12-builder';
import { openWithOpenSsl } from './software-key';

/** The crypto worker: PKCS#12 building and OpenSSL key decryption, off the window's event loop. */
const port = parentPort!;

async function handle(request: CryptoRequest): Promise<Uint8Array> {
  if (request.op === 'pkcs12') {
    const { keyDer, ...rest } = request.input;
    return buildPkcs12({ ...rest, key: createPrivateKey({ key: Buffer.from(keyDer), format: 'der', type: 'pkcs8' }), certificates: rest.certificates.map((c) => Buffer.from(c)) });
  }
  const input = typeof request.input === 'string' ? request.input : Buffer.from(request.input);
  return openWithOpenSsl(input, request.password).export({ type: 'pkcs8', format: 'der' });
}

port.on('message', (request: CryptoRequest) => {
  handle(request).then(
    (value) => port.postMessage({ id: request.id, ok: true, value } satisfies CryptoReply),
    (error: unknown) =>
      port.postMessage({ id: request.id, ok: false, ...(error instanceof AppError ? { code: error.code } : {}), message: String(error) } satisfies CryptoReply),
  );
});
