// The mock AMS for the bench, in its own process (started with --expose-gc):
// prints its URL and admin key, and answers 'memory' with its usage after a full GC.
import { startMockAms } from '../../src-main/mock-ams/server';

const dataDir = process.argv[2]!;
startMockAms({ dataDir }).then((mock) => {
  console.log(`url ${mock.url}`);
  console.log(`admin ${mock.adminKey}`);
  process.on('message', (message) => {
    if (message !== 'memory') return;
    (globalThis as { gc?: () => void }).gc?.();
    const { rss, heapUsed } = process.memoryUsage();
    process.send!({ rss, heapUsed });
  });
  process.on('disconnect', () => void mock.close().then(() => process.exit(0)));
});
