import path from 'node:path';
import { startElectronApp } from './app';

// dist/main/main.cjs → dist/
startElectronApp(path.resolve(__dirname, '..')).catch((error: unknown) => {
  console.error('LOCK Desktop failed to start', error);
  process.exit(1);
});
