/**
 * `npm run persisted-queries`: writes schema/persisted-queries.json from
 * schema/operations. `--check` fails when the committed file is not current.
 */
import { readFileSync, writeFileSync } from 'node:fs';
import { buildManifest, MANIFEST_PATH, serializeManifest } from './persisted-queries.ts';

const text = serializeManifest(buildManifest());
let current = '';
try {
  current = readFileSync(MANIFEST_PATH, 'utf8');
} catch {
  // no manifest yet
}
if (process.argv.includes('--check')) {
  if (current !== text) {
    console.error('schema/persisted-queries.json is stale: run `npm run persisted-queries` and commit it.');
    process.exit(1);
  }
  console.log('schema/persisted-queries.json is up to date.');
} else {
  writeFileSync(MANIFEST_PATH, text);
  console.log(current === text ? 'schema/persisted-queries.json unchanged.' : 'schema/persisted-queries.json written.');
}
