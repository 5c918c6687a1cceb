import type { FastifyInstance } from 'fastify';
import { annotateGraphQLSpan, httpServerDuration, nameServerSpan, recordGraphQLOperation } from '@shop/platform';
import { Kind, type DocumentNode, type OperationDefinitionNode } from 'graphql';

/**
 * The kit's HTTP and GraphQL duration histograms for Fastify + mercurius
 * (the Apollo services get them from platform's node:http service and
 * Apollo plugin): `http_server_request_duration_seconds` on every response,
 * `graphql_operation_duration_seconds` on every executed operation.
 * Call after mercurius is registered.
 */
// eslint-disable-next-line @typescript-eslint/no-explicit-any -- any server, request, reply and logger types
export function addMetricsHooks(app: FastifyInstance<any, any, any, any>): void {
  app.addHook('onRequest', async (request) => {
    if (request.routeOptions.url) nameServerSpan(request.method, request.routeOptions.url);
  });
  app.addHook('onResponse', async (request, reply) => {
    httpServerDuration().observe(
      { http_request_method: request.method, http_route: request.routeOptions.url ?? 'unmatched', http_response_status_code: reply.statusCode },
      reply.elapsedTime / 1000,
    );
  });
  const started = new WeakMap<object, { at: bigint; operation: OperationDefinitionNode | undefined }>();
  app.graphql.addHook('preExecution', async (_schema, document: DocumentNode, context) => {
    const operation = document.definitions.find((d): d is OperationDefinitionNode => d.kind === Kind.OPERATION_DEFINITION);
    started.set(context, { at: process.hrtime.bigint(), operation });
    annotateGraphQLSpan(operation?.name?.value, operation?.operation);
  });
  app.graphql.addHook('onResolution', async (execution, context) => {
    const start = started.get(context);
    if (!start) return;
    recordGraphQLOperation({
      name: start.operation?.name?.value,
      type: start.operation?.operation,
      failed: Boolean(execution.errors?.length),
      seconds: Number(process.hrtime.bigint() - start.at) / 1e9,
    });
  });
}
