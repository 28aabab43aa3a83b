import react from '@vitejs/plugin-react';
import { defineConfig } from 'vite';

// The renderer only: main, preload, CLI and test host are bundled by scripts/build.mjs.
export default defineConfig({
  root: 'src-renderer',
  base: './',
  plugins: [react()],
  build: {
    outDir: '../dist/renderer',
    emptyOutDir: true,
    // No inline scripts or module-preload polyfill: the CSP allows only 'self'.
    modulePreload: { polyfill: false },
    assetsInlineLimit: 0,
    sourcemap: false,
  },
});
