// The token worker: every PKCS#11 call runs here, one at a time, so the main
// process never blocks on a token and calls never overlap on a session.
import { parentPort } from 'node:worker_threads';
import { toTokenError } from './ckr-errors';
import { TokenHost, type TokenOp, type TokenOps } from './token-host';

interface Request {
  id: number;
  library: string;
  op: TokenOp | 'shutdown';
  args: unknown;
}

const host = new TokenHost();
parentPort!.on('message', ({ id, library, op, args }: Request) => {
  if (op === 'shutdown') {
    host.closeAll();
    parentPort!.postMessage({ id, ok: true, value: null });
    return;
  }
  try {
    const value = host.call(library, op, args as TokenOps[typeof op]);
    parentPort!.postMessage({ id, ok: true, value: value ?? null });
  } catch (error) {
    parentPort!.postMessage({ id, ok: false, error: toTokenError(error).toData() });
  }
});
