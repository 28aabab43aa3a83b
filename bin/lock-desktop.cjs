#!/usr/bin/env node
'use strict';
// The CLI is built by `npm run build` into dist/cli (ES modules, one chunk per command).
// Node's compile cache keeps the compiled code between runs (Node >= 22.1; a no-op before).
require('node:module').enableCompileCache?.();
import('../dist/cli/cli.mjs')
  .then(({ runCli }) => runCli(process.argv.slice(2)))
  .then((code) => process.exit(code));
