// Builds everything `npm start`, the CLI, the tests and the bench need into dist/.
import { build } from 'esbuild';
import { execFileSync } from 'node:child_process';
import { createHash } from 'node:crypto';
import { readdirSync, readFileSync, renameSync, rmSync, writeFileSync } from 'node:fs';
import { readFile } from 'node:fs/promises';
import { createRequire } from 'node:module';
import path from 'node:path';
import { generateIcons } from './icons.mjs';

rmSync('dist', { recursive: true, force: true });
execFileSync(process.execPath, ['node_modules/vite/bin/vite.js', 'build', '--logLevel', 'warn'], { stdio: 'inherit' });

/**
 * axios reads globalThis.FormData, Request and Response when it is imported
 * (its fetch adapter and its FormData check), and each makes Node load its
 * whole fetch implementation (undici): ~40–80 ms of every CLI and app start.
 * The app only ever uses axios's http adapter and never sends FormData, so the
 * fetch adapter is replaced by one that says "not available", and the FormData
 * check keeps only its duck typing (no instanceof the global). The build fails if axios changes
 * these lines (tests/integration/cli.test.ts checks undici stays unloaded).
 */
const AXIOS_NODE_FORMDATA = "import FormData from 'form-data';\n\nexport default FormData;";
const AXIOS_FORMDATA = "const FormDataCtor = typeof G.FormData !== 'undefined' ? G.FormData : undefined;";
const AXIOS_HTTP_LAZY = [
  [
    "import HttpsProxyAgent from 'https-proxy-agent';",
    [
      "function HttpsProxyAgent(...args) { return new (require('https-proxy-agent'))(...args); }",
      "Object.defineProperty(HttpsProxyAgent, Symbol.hasInstance, { value: (agent) => agent instanceof require('https-proxy-agent') });",
    ].join('\n'),
  ],
  ["import followRedirects from 'follow-redirects';", ''],
  ['const { http: httpFollow, https: httpsFollow } = followRedirects;', ''],
  ['transport = isHttpsRequest ? httpsFollow : httpFollow;', "transport = require('follow-redirects')[isHttpsRequest ? 'https' : 'http'];"],
];
const axiosWithoutFetch = {
  name: 'axios-without-fetch',
  setup(b) {
    b.onResolve({ filter: /^\.\/fetch\.js$/ }, (args) =>
      /axios[\\/]lib[\\/]adapters[\\/]adapters\.js$/.test(args.importer) ? { path: new URL('./axios-no-fetch.mjs', import.meta.url).pathname } : undefined,
    );
    b.onLoad({ filter: /axios[\\/]lib[\\/]utils\.js$/ }, async (args) => {
      const source = await readFile(args.path, 'utf8');
      if (!source.includes(AXIOS_FORMDATA)) throw new Error(`axios-without-fetch: ${args.path} changed; review scripts/build.mjs`);
      const lazy = source
        .replace(AXIOS_FORMDATA, '')
        .replace('if (FormDataCtor && thing instanceof FormDataCtor) return true;', '');
      return { contents: lazy, loader: 'js' };
    });
    // Its http adapter imports follow-redirects and its own https-proxy-agent (with agent-base,
    // debug, supports-color, node:assert and node:tty: ~25 ms of every AMS command) at the top;
    // the app sets maxRedirects 0 and proxy false, so neither runs. Both are now required on first use.
    b.onLoad({ filter: /axios[\\/]lib[\\/]adapters[\\/]http\.js$/ }, async (args) => {
      let source = await readFile(args.path, 'utf8');
      for (const [from, to] of AXIOS_HTTP_LAZY) {
        if (!source.includes(from)) throw new Error(`axios-without-fetch: ${args.path} changed; review scripts/build.mjs`);
        source = source.replace(from, to);
      }
      return { contents: source, loader: 'js', resolveDir: path.dirname(args.path) };
    });
    // Its node FormData class is the form-data package, whose mime-types database costs ~20 ms at
    // import; it is now required the first time a FormData is made (never, in this app).
    b.onLoad({ filter: /axios[\\/]lib[\\/]platform[\\/]node[\\/]classes[\\/]FormData\.js$/ }, async (args) => {
      const source = await readFile(args.path, 'utf8');
      if (source.trim() !== AXIOS_NODE_FORMDATA) throw new Error(`axios-without-fetch: ${args.path} changed; review scripts/build.mjs`);
      return {
        contents: "export default class FormData { constructor(...args) { return new (require('form-data'))(...args); } }",
        loader: 'js',
        resolveDir: path.dirname(args.path),
      };
    });
  },
};

/**
 * A bundle requires each Node built-in where the module importing it starts,
 * even when only a rare path uses it: axios's http adapter imports https and
 * http2 at its top, so every look-up over http:// would load TLS and HTTP/2.
 * In the CLI, these few are objects of getters (and setters) that require the
 * real module on first use; copying their exports into a namespace (esbuild's
 * __toESM) runs none of them. Only these: every built-in made lazy cost
 * bundle-p12 3 ms more than it saved (measured), for the getters copied.
 */
const LAZY_BUILTINS = ['https', 'http2', 'tls'];
const requireAtBuild = createRequire(import.meta.url);
function lazyBuiltin(name) {
  const accessors = Object.getOwnPropertyNames(requireAtBuild(`node:${name}`)).map((key) => {
    const k = JSON.stringify(key);
    return `${k}: { get: () => load()[${k}], set: (value) => { load()[${k}] = value; }, enumerable: true }`;
  });
  return `let real; const load = () => (real ??= require('node:${name}'));\nmodule.exports = Object.defineProperties({}, {\n${accessors.join(',\n')}\n});`;
}
const lazyBuiltins = {
  name: 'lazy-builtins',
  setup(b) {
    b.onResolve({ filter: new RegExp(`^(node:)?(${LAZY_BUILTINS.join('|')})$`) }, (args) =>
      args.namespace === 'lazy-builtin' ? { path: `node:${args.path.replace(/^node:/, '')}`, external: true } : { path: args.path.replace(/^node:/, ''), namespace: 'lazy-builtin' },
    );
    b.onLoad({ filter: /.*/, namespace: 'lazy-builtin' }, (args) => ({ contents: lazyBuiltin(args.path), loader: 'js' }));
  },
};

/**
 * One non-ASCII character anywhere in a file makes Node decode all of it as
 * UTF-8 into a two-byte string: ~14 ms of every CLI start went to decoding
 * zod's and axios's code for an em dash and a § in their comments. esbuild
 * escapes non-ASCII in strings but keeps comments as written; in the CLI's
 * files, such characters in comments become '?', and anywhere else stop the build.
 */
function asciiOnlyComments(dir) {
  for (const file of readdirSync(dir, { recursive: true }).filter((name) => name.endsWith('.cjs'))) {
    const text = readFileSync(path.join(dir, file), 'utf8');
    if (!/[\u0080-\uffff]/.test(text)) continue;
    const lines = text.split('\n').map((line, i) =>
      line.replace(/[\u0080-\uffff]/g, (_char, at) => {
        if (line.slice(0, at).includes('//') || /^\s*(\/\*|\*)/.test(line)) return '?';
        throw new Error(`${file}:${i + 1}: a non-ASCII character outside a comment; escape it (see asciiOnlyComments)`);
      }),
    );
    writeFileSync(path.join(dir, file), lines.join('\n'));
  }
}

/**
 * The CLI as one CommonJS file per command module (dist/cli/<module>.cjs): the
 * dispatcher with only that command, and what the command may need, inside
 * (one copy of each module: the notices one list), but for the parts listed in
 * CLI_PARTS. One file starts faster than a graph of ES-module chunks
 * (bundle-p12: 49.6 ms against 55.1, 31 interleaved cold runs). Each is written
 * as the function bin/cli-start.cjs compiles and calls. dist/cli/cli.cjs (no
 * command) answers --help and mistakes; dist/cli/route.cjs tells
 * bin/cli-start.cjs which file to load.
 */
function cliBuilds() {
  const cli = {
    ...node,
    plugins: [axiosWithoutFetch, lazyBuiltins],
    // form-data (with mime-db, 270 KB) is never used here: axios's FormData shim above requires it if a FormData is ever made.
    external: [...node.external, 'form-data'],
  };
  // In one command's file, main.ts's import of every other command is a stub that is never called (route.ts agrees).
  const onlyCommand = (keep) => ({
    name: 'only-command',
    setup(b) {
      b.onResolve({ filter: /^\.\/commands\// }, (args) =>
        path.basename(args.path) === keep || !/[\\/]src-main[\\/]cli[\\/]main\.ts$/.test(args.importer) ? undefined : { path: path.basename(args.path), namespace: 'other-command' },
      );
      b.onLoad({ filter: /.*/, namespace: 'other-command' }, (args) => ({
        contents: `export function run() { throw new Error('${args.path} runs from dist/cli/${args.path}.cjs'); }`,
        loader: 'js',
      }));
    },
  });
  const modules = readdirSync('src-main/cli/commands').map((file) => path.basename(file, '.ts'));
  return [
    build({ ...cli, entryPoints: ['src-main/cli/route.ts'], outfile: `${CLI_PARTIAL}/route.cjs` }),
    ...[...new Set(Object.values(CLI_PARTS).flat())].map((part) =>
      build({ ...cli, entryPoints: [`src-main/services/${part}.ts`], outfile: `${CLI_PARTIAL}/parts/${part}.cjs` }),
    ),
    ...['cli', ...modules].map((module) =>
      build({
        ...cli,
        plugins: [...cli.plugins, onlyCommand(module), partsOf(module)],
        // Written as the function bin/cli-start.cjs compiles and calls: a second copy of the source with the wrapper around it
        // cost every start a megabyte of string and, now and then, a garbage collection.
        banner: { js: '(function (exports, require, module, __filename, __dirname) {' },
        footer: { js: '})' },
        entryPoints: ['src-main/cli/main.ts'],
        outfile: `${CLI_PARTIAL}/${module}.cjs`,
      }),
    ),
  ];
}

/**
 * digests.json: each CLI file's SHA-256, which names the code V8 compiled for
 * it in bin/cli-start.cjs's cache (V8 itself compares only the source's length).
 */
function writeDigests(dir) {
  const digests = {};
  for (const file of readdirSync(dir).filter((name) => name.endsWith('.cjs'))) {
    digests[path.basename(file, '.cjs')] = createHash('sha256').update(readFileSync(path.join(dir, file))).digest('hex');
  }
  writeFileSync(path.join(dir, 'digests.json'), `${JSON.stringify(digests, null, 1)}\n`);
}

/**
 * What a command needs only sometimes, in files of their own (dist/cli/parts),
 * required the first time it imports them: bundle-p12 opens the ledger only for
 * a chain its certificate file lacks and asks AMS only with --server. Inside
 * the command's file their code (SQLite, zod, axios) was most of what V8 keeps
 * compiled for it and reads at every start (263 KB against 140 KB; 2 ms of a
 * 45 ms .p12). Each part holds its own copy of the modules it shares with the
 * command: AppError and the write-fault count are one per process all the same
 * (src/contract/errors.ts, src-main/storage/write-faults.ts).
 */
const CLI_PARTS = { 'bundle-p12': ['request-ledger', 'ams-client'] };
const partsOf = (module) => ({
  name: 'command-parts',
  setup(b) {
    const parts = CLI_PARTS[module] ?? [];
    b.onResolve({ filter: /^\.\.\/\.\.\/services\// }, (args) =>
      args.kind === 'dynamic-import' && parts.includes(path.basename(args.path)) ? { path: path.basename(args.path), namespace: 'cli-part' } : undefined,
    );
    // __dirname is dist/cli, where the command's own file is.
    b.onLoad({ filter: /.*/, namespace: 'cli-part' }, (args) => ({
      contents: `module.exports = require(require('node:path').join(__dirname, 'parts', ${JSON.stringify(`${args.path}.cjs`)}));`,
      loader: 'js',
    }));
  },
});

/** The CLI is built here and renamed to dist/cli whole: a build killed half-way leaves no half-written CLI (bin says NOT_BUILT). */
const CLI_PARTIAL = 'dist/cli.partial';

const node = {
  plugins: [axiosWithoutFetch],
  bundle: true,
  platform: 'node',
  target: 'node22',
  format: 'cjs',
  sourcemap: 'linked',
  logLevel: 'warning',
  // Native addons load from node_modules; electron and node:sqlite are provided by the runtime.
  external: ['electron', 'pkcs11js', 'keytar', 'node:sqlite'],
  // native-require.ts reads import.meta only outside CommonJS.
  logOverride: { 'empty-import-meta': 'silent' },
};

await Promise.all([
  build({ ...node, entryPoints: ['src-main/electron/main.ts'], outfile: 'dist/main/main.cjs' }),
  // Sandboxed preload: one CommonJS file, no chunks, only `electron` left to require.
  build({ ...node, entryPoints: ['src-main/electron/preload.ts'], outfile: 'dist/preload/preload.cjs', target: 'chrome130', sourcemap: false }),
  ...cliBuilds(),
  build({ ...node, entryPoints: ['src-main/services/pkcs11/pkcs11-worker.ts'], outfile: 'dist/worker/pkcs11-worker.cjs' }),
  build({ ...node, entryPoints: ['src-main/mock-ams/mock-worker.ts'], outfile: 'dist/worker/mock-worker.cjs' }),
  build({ ...node, entryPoints: ['src-main/mock-ams/mock-utility.ts'], outfile: 'dist/worker/mock-utility.cjs' }),
  build({ ...node, entryPoints: ['src-main/services/crypto-worker.ts'], outfile: 'dist/worker/crypto-worker.cjs' }),
  build({ ...node, entryPoints: ['src-main/test-host/main.ts'], outfile: 'dist/test-host/test-host.cjs' }),
  build({
    entryPoints: ['src-main/test-host/bridge.ts'],
    outfile: 'dist/test-host/bridge.js',
    bundle: true,
    platform: 'browser',
    format: 'iife',
    target: 'chrome130',
    logLevel: 'warning',
  }),
  build({ ...node, entryPoints: ['scripts/bench/bench.ts'], outfile: 'dist/bench/bench.cjs' }),
  build({ ...node, entryPoints: ['scripts/bench/mock-child.ts'], outfile: 'dist/bench/mock-child.cjs' }),
  build({ ...node, entryPoints: ['scripts/bench/refresh-child.ts'], outfile: 'dist/bench/refresh-child.cjs' }),
]);
asciiOnlyComments(CLI_PARTIAL);
writeDigests(CLI_PARTIAL);
renameSync(CLI_PARTIAL, 'dist/cli');

// The app icon for the window, notifications and electron-builder (never committed).
generateIcons('dist/icons');
console.log('built dist/');
