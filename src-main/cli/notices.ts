import { bilingualMessage, type AppError } from '../../src/contract/errors';
import type { CliIo } from './args';

/**
 * Warnings a command's stores raised on the way (a damaged ledger or settings
 * file set aside): printed as `WARNING CODE: message` lines after the command's
 * own output or error. Small on purpose: the dispatcher imports it.
 */
const sources: { notices: AppError[] }[] = [];

export function watchNotices(source: { notices: AppError[] }): void {
  sources.push(source);
}

export function reportNotices(io: CliIo): void {
  for (const source of sources) for (const notice of source.notices.splice(0)) io.err(`WARNING ${notice.code}: ${bilingualMessage(notice.toData())}`);
}
