import { hostMock } from './mock-host';
import type { MockWorkerOptions } from './mock-thread';

/**
 * The embedded mock AMS in an Electron utility process (its own OS process,
 * started by the app's shell): options in argv[2] as JSON, messages over
 * process.parentPort. It never imports electron: parentPort is Node's process
 * object as Electron extends it.
 */
interface ParentPort {
  postMessage(message: unknown): void;
  on(event: 'message', listener: (event: { data: { type: string } }) => void): void;
}

const parentPort = (process as unknown as { parentPort?: ParentPort }).parentPort;
if (!parentPort) throw new Error('mock-utility runs only as an Electron utility process');
const options = JSON.parse(process.argv[2] ?? '{}') as MockWorkerOptions;
hostMock(
  { send: (message) => parentPort.postMessage(message), onMessage: (listener) => parentPort.on('message', (event) => listener(event.data)) },
  options,
  () => process.exit(0),
);
