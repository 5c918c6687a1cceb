import { counter, gauge, histogram, SIZE_BUCKETS } from './metrics.ts';

/**
 * The metrics the services share, one function each (the first call
 * registers, later calls return the same instrument). Names follow the
 * OpenTelemetry semantic conventions turned into Prometheus names (dots to
 * underscores, unit suffix), as Apollo Router and Hive Gateway expose them,
 * so their dashboards read these too. Every series also carries `service`.
 */

/** `http.server.request.duration`: every request on a public port, by method, route and status. */
export const httpServerDuration = () =>
  histogram('http_server_request_duration_seconds', 'Duration of HTTP server requests.', ['http_request_method', 'http_route', 'http_response_status_code']);

/** One GraphQL operation, from parse to response, by operation name and type and whether it had errors (`outcome`: ok | error). */
export const graphqlOperationDuration = () =>
  histogram('graphql_operation_duration_seconds', 'Duration of GraphQL operations, by operation name, type and outcome.', [
    'graphql_operation_name',
    'graphql_operation_type',
    'outcome',
  ]);

/** At the gateway: one fetch to a subgraph (Hive Gateway's `graphql_gateway_subgraph_execute_duration`), by subgraph and outcome. */
export const subgraphFetchDuration = () =>
  histogram('graphql_gateway_subgraph_execute_duration_seconds', 'Duration of fetches from the gateway to a subgraph.', ['subgraph_name', 'outcome']);

/** At the gateway: query-plan cache lookups (`result`: hit | miss). */
export const queryPlanCacheRequests = () => counter('graphql_gateway_query_plan_cache_requests_total', 'Query-plan cache lookups, by result.', ['result']);

/** In orders: checkouts by how they ended (`outcome`: placed | insufficient_stock | payment_declined | refused | failed ...). */
export const checkoutOutcomes = () => counter('checkout_outcomes_total', 'Checkouts by outcome.', ['outcome']);

/** Requests an admission gate refused (saturation), by gate (`checkout`, `reservation` ...) and reason. */
export const admissionRefusals = () => counter('admission_refusals_total', 'Requests refused by admission control, by gate and reason.', ['gate', 'reason']);

/** In orders: one step of the checkout saga (reserve, authorize, capture, commit, release, refund ...), by outcome. */
export const sagaStepDuration = () => histogram('checkout_saga_step_duration_seconds', 'Duration of checkout saga steps.', ['step', 'outcome']);

/** A circuit breaker's state per dependency (`target`: a subgraph or service): 0 closed, 1 open, 2 half-open (one trial call). */
export const circuitBreakerState = () => gauge('circuit_breaker_state', 'Circuit breaker state per target: 0 closed, 1 open, 2 half-open.', ['target']);

/** Calls a circuit breaker refused without making them, per target. */
export const circuitBreakerRefusals = () => counter('circuit_breaker_refusals_total', 'Calls refused by an open circuit breaker, by target.', ['target']);

/** In inventory: how many reservations one batched transaction carried. */
export const reservationBatchSize = () =>
  histogram('inventory_reservation_batch_size', 'Reservations (kind=reserve) or commits (kind=commit) merged into one transaction.', ['kind'], SIZE_BUCKETS);

/** A consumer group whose backlog is reported at each scrape. */
export interface LagSource {
  stream: string;
  group: string;
  lag(): Promise<{ lag: number | null; pending: number }>;
}
const lagSources = new Set<LagSource>();

/**
 * Event consumers: entries of a stream not yet processed by a group (XINFO
 * GROUPS `lag`, not yet delivered, plus `pending`, delivered and not yet
 * acknowledged), read from Redis at each scrape. Returns the unregistering function.
 */
export function reportConsumerLag(source: LagSource): () => void {
  gauge('events_consumer_lag', 'Stream entries not yet processed by a consumer group (undelivered + unacknowledged).', ['stream', 'group'], async function () {
    this.reset();
    for (const { stream, group, lag } of lagSources) {
      const backlog = await lag().catch(() => undefined);
      if (backlog) this.set({ stream, group }, (backlog.lag ?? 0) + backlog.pending);
    }
  });
  lagSources.add(source);
  return () => lagSources.delete(source);
}

/** Event consumers: deliveries retried after a failure, and entries moved to the dead-letter stream. */
export const consumerRetries = () => counter('events_consumer_retries_total', 'Event deliveries retried after a failure.', ['stream', 'group']);
export const consumerDeadLetters = () => counter('events_consumer_dead_letters_total', 'Events moved to the dead-letter stream.', ['stream', 'group']);

/** Subscriptions (gateway_subscription_clients and _upstreams are the gateway's gauges): time from an upstream event to its delivery to clients. */
export const subscriptionDeliveryLatency = () =>
  histogram('graphql_subscription_delivery_latency_seconds', 'Time from an upstream subscription event to its delivery to clients.');
