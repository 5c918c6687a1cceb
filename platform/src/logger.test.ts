import assert from 'node:assert/strict';
import { describe, it } from 'node:test';
import { context, trace, TraceFlags } from '@opentelemetry/api';
import { AsyncLocalStorageContextManager } from '@opentelemetry/context-async-hooks';
import { createLogger } from './logger.ts';

describe('logger', () => {
  it('writes the trace_id and span_id of the active span on a log line, and none outside a span', () => {
    const lines: Record<string, unknown>[] = [];
    const logger = createLogger('logger-test', 'info', { write: (line: string) => void lines.push(JSON.parse(line)) });
    const manager = new AsyncLocalStorageContextManager().enable();
    context.setGlobalContextManager(manager);
    try {
      const spanContext = { traceId: '4bf92f3577b34da6a3ce929d0e0e4736', spanId: '00f067aa0ba902b7', traceFlags: TraceFlags.SAMPLED };
      context.with(trace.setSpan(context.active(), trace.wrapSpanContext(spanContext)), () => logger.info('inside'));
      logger.info('outside');
    } finally {
      context.disable();
    }
    assert.deepEqual(
      lines.map((l) => [l.msg, l.service, l.trace_id, l.span_id]),
      [
        ['inside', 'logger-test', '4bf92f3577b34da6a3ce929d0e0e4736', '00f067aa0ba902b7'],
        ['outside', 'logger-test', undefined, undefined],
      ],
    );
  });
});
