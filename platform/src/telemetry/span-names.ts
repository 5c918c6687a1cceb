import { trace } from '@opentelemetry/api';

/**
 * Gives the HTTP server span of the current request its route, as the
 * OpenTelemetry HTTP conventions name it (`POST /graphql`, attribute
 * `http.route`): node:http has no router the instrumentation could ask.
 * Nothing happens when tracing is off.
 */
export function nameServerSpan(method: string, route: string): void {
  const span = trace.getActiveSpan();
  if (!span) return;
  span.setAttribute('http.route', route);
  span.updateName(`${method} ${route}`);
}
