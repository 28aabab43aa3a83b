#!/usr/bin/env node
// Only syntax every Node parses (tests/unit/bin-syntax.test.ts): an old Node must get this far and say so.
'use strict';
var version = process.versions.node;
var major = Number(version.split('.')[0]);
var minor = Number(version.split('.')[1]);
// node:sqlite (the request ledger) needs no flag from Node 22.13 and 23.4; a version that does not parse is refused.
if (!(major > 23 || (major === 23 && minor >= 4) || (major === 22 && minor >= 13))) {
  process.stderr.write(
    'UNSUPPORTED_NODE: lock-desktop memerlukan Node.js 22.13 atau lebih baru (pada seri 23: 23.4 atau lebih baru); ini Node.js ' + version + '.' +
      ' / lock-desktop needs Node.js 22.13 or newer (on the 23 line: 23.4 or newer); this is Node.js ' + version + '.\n'
  );
  process.exit(1);
}
require('./cli-start.cjs');
