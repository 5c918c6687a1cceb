import type { Env } from '../config.ts';

/**
 * OpenTelemetry tracing, configured only by the standard OTEL_* variables
 * and off unless an OTLP endpoint is set:
 *
 * - OTEL_EXPORTER_OTLP_ENDPOINT (or OTEL_EXPORTER_OTLP_TRACES_ENDPOINT):
 *   where spans go; without it nothing is loaded, hooked or recorded.
 * - OTEL_EXPORTER_OTLP_PROTOCOL (or ..._TRACES_PROTOCOL): `http/protobuf`
 *   (the default) or `http/json` (`grpc` too, as the SDK allows).
 * - OTEL_SERVICE_NAME: defaults to the service this process runs (gateway,
 *   accounts, products, orders, inventory, payments), from its entry file.
 * - OTEL_TRACES_SAMPLER / _ARG, OTEL_RESOURCE_ATTRIBUTES, OTEL_SDK_DISABLED,
 *   OTEL_BSP_* and the rest: as the OpenTelemetry SDK for Node reads them.
 *
 * What is traced: HTTP in and out (node:http, undici and fetch, so the
 * gateway's subgraph fetches and orders' calls to inventory, payments and
 * products), PostgreSQL statements (pg), Redis commands (ioredis), and
 * @apollo/gateway's own spans (plan, fetch). W3C trace context travels in
 * `traceparent` headers, and in stream events (see stream-consumer.ts).
 *
 * The stack runs TypeScript as ESM straight from source on Node 24, so the
 * libraries are hooked at import time: this module is loaded with
 * `node --import <platform>/src/telemetry/register.ts` before the service's
 * own modules, registers import-in-the-middle's loader hook for just the
 * modules the instrumentations name, and starts the SDK.
 */
export function tracingEndpoint(env: Env): string | undefined {
  if (env.OTEL_SDK_DISABLED?.trim() === 'true' || env.OTEL_TRACES_EXPORTER?.trim() === 'none') return undefined;
  return env.OTEL_EXPORTER_OTLP_TRACES_ENDPOINT?.trim() || env.OTEL_EXPORTER_OTLP_ENDPOINT?.trim() || undefined;
}

/** The service a process runs, from its entry file (`gateway/src/main.ts`, `subgraphs/<name>/src/main.ts`). */
export function serviceNameOf(entry: string | undefined): string | undefined {
  const path = (entry ?? '').replaceAll('\\', '/');
  return /\/subgraphs\/([^/]+)\/src\/main\.ts$/.exec(path)?.[1] ?? (/\/gateway\/src\/main\.ts$/.test(path) ? 'gateway' : undefined);
}

let stop: (() => Promise<void>) | undefined;

/** True once `startTracing` has started the SDK in this process. */
export function tracingOn(): boolean {
  return stop !== undefined;
}

/** Exports what is buffered and stops the SDK (a no-op when tracing is off). */
export async function stopTracing(): Promise<void> {
  await stop?.();
}

/** Starts tracing when an endpoint is set (see above); otherwise returns at once, having loaded nothing. */
export async function startTracing(env: NodeJS.ProcessEnv, entry: string | undefined): Promise<void> {
  if (!tracingEndpoint(env) || stop) return;
  env.OTEL_SERVICE_NAME ||= serviceNameOf(entry);
  const { register } = await import('node:module');
  const { createAddHookMessageChannel } = await import('import-in-the-middle');
  const { registerOptions, waitForAllMessagesAcknowledged } = createAddHookMessageChannel();
  register('import-in-the-middle/hook.mjs', import.meta.url, registerOptions);

  const [{ NodeSDK }, { HttpInstrumentation }, { UndiciInstrumentation }, { PgInstrumentation }, { IORedisInstrumentation }] = await Promise.all([
    import('@opentelemetry/sdk-node'),
    import('@opentelemetry/instrumentation-http'),
    import('@opentelemetry/instrumentation-undici'),
    import('@opentelemetry/instrumentation-pg'),
    import('@opentelemetry/instrumentation-ioredis'),
  ]);
  const sdk = new NodeSDK({
    instrumentations: [
      // Probes and scrapes on the metrics port are not traced.
      new HttpInstrumentation({ ignoreIncomingRequestHook: (req) => /^\/(metrics|health|ready)\b/.test(req.url ?? '') }),
      new UndiciInstrumentation(),
      new PgInstrumentation({ requireParentSpan: true }),
      new IORedisInstrumentation({ requireParentSpan: true }),
    ],
  });
  sdk.start();
  stop = () => sdk.shutdown();
  await waitForAllMessagesAcknowledged();
}
