import client, { type Counter, type Gauge, type Histogram } from 'prom-client';

/**
 * The process's Prometheus registry, served on the metrics port (see
 * ops-server.ts), never on the public one. Metrics are created on first use
 * and shared after that: a module may ask for the same metric as often as it
 * likes (each call returns the one instance), so registration points need no
 * wiring through constructors.
 */
export const metricsRegistry = new client.Registry();

/**
 * Seconds; the OpenTelemetry HTTP semantic conventions' advice for
 * `http.server.request.duration`, which Apollo Router and Hive Gateway use too.
 */
export const DURATION_BUCKETS = [0.005, 0.01, 0.025, 0.05, 0.075, 0.1, 0.25, 0.5, 0.75, 1, 2.5, 5, 7.5, 10];

/** Counts of things per batch (reservations merged, events read). */
export const SIZE_BUCKETS = [1, 2, 5, 10, 20, 50, 100, 200, 500, 1000];

function existing<T>(name: string): T | undefined {
  return metricsRegistry.getSingleMetric(name) as T | undefined;
}

export function counter<L extends string>(name: string, help: string, labelNames: readonly L[] = []): Counter<L> {
  return existing<Counter<L>>(name) ?? new client.Counter<L>({ name, help, labelNames, registers: [metricsRegistry] });
}

/** A gauge; `collect`, when given, runs at each scrape to set its values. */
export function gauge<L extends string>(name: string, help: string, labelNames: readonly L[] = [], collect?: (this: Gauge<L>) => Promise<void> | void): Gauge<L> {
  return existing<Gauge<L>>(name) ?? new client.Gauge<L>({ name, help, labelNames, registers: [metricsRegistry], ...(collect ? { collect } : {}) });
}

export function histogram<L extends string>(name: string, help: string, labelNames: readonly L[] = [], buckets = DURATION_BUCKETS): Histogram<L> {
  return existing<Histogram<L>>(name) ?? new client.Histogram<L>({ name, help, labelNames, buckets, registers: [metricsRegistry] });
}

let runtimeMetricsOn = false;

/**
 * Labels every series with the service's name and starts Node's runtime
 * metrics (event loop lag, GC pauses, heap, handles, CPU): prom-client's
 * defaults, under their usual names (`nodejs_eventloop_lag_p99_seconds`,
 * `nodejs_gc_duration_seconds`, `nodejs_heap_size_used_bytes`, ...).
 */
export function startRuntimeMetrics(service: string): void {
  metricsRegistry.setDefaultLabels({ service });
  if (runtimeMetricsOn) return;
  runtimeMetricsOn = true;
  client.collectDefaultMetrics({ register: metricsRegistry });
}

/** The registry in Prometheus' text format. */
export async function renderMetrics(): Promise<{ contentType: string; body: string }> {
  return { contentType: metricsRegistry.contentType, body: await metricsRegistry.metrics() };
}

/**
 * A label value taken from clients (an operation name) with a bound on how
 * many distinct values it may take: past `max`, new values read `other`, so a
 * client inventing names cannot grow the series without end.
 */
export function boundedLabel(max = 200): (value: string) => string {
  const seen = new Set<string>();
  return (value) => {
    if (seen.has(value)) return value;
    if (seen.size >= max) return 'other';
    seen.add(value);
    return value;
  };
}
