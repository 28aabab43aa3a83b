import { promises as fs } from 'node:fs';
import path from 'node:path';
import { AppError } from '../../src/contract/errors';
import { writeFileAtomic } from '../services/atomic-file';

/** The embedded mock's address when nothing else is saved: http://127.0.0.1:47315. */
export const DEFAULT_MOCK_PORT = 47_315;
export const PORT_FILE = 'port.json';

/**
 * The port this mock data folder lives at: port.json in the folder (written on
 * the first start, editable by a user whose machine uses 47315 for something
 * else), or the default. Ledger entries and every certificate's CRL/AIA URLs
 * carry the mock's address, so it must not change between starts.
 */
export async function savedMockPort(dataDir: string): Promise<{ port: number; saved: boolean }> {
  try {
    const { port } = JSON.parse(await fs.readFile(path.join(dataDir, PORT_FILE), 'utf8')) as { port?: unknown };
    if (typeof port === 'number' && Number.isInteger(port) && port > 0 && port < 65_536) return { port, saved: true };
  } catch {
    // No file yet, or one a person broke: the default.
  }
  return { port: DEFAULT_MOCK_PORT, saved: false };
}

/**
 * Starts the mock at its saved port and saves it after the first start. When
 * another program holds that port, `warn` says so (both languages) and the
 * mock runs on a free port for this session only; the saved port is kept, so
 * the next start returns to it.
 */
export async function startOnStablePort<T>(dataDir: string, start: (port: number) => Promise<T>, warn: (message: string) => void = console.warn): Promise<T> {
  const { port, saved } = await savedMockPort(dataDir);
  try {
    const started = await start(port);
    if (!saved) await writeFileAtomic(path.join(dataDir, PORT_FILE), `${JSON.stringify({ port })}\n`).catch(() => undefined);
    return started;
  } catch (error) {
    // listen()'s own error, or an AppError (MOCK_LISTEN_FAILED from a mock thread) carrying it as the cause.
    const code = error instanceof AppError ? (error.cause as NodeJS.ErrnoException | undefined)?.code : (error as NodeJS.ErrnoException).code;
    if (code !== 'EADDRINUSE' && code !== 'EACCES') throw error;
    const fallback = await start(0);
    warn(
      `Port ${port} untuk AMS tiruan dipakai program lain; sesi ini memakai port lain. Permintaan yang dibuat di port ${port} ditemukan lagi setelah port itu bebas dan aplikasi dibuka ulang (port dapat diubah di ${path.join(dataDir, PORT_FILE)}). / ` +
        `Port ${port} for the mock AMS is taken by another program; this session uses another port. Requests made at port ${port} are found again once that port is free and the app restarts (the port can be changed in ${path.join(dataDir, PORT_FILE)}).`,
    );
    return fallback;
  }
}
