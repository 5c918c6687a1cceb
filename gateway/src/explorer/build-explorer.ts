/**
 * `npm run build:explorer -w @shop/gateway [-- --out DIR]`: builds the explorer
 * bundle exactly as the gateway does on its first page view and prints its
 * files and sizes; with `--out`, also writes them there for inspection. The
 * gateway never reads such a directory: it builds in memory (see
 * explorer-bundle.ts for why), so this is a check that the bundle builds
 * from the installed packages, offline, without starting a gateway.
 */
import { mkdirSync, writeFileSync } from 'node:fs';
import { dirname, join, resolve } from 'node:path';
import { gzipSync } from 'node:zlib';
import { buildExplorerBundle } from './explorer-bundle.ts';

const outIndex = process.argv.indexOf('--out');
const out = outIndex >= 0 ? process.argv[outIndex + 1] : undefined;
if (outIndex >= 0 && !out) {
  console.error('--out needs a directory');
  process.exit(2);
}

const started = Date.now();
const bundle = await buildExplorerBundle();
console.log(`explorer bundle ${bundle.id} built in ${Date.now() - started} ms`);
let total = 0;
let totalGzip = 0;
for (const [name, file] of bundle.files) {
  const gzipped = file.compressible ? gzipSync(file.body).byteLength : file.body.byteLength;
  total += file.body.byteLength;
  totalGzip += gzipped;
  console.log(`  ${name.padEnd(28)} ${(file.body.byteLength / 1024).toFixed(0).padStart(6)} KiB  ${(gzipped / 1024).toFixed(0).padStart(6)} KiB gzip`);
  if (out) {
    const path = join(resolve(out), bundle.id, name);
    mkdirSync(dirname(path), { recursive: true });
    writeFileSync(path, file.body);
  }
}
console.log(`  ${'total'.padEnd(28)} ${(total / 1024).toFixed(0).padStart(6)} KiB  ${(totalGzip / 1024).toFixed(0).padStart(6)} KiB gzip`);
if (out) console.log(`written to ${join(resolve(out), bundle.id)}`);
