import { parentPort, workerData } from 'node:worker_threads';
import { hostMock } from './mock-host';
import type { MockWorkerMessage, MockWorkerOptions } from './mock-thread';

/** The embedded mock AMS on a worker thread (startMockThread): the test host, the CLI, tests. */
const port = parentPort!;
hostMock({ send: (message: MockWorkerMessage) => port.postMessage(message), onMessage: (listener) => port.on('message', listener) }, workerData as MockWorkerOptions);
