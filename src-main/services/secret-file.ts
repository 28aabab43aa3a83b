import { AppError } from '../../src/contract/errors';
import { firstLineOf, SECRET_FILE_MAX_BYTES, secretFromText, type SecretKind } from '../../src/domain/secret-text';
import { fileFailure } from './atomic-file';
import { files as fs } from './fs-async';

/**
 * Reads a secret (CSR token, password, PIN, admin key) from a file, or from
 * standard input for `-`, the way people write such files: BOM and line ending
 * stripped. A file over 4 KB is refused before it is read whole (so /dev/zero
 * or a log file given by mistake costs nothing); invalid UTF-8 is refused.
 */
export async function readSecretFile(file: string, kind: SecretKind, stdin?: NodeJS.ReadableStream): Promise<string> {
  // process.stdin is touched only for `-`: making the stream costs a CLI start several ms.
  const bytes = file === '-' ? await readBounded(stdin ?? process.stdin, '-') : await readFileBounded(file, SECRET_FILE_MAX_BYTES);
  const text = decodeUtf8(bytes, file);
  // Said as such, not as a weak password, an empty token or a wrong PIN.
  if (firstLineOf(text) === '') throw new AppError('SECRET_FILE_EMPTY', { detail: shown(file) });
  return secretFromText(text, kind);
}

/** A whole small text file (e.g. a user JSON for the mock), bounded at 64 KB. */
export async function readTextFile(file: string, maxBytes = 64 * 1024): Promise<string> {
  return decodeUtf8(await readFileBounded(file, maxBytes), file);
}

async function readFileBounded(file: string, maxBytes: number): Promise<Buffer> {
  let fd: number;
  try {
    fd = await fs.open(file, 'r');
  } catch (cause) {
    throw fileFailure('FILE_READ_FAILED', cause, file);
  }
  try {
    const stat = await fs.fstat(fd);
    if (stat.isDirectory()) throw new AppError('FILE_READ_FAILED', { detail: `${file} is a folder` });
    if (stat.size > maxBytes) throw tooLarge(file, maxBytes);
    // Devices and pipes report size 0: read one byte past the limit to tell.
    const buffer = Buffer.alloc(maxBytes + 1);
    let length = 0;
    for (;;) {
      const { bytesRead } = await fs.read(fd, buffer, length, buffer.length - length, null);
      if (bytesRead === 0) break;
      length += bytesRead;
      if (length > maxBytes) throw tooLarge(file, maxBytes);
    }
    return buffer.subarray(0, length);
  } catch (cause) {
    if (cause instanceof AppError) throw cause;
    throw fileFailure('FILE_READ_FAILED', cause, file);
  } finally {
    await fs.close(fd);
  }
}

async function readBounded(stream: NodeJS.ReadableStream, name: string, maxBytes = SECRET_FILE_MAX_BYTES): Promise<Buffer> {
  const chunks: Buffer[] = [];
  let length = 0;
  for await (const chunk of stream) {
    const bytes = typeof chunk === 'string' ? Buffer.from(chunk) : (chunk as Buffer);
    length += bytes.length;
    if (length > maxBytes) throw tooLarge(shown(name), maxBytes);
    chunks.push(bytes);
  }
  return Buffer.concat(chunks);
}

function decodeUtf8(bytes: Buffer, file: string): string {
  try {
    return new TextDecoder('utf-8', { fatal: true, ignoreBOM: true }).decode(bytes);
  } catch (cause) {
    throw new AppError('FILE_READ_FAILED', { detail: `${shown(file)} is not UTF-8 text`, cause });
  }
}

/** A file as messages name it: `-` is standard input. */
const shown = (file: string) => (file === '-' ? 'standard input' : file);

const tooLarge = (file: string, maxBytes: number) => new AppError('FILE_TOO_LARGE', { detail: `${file}: over ${maxBytes} bytes` });
