import { createHttpService, healthHandler, readinessHandler, type HttpService, type ReadinessCheck, type RequestHandler } from './http.ts';
import type { Logger } from './logger.ts';
import { renderMetrics } from './metrics.ts';

export interface OpsServerOptions {
  logger: Logger;
  /** The service's readiness checks (PostgreSQL, Redis, the supergraph ...), read at each probe: they change once the service has started. */
  readiness: () => readonly ReadinessCheck[];
  /** True once the process is shutting down: readiness answers 503 `draining`. */
  isDraining: () => boolean;
}

const metricsHandler: RequestHandler = async (_req, res) => {
  const { contentType, body } = await renderMetrics();
  res.writeHead(200, { 'content-type': contentType, 'cache-control': 'no-store' });
  res.end(body);
};

/**
 * The operator's port (METRICS_PORT): Prometheus text on /metrics, liveness
 * on /health, readiness on /ready. A port of its own, so that the public
 * endpoint, and the CDN in front of it, serve none of them: probes and
 * scrapes never meet rate limits, and the figures are not public.
 */
export function createOpsServer(options: OpsServerOptions): HttpService {
  return createHttpService({
    logger: options.logger,
    measure: false,
    routes: {
      '/metrics': metricsHandler,
      '/health': healthHandler,
      '/ready': (req, res) => readinessHandler(options.readiness(), options.isDraining)(req, res),
    },
  });
}
