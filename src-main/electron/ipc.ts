import { ipcMain, Notification, type IpcMainInvokeEvent } from 'electron';
import { channelNames, ipcChannel } from '../../src/contract/channels';
import type { Dispatch } from '../services/api-dispatch';
import { RENDERER_ORIGIN } from './window';

/**
 * Registers one handler per contract channel. A call is served only when it
 * comes from our window's main frame on app://lock; its input is validated by
 * the dispatcher before any service sees it.
 */
export function registerIpc(dispatch: Dispatch, isOurWindow: (event: IpcMainInvokeEvent) => boolean): void {
  for (const name of channelNames) {
    ipcMain.handle(ipcChannel(name), async (event, input: unknown) => {
      if (!isTrustedSender(event, isOurWindow)) {
        return { ok: false, error: { code: 'INPUT_INVALID', detail: 'untrusted sender' } };
      }
      return dispatch(name, input, {
        emit: (eventName, payload) => {
          // Notices are for the desktop, seen even with the window in the background.
          if (eventName === 'app.onDidNotify' && Notification.isSupported()) {
            const { title, body } = payload as { title: string; body: string };
            new Notification({ title, body }).show();
          }
          if (!event.sender.isDestroyed()) event.sender.send(ipcChannel(eventName), payload);
        },
      });
    });
  }
}

export function isTrustedSender(event: IpcMainInvokeEvent, isOurWindow: (event: IpcMainInvokeEvent) => boolean): boolean {
  const frame = event.senderFrame;
  if (!frame || frame.parent !== null) return false;
  let url: URL;
  try {
    url = new URL(frame.url);
  } catch {
    return false;
  }
  // WHATWG URL gives custom schemes an opaque origin, so compare scheme and host.
  return `${url.protocol}//${url.host}` === RENDERER_ORIGIN && isOurWindow(event);
}
