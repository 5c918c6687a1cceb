/**
 * Loaded before a service with `node --import <this file> <entry>` (the
 * stack, the test stack and every `npm start` do): starts OpenTelemetry
 * tracing when OTEL_EXPORTER_OTLP_ENDPOINT is set, and does nothing else
 * otherwise. See tracing.ts.
 */
import { startTracing } from './tracing.ts';

await startTracing(process.env, process.argv[1]);
