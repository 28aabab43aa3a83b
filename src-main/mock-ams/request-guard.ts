import { AsyncLocalStorage } from 'node:async_hooks';
import type { ServerResponse } from 'node:http';
import { HttpError, sendError } from './http-util';

/** The response a piece of work belongs to, so a stray exception can still be answered. */
export const requestScope = new AsyncLocalStorage<ServerResponse>();

/**
 * The request target as a URL. Only origin-form paths are served: a path that
 * is empty, does not start with one '/', holds a backslash or starts with '//'
 * (which URL parsers read as another host) is refused with 400, never thrown.
 */
export function requestUrl(target: string | undefined): URL {
  if (!target || !target.startsWith('/') || target.startsWith('//') || target.includes('\\')) {
    throw new HttpError(400, 'BAD_REQUEST', 'malformed request path');
  }
  try {
    return new URL(`http://mock.invalid${target}`);
  } catch {
    throw new HttpError(400, 'BAD_REQUEST', 'malformed request path');
  }
}

/** A failed request's answer: its HttpError, or 500 with the cause logged (never sent). */
export function answerFailure(res: ServerResponse, error: unknown): void {
  if (res.headersSent || res.destroyed) {
    res.destroy();
    return;
  }
  if (error instanceof HttpError) return sendError(res, error);
  // A malformed %-escape in a path parameter.
  if (error instanceof URIError) return sendError(res, new HttpError(400, 'BAD_REQUEST', 'malformed request path'));
  console.error('mock AMS: internal error', error);
  sendError(res, new HttpError(500, 'INTERNAL', 'internal error'));
}

let guards = 0;
function onUncaught(error: unknown): void {
  const res = requestScope.getStore();
  if (res) {
    // Thrown by work a request started (a timer, a stream callback): that request fails, the process lives.
    console.error('mock AMS: uncaught error in a request, answered with 500', error);
    answerFailure(res, error instanceof HttpError ? error : new Error('uncaught'));
    return;
  }
  if (process.listenerCount('uncaughtException') > 1) return; // the shell has its own handler
  console.error(error);
  // Not ours: behave as the runtime would without this guard (Electron reports and keeps running; Node exits).
  if (!process.versions['electron']) process.exit(1);
}

/** A process-level guard while a mock runs; the returned function removes it (reference-counted). */
export function installProcessGuard(): () => void {
  if (guards++ === 0) process.on('uncaughtException', onUncaught);
  let released = false;
  return () => {
    if (released) return;
    released = true;
    if (--guards === 0) process.off('uncaughtException', onUncaught);
  };
}
