import { promisify } from 'node:util';
import { brotliCompress, constants as zlib, gzip } from 'node:zlib';
import type { IncomingMessage, ServerResponse } from 'node:http';
import { sendJson, type Logger, type RequestHandler } from '@shop/platform';
import type { GatewayConfig } from '../config.ts';
import { BUNDLE_FILES, buildExplorerBundle, type BundleFile, type ExplorerBundle } from './explorer-bundle.ts';
import { EXPLORER_CSP, renderExplorerPage } from './explorer-page.ts';
import type { ExampleTab } from './explorer-settings.ts';
import { loadExampleTabs } from './example-tabs.ts';

/** The one GraphQL endpoint; the explorer page is what a browser gets there. */
export const GRAPHQL_PATH = '/graphql';
/** Where the bundle's files are served, under the bundle id: `/graphql/explorer/<id>/app.js`. */
export const ASSETS_PATH = `${GRAPHQL_PATH}/explorer`;

export interface ExplorerRoutes {
  /** Wraps the /graphql handler: a browser asking for a page gets the explorer; everything else goes to `graphql`. */
  graphql(graphql: RequestHandler): RequestHandler;
  /** Further routes to register (the bundle's files); none when the explorer is off. */
  routes: Readonly<Record<string, RequestHandler>>;
}

export interface ExplorerDeps {
  logger: Logger;
  /** The tabs the explorer opens with; by default the contract operations (read now, at gateway start). */
  tabs?: readonly ExampleTab[];
  /** Builds the browser bundle; replaced in tests that do not need a real one. */
  build?: () => Promise<ExplorerBundle>;
}

/**
 * A page request, as browsers send it: GET, HTML acceptable, and no GraphQL
 * parameters (a GET carrying `query` or `extensions` is an operation, whatever
 * its Accept says, and stays with Apollo).
 */
export function wantsExplorerPage(req: IncomingMessage): boolean {
  if (req.method !== 'GET' || !(req.headers.accept ?? '').includes('text/html')) return false;
  const search = new URL(req.url ?? '/', 'http://localhost').searchParams;
  return !search.has('query') && !search.has('extensions');
}

/**
 * The GraphiQL explorer, when `config.explorer` is on (by default only
 * outside production): the page at GET /graphql for browsers and its assets
 * under /graphql/explorer/. When off, nothing is added and browsers get
 * Apollo's normal answer to a GET without a query.
 */
export function createExplorerRoutes(config: Pick<GatewayConfig, 'explorer'>, deps: ExplorerDeps): ExplorerRoutes {
  if (!config.explorer) return { graphql: (graphql) => graphql, routes: {} };
  const { logger } = deps;
  const tabs = deps.tabs ?? loadExampleTabs();
  const build = deps.build ?? buildExplorerBundle;

  let bundle: Promise<ExplorerBundle> | undefined;
  const currentBundle = () => {
    if (!bundle) {
      const started = Date.now();
      bundle = build().then(
        (built) => {
          const bytes = [...built.files.values()].reduce((sum, file) => sum + file.body.byteLength, 0);
          logger.info({ id: built.id, files: built.files.size, bytes, ms: Date.now() - started }, 'explorer bundle built');
          return built;
        },
        (error: unknown) => {
          // Forget the failure so that the next request tries again.
          bundle = undefined;
          throw error;
        },
      );
    }
    return bundle;
  };

  const pages = new Map<string, string>();
  const pageFor = (built: ExplorerBundle) => {
    let page = pages.get(built.id);
    if (!page) {
      const base = `${ASSETS_PATH}/${built.id}`;
      page = renderExplorerPage({
        title: 'Shop supergraph explorer',
        scriptUrl: `${base}/${BUNDLE_FILES.script}`,
        stylesUrl: `${base}/${BUNDLE_FILES.styles}`,
        settings: {
          endpoint: GRAPHQL_PATH,
          workers: {
            editor: `${base}/${BUNDLE_FILES.workers.editor}`,
            json: `${base}/${BUNDLE_FILES.workers.json}`,
            graphql: `${base}/${BUNDLE_FILES.workers.graphql}`,
          },
          tabs,
          defaultQuery: '# Write an operation here, or start from a contract operation in the other tabs.\n',
        },
      });
      pages.set(built.id, page);
    }
    return page;
  };

  const withBundle = async (res: ServerResponse, serve: (built: ExplorerBundle) => void | Promise<void>) => {
    let built: ExplorerBundle;
    try {
      built = await currentBundle();
    } catch (error) {
      logger.error({ err: error }, 'explorer bundle failed to build');
      res.writeHead(500, { 'content-type': 'text/plain; charset=utf-8', 'cache-control': 'no-store' });
      res.end('The explorer could not be built; the gateway log says why.\n');
      return;
    }
    await serve(built);
  };

  const page: RequestHandler = (_req, res) =>
    withBundle(res, (built) => {
      const html = pageFor(built);
      res.writeHead(200, {
        'content-type': 'text/html; charset=utf-8',
        'content-length': Buffer.byteLength(html),
        // The same URL answers GraphQL GETs: caches must key on Accept and never keep the page.
        'cache-control': 'no-store',
        vary: 'accept',
        'content-security-policy': EXPLORER_CSP,
        'x-content-type-options': 'nosniff',
        'referrer-policy': 'no-referrer',
      });
      res.end(html);
    });

  const encodings = new Map<string, Promise<Uint8Array>>();
  const encoded = (id: string, name: string, file: BundleFile, encoding: 'br' | 'gzip') => {
    const key = `${id}/${name}:${encoding}`;
    let body = encodings.get(key);
    if (!body) {
      // Brotli at quality 5 compresses Monaco's 3 MB in about 0.1 s, within a few percent of the slow maximum.
      body = encoding === 'br' ? promisify(brotliCompress)(file.body, { params: { [zlib.BROTLI_PARAM_QUALITY]: 5 } }) : promisify(gzip)(file.body);
      encodings.set(key, body);
    }
    return body;
  };

  const assets: RequestHandler = async (req, res) => {
    if (req.method !== 'GET' && req.method !== 'HEAD') {
      return sendJson(res, 405, { error: 'method not allowed' }, { allow: 'GET, HEAD' });
    }
    const path = (req.url ?? '/').split('?')[0] ?? '/';
    const [id, ...rest] = path.slice(ASSETS_PATH.length + 1).split('/');
    const name = rest.join('/');
    await withBundle(res, async (built) => {
      const file = id === built.id ? built.files.get(name) : undefined;
      // Another id is another build (an older gateway version): its files are gone, not to be mixed with these.
      if (!file) return sendJson(res, 404, { error: `no explorer asset ${path}` }, { 'cache-control': 'no-store' });
      const accepted = req.headers['accept-encoding'] ?? '';
      const encoding = !file.compressible ? undefined : /\bbr\b/.test(accepted) ? 'br' : /\bgzip\b/.test(accepted) ? 'gzip' : undefined;
      const body = encoding ? await encoded(built.id, name, file, encoding) : file.body;
      res.writeHead(200, {
        'content-type': file.contentType,
        'content-length': body.byteLength,
        // The URL names the build, so its content never changes.
        'cache-control': 'public, max-age=31536000, immutable',
        vary: 'accept-encoding',
        'x-content-type-options': 'nosniff',
        ...(encoding ? { 'content-encoding': encoding } : {}),
      });
      res.end(req.method === 'HEAD' ? undefined : body);
    });
  };

  return {
    graphql: (graphql) => (req, res) => (wantsExplorerPage(req) ? page(req, res) : graphql(req, res)),
    routes: { [`${ASSETS_PATH}/*`]: assets },
  };
}
