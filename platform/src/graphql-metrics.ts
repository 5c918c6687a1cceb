import type { ApolloServerPlugin, BaseContext } from '@apollo/server';
import { graphqlOperationDuration } from './instruments.ts';
import { boundedLabel } from './metrics.ts';

/** Operation names come from clients: at most this many distinct ones get series of their own. */
const operationName = boundedLabel(500);

/** Records one finished GraphQL operation in `graphql_operation_duration_seconds`. */
export function recordGraphQLOperation(operation: { name: string | null | undefined; type: string | undefined; failed: boolean; seconds: number }): void {
  graphqlOperationDuration().observe(
    {
      graphql_operation_name: operationName(operation.name || 'anonymous'),
      graphql_operation_type: operation.type ?? 'unknown',
      outcome: operation.failed ? 'error' : 'ok',
    },
    operation.seconds,
  );
}

/** The Apollo Server side (gateway and Apollo subgraphs): one observation per request, errors or not. */
export function graphqlMetricsPlugin<TContext extends BaseContext>(): ApolloServerPlugin<TContext> {
  return {
    async requestDidStart() {
      const started = process.hrtime.bigint();
      return {
        async willSendResponse({ operationName: name, operation, errors, response }) {
          const body = response.body;
          const failed = Boolean(errors?.length) || (body.kind === 'single' && Boolean(body.singleResult.errors?.length));
          recordGraphQLOperation({ name, type: operation?.operation, failed, seconds: Number(process.hrtime.bigint() - started) / 1e9 });
        },
      };
    },
  };
}
