import type { IncomingMessage } from 'node:http';
import { Readable } from 'node:stream';
import { MAX_LETTER_BYTES } from '../ams-core';
import { HttpError } from '../http-util';

/** Portal form bodies, read with a size limit before anything is parsed. */
const MAX_FORM_BYTES = 64 * 1024;

/** application/x-www-form-urlencoded, at most 64 KiB. */
export async function readForm(req: IncomingMessage): Promise<URLSearchParams> {
  const chunks: Buffer[] = [];
  let size = 0;
  for await (const chunk of req as AsyncIterable<Buffer>) {
    size += chunk.length;
    if (size > MAX_FORM_BYTES) throw new HttpError(413, 'BAD_REQUEST', 'form too large', 'errFormTooLarge');
    chunks.push(chunk);
  }
  return new URLSearchParams(Buffer.concat(chunks).toString('utf8'));
}

/** multipart/form-data through the platform's own parser (undici's Request). */
export async function readMultipart(req: IncomingMessage): Promise<FormData> {
  const length = Number(req.headers['content-length'] ?? 0);
  if (!length || length > MAX_LETTER_BYTES + 64 * 1024) throw new HttpError(413, 'NOT_ALLOWED', 'letter larger than 2 MB', 'errLetterTooBig');
  const request = new Request('http://portal.invalid/', {
    method: 'POST',
    headers: { 'content-type': String(req.headers['content-type'] ?? '') },
    body: Readable.toWeb(req) as ReadableStream,
    duplex: 'half',
  } as RequestInit);
  try {
    return await request.formData();
  } catch {
    throw new HttpError(400, 'BAD_REQUEST', 'the upload could not be read', 'errUploadUnreadable');
  }
}
