import { createHash } from 'node:crypto';
import { createRequire } from 'node:module';
import { basename, dirname, extname } from 'node:path';
import { fileURLToPath } from 'node:url';
import type { BuildOptions } from 'esbuild';

/**
 * The explorer's browser bundle (GraphiQL 5, React, Monaco and its workers),
 * built from npm packages with esbuild, in memory, the first time a browser
 * asks for the explorer, and kept for the life of the process.
 *
 * Why built on demand rather than committed or built by a script: the output
 * is about 7 MB of minified code (Monaco alone is 3.4 MB), which does not
 * belong in git and would need a check that it is current; a separate build
 * step would break `npm ci && npm start`. esbuild builds it in 1-4 s
 * (measured here), so the first page view waits that long once per process,
 * gateway start is unaffected, and a gateway with the explorer off never
 * loads esbuild. Nothing is written to disk, so it also works in a read-only
 * container, and nothing can go stale: the bundle always matches the
 * installed packages. (Hence esbuild is a runtime dependency of the gateway.)
 */
export interface ExplorerBundle {
  /**
   * A hash of every file: part of each asset URL, so browsers and the CDN may
   * cache them forever. esbuild's output is deterministic, so every replica
   * of one gateway version has the same id and can serve another's page.
   */
  readonly id: string;
  readonly files: ReadonlyMap<string, BundleFile>;
}

export interface BundleFile {
  readonly contentType: string;
  readonly body: Uint8Array;
  /** Worth compressing on the wire (text and uncompressed fonts). */
  readonly compressible: boolean;
}

/** The bundle's entry files, by the name the page and app.tsx refer to them. */
export const BUNDLE_FILES = {
  script: 'app.js',
  styles: 'app.css',
  workers: { editor: 'editor.worker.js', json: 'json.worker.js', graphql: 'graphql.worker.js' },
} as const;

const CLIENT_DIR = fileURLToPath(new URL('../../explorer/', import.meta.url));

const CONTENT_TYPES: Readonly<Record<string, [type: string, compressible: boolean]>> = {
  '.js': ['text/javascript; charset=utf-8', true],
  '.css': ['text/css; charset=utf-8', true],
  '.ttf': ['font/ttf', true],
  '.woff': ['font/woff', false],
  '.woff2': ['font/woff2', false],
  '.svg': ['image/svg+xml', true],
  '.png': ['image/png', false],
};

/**
 * Monaco's workers must come from the very monaco-editor copy GraphiQL's
 * editor uses, so they are resolved from @graphiql/react's own directory
 * (graphiql -> @graphiql/react -> monaco-editor, monaco-graphql).
 */
function graphiqlReactDir(): string {
  const fromGraphiql = createRequire(fileURLToPath(import.meta.resolve('graphiql/package.json')));
  return dirname(fromGraphiql.resolve('@graphiql/react/package.json'));
}

export async function buildExplorerBundle(): Promise<ExplorerBundle> {
  // Imported here rather than at the top so that only a gateway serving the explorer loads it.
  const esbuild = await import('esbuild');
  const outdir = `${CLIENT_DIR}dist`;
  const common = {
    bundle: true,
    minify: true,
    write: false as const,
    outdir,
    target: 'es2022',
    define: { 'process.env.NODE_ENV': '"production"' },
    logLevel: 'silent',
  } satisfies BuildOptions;
  const [app, workers] = await Promise.all([
    esbuild.build({
      ...common,
      absWorkingDir: CLIENT_DIR,
      entryPoints: { app: './app.tsx' },
      format: 'iife',
      jsx: 'automatic',
      loader: { '.ttf': 'file', '.woff': 'file', '.woff2': 'file', '.svg': 'file', '.png': 'file' },
    }),
    esbuild.build({
      ...common,
      absWorkingDir: graphiqlReactDir(),
      entryPoints: {
        [basename(BUNDLE_FILES.workers.editor, '.js')]: 'monaco-editor/esm/vs/editor/editor.worker.js',
        [basename(BUNDLE_FILES.workers.json, '.js')]: 'monaco-editor/esm/vs/language/json/json.worker.js',
        [basename(BUNDLE_FILES.workers.graphql, '.js')]: 'monaco-graphql/esm/graphql.worker.js',
      },
      format: 'iife',
    }),
  ]);
  const files = new Map<string, BundleFile>();
  const hash = createHash('sha256');
  for (const output of [...app.outputFiles, ...workers.outputFiles].sort((a, b) => a.path.localeCompare(b.path))) {
    const name = output.path.slice(outdir.length + 1);
    const [contentType, compressible] = CONTENT_TYPES[extname(name)] ?? ['application/octet-stream', false];
    files.set(name, { contentType, body: output.contents, compressible });
    hash.update(name).update(output.contents);
  }
  for (const required of [BUNDLE_FILES.script, BUNDLE_FILES.styles, ...Object.values(BUNDLE_FILES.workers)]) {
    if (!files.has(required)) throw new Error(`the explorer bundle has no ${required}`);
  }
  return { id: hash.digest('hex').slice(0, 16), files };
}
