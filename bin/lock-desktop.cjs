#!/usr/bin/env node
'use strict';
// The CLI is built by `npm run build` into dist/cli.
const { runCli } = require('../dist/cli/cli.cjs');
runCli(process.argv.slice(2)).then((code) => process.exit(code));
