import { readFileSync, unwatchFile, watchFile } from 'node:fs';
import { ApolloGateway, RemoteGraphQLDataSource, type GraphQLDataSourceProcessOptions } from '@apollo/gateway';
import { GraphQLError } from 'graphql';
import { IDENTITY_HEADER, type Logger } from '@shop/platform';
import type { GatewayContext } from './context.ts';

/**
 * Calls one subgraph on behalf of a client request: forwards the identity as
 * the gateway-signed internal token (never the client's own headers), the
 * client address and the trace context, and turns a subgraph that cannot be
 * reached into a clear error naming the service.
 */
export class SubgraphDataSource extends RemoteGraphQLDataSource<GatewayContext> {
  readonly name: string;
  readonly timeoutMs: number;
  constructor(name: string, url: string, timeoutMs: number) {
    super({ url });
    this.name = name;
    this.timeoutMs = timeoutMs;
  }

  override willSendRequest({ request, context }: GraphQLDataSourceProcessOptions<GatewayContext>): void {
    const headers = request.http?.headers;
    if (!headers) return;
    if (context.viewerToken) headers.set(IDENTITY_HEADER, context.viewerToken);
    if (context.clientIp) headers.set('x-forwarded-for', context.clientIp);
    if (context.traceparent) headers.set('traceparent', context.traceparent);
    if (context.requestId) headers.set('x-request-id', context.requestId);
  }

  override async process(options: GraphQLDataSourceProcessOptions<GatewayContext>) {
    const timeout = AbortSignal.timeout(this.timeoutMs);
    if (options.request.http) (options.request.http as { signal?: AbortSignal }).signal = timeout;
    return super.process(options);
  }

  override didEncounterError(error: Error): void {
    if (error instanceof GraphQLError) throw error;
    const unreachable = /ECONNREFUSED|ECONNRESET|ENOTFOUND|EHOSTUNREACH|socket hang up|aborted|timeout/i.test(`${error.message} ${(error as { code?: string }).code ?? ''}`);
    if (unreachable) {
      throw new GraphQLError(`The ${this.name} service is unavailable right now; try again shortly.`, {
        extensions: { code: 'SUBGRAPH_UNAVAILABLE', service: this.name },
      });
    }
    throw error;
  }
}

export interface GatewayOptions {
  supergraphPath: string;
  subgraphUrls: Readonly<Record<string, string>>;
  subgraphTimeoutMs: number;
  logger: Logger;
  /** How often the supergraph file is polled for changes (ms). */
  pollIntervalMs?: number;
}

/**
 * @apollo/gateway over the committed supergraph file. The file is watched:
 * when it changes, the new supergraph is loaded without a restart; a file that
 * does not build is logged and the previous supergraph keeps serving.
 */
export function createGateway(options: GatewayOptions): ApolloGateway {
  const { supergraphPath, logger } = options;
  return new ApolloGateway({
    logger,
    supergraphSdl: async ({ update }) => {
      let current = readFileSync(supergraphPath, 'utf8');
      const onChange = () => {
        let next: string;
        try {
          next = readFileSync(supergraphPath, 'utf8');
        } catch (error) {
          logger.error({ err: error, supergraphPath }, 'supergraph file unreadable; keeping the current one');
          return;
        }
        if (next === current) return;
        try {
          update(next);
          current = next;
          logger.info({ supergraphPath }, 'supergraph reloaded');
        } catch (error) {
          logger.error({ err: error, supergraphPath }, 'new supergraph rejected; keeping the current one');
        }
      };
      watchFile(supergraphPath, { interval: options.pollIntervalMs ?? 1000 }, onChange);
      return { supergraphSdl: current, cleanup: async () => unwatchFile(supergraphPath, onChange) };
    },
    buildService: ({ name, url }) => new SubgraphDataSource(name, options.subgraphUrls[name] ?? url ?? '', options.subgraphTimeoutMs),
  });
}
