import { context, propagation, SpanKind, SpanStatusCode, trace, ROOT_CONTEXT, type Link } from '@opentelemetry/api';
import { tracingOn } from './tracing.ts';

/** W3C trace context as it travels in a message: `traceparent` and, when set, `tracestate`. */
export type TraceCarrier = Record<string, string>;

/**
 * The trace context of the active span, for a message that leaves the
 * process (an outbox event): undefined when tracing is off or nothing is
 * being traced, so that untraced events carry nothing.
 */
export function currentTraceCarrier(): TraceCarrier | undefined {
  if (!tracingOn()) return undefined;
  const carrier: TraceCarrier = {};
  propagation.inject(context.active(), carrier);
  return carrier.traceparent ? carrier : undefined;
}

/** A carrier's trace context fields, from an object that may hold others (a stream entry's fields). */
export function traceCarrierOf(fields: Readonly<Record<string, string>> | null | undefined): TraceCarrier | undefined {
  if (!fields?.traceparent) return undefined;
  return fields.tracestate ? { traceparent: fields.traceparent, tracestate: fields.tracestate } : { traceparent: fields.traceparent };
}

export interface ConsumerSpanOptions {
  /** The stream (messaging.destination.name). */
  stream: string;
  group: string;
  /** The trace context each message carried (undefined for one that carried none). */
  carriers: readonly (TraceCarrier | undefined)[];
  /** The message id, for a single message. */
  messageId?: string;
}

/**
 * Runs `work` in a CONSUMER span named `process <stream>`, after the
 * OpenTelemetry messaging conventions: for one message, a child of the
 * trace the message carried (the client operation that caused the event
 * continues through its consumer); for a batch, a span of its own with a
 * link to each message's trace. A no-op wrapper when tracing is off.
 */
export async function inConsumerSpan<T>(options: ConsumerSpanOptions, work: () => Promise<T>): Promise<T> {
  if (!tracingOn()) return work();
  const contexts = options.carriers.map((carrier) => (carrier ? propagation.extract(ROOT_CONTEXT, carrier) : undefined));
  const single = contexts.length === 1;
  const parent = single && contexts[0] ? contexts[0] : ROOT_CONTEXT;
  const links: Link[] = single
    ? []
    : contexts.flatMap((c) => {
        const spanContext = c && trace.getSpanContext(c);
        return spanContext ? [{ context: spanContext }] : [];
      });
  const tracer = trace.getTracer('@shop/platform');
  return tracer.startActiveSpan(
    `process ${options.stream}`,
    {
      kind: SpanKind.CONSUMER,
      links,
      attributes: {
        'messaging.system': 'redis',
        'messaging.operation.type': 'process',
        'messaging.operation.name': 'process',
        'messaging.destination.name': options.stream,
        'messaging.consumer.group.name': options.group,
        ...(single ? {} : { 'messaging.batch.message_count': contexts.length }),
        ...(options.messageId ? { 'messaging.message.id': options.messageId } : {}),
      },
    },
    parent,
    async (span) => {
      try {
        return await work();
      } catch (error) {
        span.recordException(error as Error);
        span.setStatus({ code: SpanStatusCode.ERROR, message: (error as Error)?.message });
        throw error;
      } finally {
        span.end();
      }
    },
  );
}
