import { createHttpService, evaluateReadiness, healthHandler, sendJson, type HttpService, type Readiness, type ReadinessCheck } from './http.ts';
import type { Logger } from './logger.ts';
import { renderMetrics } from './metrics.ts';

export interface OpsServerOptions {
  logger: Logger;
  /** The service's readiness checks (PostgreSQL, Redis, the supergraph ...), read at each probe: they change once the service has started. */
  readiness: () => readonly ReadinessCheck[];
  /** True once the process is shutting down: readiness answers 503 `draining`. */
  isDraining: () => boolean;
  /** Where /ready's answer comes from instead of `readiness` (a cluster primary asks its workers). */
  ready?: () => Promise<Readiness>;
  /** Where /metrics' text comes from instead of this process's registry (a cluster primary aggregates its workers'). */
  metrics?: () => Promise<{ contentType: string; body: string }>;
}

/**
 * The operator's port (METRICS_PORT): Prometheus text on /metrics, liveness
 * on /health, readiness on /ready. A port of its own, so that the public
 * endpoint, and the CDN in front of it, serve none of them: probes and
 * scrapes never meet rate limits, and the figures are not public.
 */
export function createOpsServer(options: OpsServerOptions): HttpService {
  const metrics = options.metrics ?? renderMetrics;
  const ready = options.ready ?? (() => evaluateReadiness(options.readiness(), options.isDraining));
  return createHttpService({
    logger: options.logger,
    measure: false,
    routes: {
      '/metrics': async (_req, res) => {
        const { contentType, body } = await metrics();
        res.writeHead(200, { 'content-type': contentType, 'cache-control': 'no-store' });
        res.end(body);
      },
      '/health': healthHandler,
      '/ready': async (_req, res) => {
        const { ready: ok, status, checks } = await ready();
        sendJson(res, ok ? 200 : 503, { status, checks });
      },
    },
  });
}
