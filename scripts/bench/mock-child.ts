// The embedded mock AMS for the bench, as the app runs it (a worker thread, its
// resource limits), in a process of its own started with --expose-gc: prints
// its URL and admin key, and answers 'memory' with its usage after a full GC.
import path from 'node:path';
import { startMockThread } from '../../src-main/mock-ams/mock-thread';

const dataDir = process.argv[2]!;
startMockThread({ dataDir, workerFile: path.resolve('dist/worker/mock-worker.cjs') }).then((mock) => {
  console.log(`url ${mock.url}`);
  console.log(`admin ${mock.adminKey}`);
  process.on('message', (message) => {
    if (message !== 'memory') return;
    void mock.memory().then(({ rss, heapUsed, heapTotal }) => process.send!({ rss, heapUsed, heapTotal }));
  });
  process.on('disconnect', () => void mock.close().then(() => process.exit(0)));
});
