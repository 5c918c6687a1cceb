/**
 * `npm run compose`: composes the subgraphs listed in rover.yaml into
 * schema/supergraph.graphql. `--check` fails instead of writing when the
 * committed file differs from a fresh composition.
 */
import { readFileSync, writeFileSync } from 'node:fs';
import { composeSupergraph, SUPERGRAPH_PATH } from './supergraph-config.ts';

const check = process.argv.includes('--check');
let sdl: string;
try {
  sdl = composeSupergraph();
} catch (error) {
  console.error((error as Error).message);
  process.exit(1);
}
const current = (() => {
  try {
    return readFileSync(SUPERGRAPH_PATH, 'utf8');
  } catch {
    return '';
  }
})();
if (check) {
  if (current !== sdl) {
    console.error('schema/supergraph.graphql is stale: run `npm run compose` and commit the result.');
    process.exit(1);
  }
  console.log('schema/supergraph.graphql is up to date.');
} else {
  writeFileSync(SUPERGRAPH_PATH, sdl);
  console.log(current === sdl ? 'schema/supergraph.graphql unchanged.' : 'schema/supergraph.graphql written.');
}
