import { HeaderMap } from '@apollo/server';
import type { Context, SubscribePayload } from 'graphql-ws';
import type { Extra } from 'graphql-ws/use/ws';
import { getOperationAST, GraphQLError, parse, validate, type DocumentNode, type ExecutionArgs, type GraphQLSchema } from 'graphql';
import { createOperationLimitChecker, HttpError, nulByteError, withoutSuggestions, type OperationLimits, type Viewer } from '@shop/platform';
import type { Client, ClientResolver } from './client-identity.ts';
import type { ConnectionSlots } from './connection-slots.ts';
import type { Caller } from './persisted-queries.ts';

/**
 * Every edge control of the HTTP path, on the WebSocket (graphql-ws):
 *
 * - connecting: the client is admitted like an HTTP request (address through
 *   the trusted proxies, verified credentials, its rate limit), then counted
 *   against its open connections (per user or partner, or per address),
 *   across every gateway replica (see connection-slots.ts);
 * - subscribing: each `subscribe` message counts against the client's rate
 *   limit, goes through the same persisted-query policy (safelist mode,
 *   partner keys), is parsed with the token limit, validated, and checked
 *   against the operation limits (depth, aliases, directives, cost) and for
 *   NUL bytes before anything is planned or opened upstream; in production
 *   its validation errors carry no "Did you mean" suggestions (graphql-ws
 *   sends them as they are, past Apollo's error formatting);
 * - expiry: a connection opened with an access token is closed (4401) when
 *   that token expires; the client reconnects with a fresh one.
 */
export interface AdmissionLimits {
  maxPerConnection: number;
  maxConnectionsPerClient: number;
  maxConnectionsPerAddress: number;
}

export type ConnectionExtra = {
  viewer?: Viewer | null;
  client?: Client;
  clientKey?: string;
  /** The connection's slot among its client's open connections. */
  slot?: string;
  subscriptions?: number;
  expiry?: NodeJS.Timeout;
};

type WsContext = Context<Record<string, unknown> | undefined, Extra & ConnectionExtra>;

/** The client passed its request rate. */
export const RATE_LIMITED_CLOSE = 4429;
/** The access token that opened the connection has expired. */
export const TOKEN_EXPIRED_CLOSE = 4401;

export interface SubscriptionAdmissionOptions {
  clients: ClientResolver;
  /** The persisted-query policy of the HTTP path (throws HttpError when refused). */
  policy: (request: { method: string; headers: HeaderMap; search: string; body: unknown }, caller: Caller) => { body?: unknown };
  operationLimits: OperationLimits;
  limits: AdmissionLimits;
  /** Open connections per client, shared by the replicas. */
  slots: ConnectionSlots;
  schema: () => GraphQLSchema;
  /** Production: validation errors without suggestions, as on HTTP. */
  production: boolean;
  now?: () => number;
}

function refused(message: string, code: string, extensions: Record<string, unknown> = {}): GraphQLError[] {
  return [new GraphQLError(message, { extensions: { code, ...extensions } })];
}

function credentialsOf(params: Record<string, unknown>) {
  const authorization = [params.authorization, params.Authorization, typeof params.token === 'string' ? `Bearer ${params.token}` : undefined].find(
    (v): v is string => typeof v === 'string',
  );
  const apiKey = [params['x-api-key'], params.apiKey].find((v): v is string => typeof v === 'string');
  return { authorization, apiKey };
}

export function createSubscriptionAdmission(options: SubscriptionAdmissionOptions) {
  const { clients, limits, slots } = options;
  const now = options.now ?? Date.now;
  const checkLimits = createOperationLimitChecker(options.operationLimits);

  /** The document a subscribe message may run, after the persisted-query policy; or the errors refusing it. */
  const documentOf = (client: Client, payload: SubscribePayload): DocumentNode | GraphQLError[] => {
    let query: unknown;
    try {
      const request = options.policy({ method: 'POST', headers: new HeaderMap(), search: '', body: payload }, { partner: client.partner });
      query = (request.body as { query?: unknown } | undefined)?.query;
    } catch (error) {
      if (error instanceof HttpError) return refused(error.message, error.code);
      throw error;
    }
    if (typeof query !== 'string' || query === '') return refused('A subscribe message needs a query document.', 'BAD_REQUEST');
    try {
      return parse(query, { maxTokens: options.operationLimits.maxTokens });
    } catch (error) {
      return refused((error as GraphQLError).message, 'GRAPHQL_PARSE_FAILED');
    }
  };

  const admitSubscription = async (client: Client, id: string, payload: SubscribePayload, extra: WsContext['extra']): Promise<ExecutionArgs | GraphQLError[]> => {
    try {
      await clients.count(client);
    } catch (error) {
      if (error instanceof HttpError) return refused(error.message, error.code, { retryAfter: Number(error.headers['retry-after'] ?? 1) });
      throw error;
    }
    const document = documentOf(client, payload);
    if (Array.isArray(document)) return document;
    const schema = options.schema();
    // The limits first: a flood is refused for what it is, before full validation walks it.
    const variables = payload.variables ?? {};
    const limited = checkLimits(schema, document, variables);
    if (limited.length) return limited;
    const invalid = validate(schema, document);
    if (invalid.length) {
      const message = (error: GraphQLError) => (options.production ? withoutSuggestions({ message: error.message }).message : error.message);
      return invalid.map((error) => new GraphQLError(message(error), { nodes: error.nodes, extensions: { code: 'GRAPHQL_VALIDATION_FAILED' } }));
    }
    // PostgreSQL text cannot hold NUL: refused here like on HTTP, not as a failed upstream subscription.
    const nul = nulByteError(document, variables);
    if (nul) return refused(nul.message, 'BAD_USER_INPUT');
    const operation = getOperationAST(document, payload.operationName);
    if (!operation) return refused('The document must name the operation to run (operationName) and contain it.', 'BAD_REQUEST');
    if (operation.operation !== 'subscription') return refused('Send queries and mutations over HTTP; this WebSocket carries subscriptions.', 'BAD_REQUEST');
    return { schema, document, variableValues: variables, operationName: payload.operationName, contextValue: { extra, id } };
  };

  return {
    async onConnect(ctx: WsContext): Promise<boolean> {
      let client: Client;
      try {
        client = await clients.admit(ctx.extra.request, credentialsOf(ctx.connectionParams ?? {}));
      } catch (error) {
        if (error instanceof HttpError && error.status === 429) ctx.extra.socket.close(RATE_LIMITED_CLOSE, 'Too many requests');
        return false; // graphql-ws closes with 4403 Forbidden
      }
      const clientKey = `${client.key.kind}:${client.key.id}`;
      const max = client.key.kind === 'address' ? limits.maxConnectionsPerAddress : limits.maxConnectionsPerClient;
      const slot = await slots.acquire(clientKey, max);
      if (!slot) return false;
      // The socket may have closed while we waited (onClose has run, with no slot to release yet).
      if (ctx.extra.socket.readyState !== ctx.extra.socket.OPEN) {
        slots.release(clientKey, slot);
        return false;
      }
      Object.assign(ctx.extra, { viewer: client.viewer, client, clientKey, slot, subscriptions: 0 });
      if (client.expiresAt !== undefined) {
        const socket = ctx.extra.socket;
        ctx.extra.expiry = setTimeout(() => socket.close(TOKEN_EXPIRED_CLOSE, 'Access token expired'), Math.min(Math.max(client.expiresAt - now(), 0), 2 ** 31 - 1));
      }
      return true;
    },

    /** Every close, acknowledged or not (graphql-ws calls onDisconnect only for acknowledged ones). */
    onClose(ctx: WsContext): void {
      clearTimeout(ctx.extra.expiry);
      const { clientKey, slot } = ctx.extra;
      if (!clientKey || !slot) return;
      ctx.extra.slot = undefined;
      slots.release(clientKey, slot);
    },

    async onSubscribe(ctx: WsContext, id: string, payload: SubscribePayload): Promise<ExecutionArgs | GraphQLError[]> {
      const client = ctx.extra.client;
      if (!client) return refused('The connection was not admitted.', 'FORBIDDEN');
      // The slot is taken before anything is awaited, so a burst of messages cannot all pass the check.
      if ((ctx.extra.subscriptions ?? 0) >= limits.maxPerConnection) {
        return refused(`At most ${limits.maxPerConnection} subscriptions per connection.`, 'TOO_MANY_SUBSCRIPTIONS');
      }
      ctx.extra.subscriptions = (ctx.extra.subscriptions ?? 0) + 1;
      const outcome = await admitSubscription(client, id, payload, ctx.extra);
      if (Array.isArray(outcome)) ctx.extra.subscriptions -= 1;
      return outcome;
    },

    onComplete(ctx: WsContext): void {
      ctx.extra.subscriptions = Math.max(0, (ctx.extra.subscriptions ?? 1) - 1);
    },
  };
}
