// Sandboxed preload: built as one CommonJS file whose only require is 'electron'.
import { contextBridge, ipcRenderer, type IpcRendererEvent } from 'electron';
import { channelNames, eventNames, ipcChannel } from '../../src/contract/channels';

const api: Record<string, unknown> = {};
for (const name of channelNames) {
  // Only the input crosses; the event object and ipcRenderer never reach the page.
  api[name] = (input: unknown) => ipcRenderer.invoke(ipcChannel(name), input);
}
api['on'] = (event: string, listener: (payload: unknown) => void) => {
  if (!(eventNames as readonly string[]).includes(event)) throw new Error(`unknown event ${event}`);
  const wrapped = (_event: IpcRendererEvent, payload: unknown) => listener(payload);
  ipcRenderer.on(ipcChannel(event), wrapped);
  return () => {
    ipcRenderer.removeListener(ipcChannel(event), wrapped);
  };
};

contextBridge.exposeInMainWorld('lock', Object.freeze(api));
