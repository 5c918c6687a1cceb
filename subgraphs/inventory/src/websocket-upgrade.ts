import type { onRequestAsyncHookHandler, RouteOptions } from 'fastify';

/**
 * mercurius serves WebSocket subscriptions on its GET route, and that route's
 * `onRequest` hook is its CSRF prevention, which wants a JSON content type
 * or a preflight header: a WebSocket handshake has neither (a graphql-ws
 * client cannot set custom headers at all), so every upgrade would be
 * refused with 400. This onRoute hook lets upgrades skip that one check.
 *
 * Safe here because CSRF needs ambient credentials the browser attaches by
 * itself, and this subgraph has none: the viewer comes from the
 * gateway-signed `x-viewer-token` header, which a cross-site page cannot
 * send, and the only subscription serves public stock levels.
 */
export function skipCsrfCheckOnWebSocketUpgrade(route: RouteOptions): void {
  if (!('wsHandler' in route) || !route.wsHandler || !route.onRequest) return;
  const hooks = (Array.isArray(route.onRequest) ? route.onRequest : [route.onRequest]) as onRequestAsyncHookHandler[];
  route.onRequest = hooks.map(
    (hook): onRequestAsyncHookHandler =>
      async function (this: unknown, request, reply) {
        // @fastify/websocket marks upgrade requests in its own onRequest hook, which runs first.
        if ((request as { ws?: boolean }).ws) return;
        return hook.call(this as never, request, reply);
      },
  );
}
