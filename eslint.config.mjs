// Lint, and the boundaries of docs/STYLE.md: which code may import what.
import js from '@eslint/js';
import reactHooks from 'eslint-plugin-react-hooks';
import globals from 'globals';
import tseslint from 'typescript-eslint';

const nodeBuiltins = ['node:*', 'fs', 'fs/*', 'path', 'os', 'crypto', 'child_process', 'http', 'https', 'net', 'util', 'stream', 'url', 'worker_threads'];
const noElectron = { group: ['electron'], message: 'Only src-main/electron/ imports electron.' };

export default tseslint.config(
  { ignores: ['bin/**', 'dist/**', 'reports/**', '.stryker-tmp/**', 'stryker-setup-*.js', 'release/**', 'node_modules/**', 'test-results/**', 'playwright-report/**'] },
  js.configs.recommended,
  ...tseslint.configs.recommended,
  {
    languageOptions: { globals: { ...globals.node } },
    rules: {
      '@typescript-eslint/no-unused-vars': ['error', { argsIgnorePattern: '^_', varsIgnorePattern: '^_', destructuredArrayIgnorePattern: '^_' }],
      '@typescript-eslint/consistent-type-imports': ['error', { fixStyle: 'inline-type-imports' }],
      'no-console': 'off',
    },
  },
  {
    files: ['src/**/*.ts'],
    rules: {
      'no-restricted-imports': [
        'error',
        {
          patterns: [
            noElectron,
            { group: nodeBuiltins, message: 'src/ is shared with the renderer: no Node APIs.' },
            { group: ['react', 'react-dom', '**/src-main/**', '**/src-renderer/**'], message: 'src/ depends on nothing above it.' },
          ],
        },
      ],
    },
  },
  {
    files: ['src-main/**/*.ts'],
    ignores: ['src-main/electron/**'],
    rules: { 'no-restricted-imports': ['error', { patterns: [noElectron, { group: ['**/src-renderer/**'], message: 'Main code never imports the renderer.' }] }] },
  },
  {
    // ARCHITECTURE.md: a service never starts a server; the shells compose "start the mock, then the core".
    files: ['src-main/services/**/*.ts', 'src-main/storage/**/*.ts'],
    rules: {
      'no-restricted-imports': [
        'error',
        {
          patterns: [
            noElectron,
            { group: ['**/src-renderer/**'], message: 'Main code never imports the renderer.' },
            { group: ['**/mock-ams/**'], message: 'Services never import the mock AMS: a shell starts it (src-main/compose.ts).' },
          ],
        },
      ],
    },
  },
  {
    files: ['src-main/test-host/bridge.ts'],
    languageOptions: { globals: { ...globals.browser } },
  },
  {
    files: ['src-renderer/**/*.{ts,tsx}'],
    languageOptions: { globals: { ...globals.browser } },
    plugins: { 'react-hooks': reactHooks },
    rules: {
      ...reactHooks.configs.recommended.rules,
      'no-restricted-imports': [
        'error',
        {
          patterns: [
            noElectron,
            { group: nodeBuiltins, message: 'The renderer has no Node: reach the main side through window.lock.' },
            { group: ['**/src-main/**'], message: 'The renderer reaches the main side only through window.lock.' },
          ],
        },
      ],
    },
  },
);
