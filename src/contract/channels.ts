/**
 * Channel and event names alone, for the preload, which must stay one small
 * CommonJS file without zod. The type check below fails if this list and the
 * contract ever differ.
 */
import type { Channel, EventName } from './api';

export const channelNames = [
  'app.info',
  'app.quit',
  'app.setLanguage',
  'app.openAmsPage',
  'clipboard.readText',
  'request.lookup',
  'request.submit',
  'pkcs11.drivers',
  'pkcs11.chooseDriver',
  'pkcs11.browseDriver',
  'pkcs11.tokens',
  'demo.newRequest',
  'ledger.refresh',
  'download.findToken',
  'download.keyToken',
  'download.run',
  'download.tokenCertificates',
  'download.removeTokenCertificate',
  'request.discard',
  'output.info',
  'output.choose',
  'output.set',
  'output.open',
  'bundle.keys',
  'bundle.pickFile',
  'bundle.create',
  'settings.get',
  'settings.set',
] as const satisfies readonly Channel[];

export const eventNames = ['request.onDidProgress', 'download.onDidProgress', 'settings.onDidRequestOpen', 'app.onDidNotify'] as const satisfies readonly EventName[];

// Both directions: every contract channel is listed, and nothing else is.
type Missing = Exclude<Channel, (typeof channelNames)[number]>;
type MissingEvent = Exclude<EventName, (typeof eventNames)[number]>;
export const channelsComplete: [Missing, MissingEvent] extends [never, never] ? true : never = true;

/** IPC channel name for a contract channel; one prefix so the preload can refuse anything else. */
export const ipcChannel = (name: string): string => `lock:${name}`;
