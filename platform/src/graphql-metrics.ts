import type { ApolloServerPlugin, BaseContext } from '@apollo/server';
import { trace } from '@opentelemetry/api';
import { graphqlOperationDuration } from './instruments.ts';
import { boundedLabel } from './metrics.ts';

/** Operation names come from clients: at most this many distinct ones get series of their own. */
const operationName = boundedLabel(500);

type OperationSeries = ReturnType<ReturnType<typeof graphqlOperationDuration>['labels']>;

/** The labelled series of each histogram, by label values: prom-client hashes a label object on every observe otherwise. */
const seriesOf = new WeakMap<ReturnType<typeof graphqlOperationDuration>, Map<string, OperationSeries>>();

/** Records one finished GraphQL operation in `graphql_operation_duration_seconds`. */
export function recordGraphQLOperation(operation: { name: string | null | undefined; type: string | undefined; failed: boolean; seconds: number }): void {
  const histogram = graphqlOperationDuration();
  let series = seriesOf.get(histogram);
  if (!series) seriesOf.set(histogram, (series = new Map()));
  const name = operationName(operation.name || 'anonymous');
  const type = operation.type ?? 'unknown';
  const outcome = operation.failed ? 'error' : 'ok';
  const key = `${name}\u0000${type}\u0000${outcome}`;
  let child = series.get(key);
  if (!child) series.set(key, (child = histogram.labels({ graphql_operation_name: name, graphql_operation_type: type, outcome })));
  child.observe(operation.seconds);
}

/**
 * Names the operation on the span of the HTTP request that carries it (the
 * root span at the gateway), after the OpenTelemetry GraphQL conventions:
 * `graphql.operation.name` and `graphql.operation.type`. Nothing happens
 * when tracing is off (there is no active span).
 */
export function annotateGraphQLSpan(name: string | null | undefined, type: string | undefined): void {
  const span = trace.getActiveSpan();
  if (!span) return;
  if (name) span.setAttribute('graphql.operation.name', name);
  if (type) span.setAttribute('graphql.operation.type', type);
}

/**
 * The Apollo Server side (gateway and Apollo subgraphs): one observation per
 * request, errors or not, and the operation named on the request's span.
 */
export function graphqlMetricsPlugin<TContext extends BaseContext>(): ApolloServerPlugin<TContext> {
  return {
    async requestDidStart() {
      const started = process.hrtime.bigint();
      return {
        async didResolveOperation({ operationName: name, operation }) {
          annotateGraphQLSpan(name, operation?.operation);
        },
        async willSendResponse({ operationName: name, operation, errors, response }) {
          const body = response.body;
          const failed = Boolean(errors?.length) || (body.kind === 'single' && Boolean(body.singleResult.errors?.length));
          recordGraphQLOperation({ name, type: operation?.operation, failed, seconds: Number(process.hrtime.bigint() - started) / 1e9 });
        },
      };
    },
  };
}
