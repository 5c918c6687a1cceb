import assert from 'node:assert/strict';
import { after, before, describe, it } from 'node:test';
import { DEMO_PASSWORD, loadDemoData } from '@shop/platform';
import { startOtlpReceiver, startTestStack, type OtlpReceiver, type ReceivedSpan, type TestStack } from '@shop/platform/testing';
import { ShopClient } from './shop-client.ts';

// One client operation, one trace: the real stack exporting to a small
// OTLP/HTTP receiver of our own, configured by OTEL_* variables only.
const demo = loadDemoData();

for (const protocol of ['http/protobuf', 'http/json'] as const) {
  describe(`tracing over OTLP ${protocol}`, () => {
    let receiver: OtlpReceiver;
    let stack: TestStack;
    before(async () => {
      receiver = await startOtlpReceiver();
      stack = await startTestStack({ OTEL_EXPORTER_OTLP_ENDPOINT: receiver.url, OTEL_EXPORTER_OTLP_PROTOCOL: protocol, OTEL_BSP_SCHEDULE_DELAY: '100' });
    });
    after(async () => {
      await stack?.stop();
      await receiver?.close();
    });

    it('records a PlaceOrder as one trace from the gateway through orders, inventory, payments and PostgreSQL, every span linked to its parent', async () => {
      const shop = new ShopClient(stack.url);
      const token = await shop.signIn('customer@demo.shop', DEMO_PASSWORD);
      const paymentToken = await shop.paymentToken(token);
      const sku = demo.stock.find((s) => s.available > 0)!.sku;
      const answer = await shop.placeOrder(token, [{ sku, quantity: 1 }], paymentToken, `trace-${protocol}-${Date.now()}`);
      assert.equal(answer.data?.placeOrder?.__typename, 'OrderPlaced', JSON.stringify(answer));

      const isRoot = (span: ReceivedSpan) => span.service === 'gateway' && span.parentSpanId === '' && span.attributes['graphql.operation.name'] === 'PlaceOrder';
      const required = ['gateway', 'orders', 'inventory', 'payments'];
      let trace: ReceivedSpan[] = [];
      for (const deadline = Date.now() + 30_000; Date.now() < deadline; await new Promise((resolve) => setTimeout(resolve, 250))) {
        const root = receiver.spans.find(isRoot);
        trace = root ? receiver.spans.filter((span) => span.traceId === root.traceId) : [];
        const services = new Set(trace.map((span) => span.service));
        const settled = trace.some((span) => span.kind === 5 && span.service === 'orders' && trace.some((s) => s.service === 'payments' && s.kind === 2 && descendsFrom(trace, s, span)));
        if (required.every((service) => services.has(service)) && trace.some((span) => span.service === 'payments' && isPostgres(span)) && settled) break;
      }
      const [root, ...others] = trace.filter((span) => span.parentSpanId === '');
      assert.ok(root && isRoot(root), 'the root span is the gateway HTTP server span, with the operation name');
      assert.deepEqual(others, [], 'one root: every other span has a parent');
      assert.equal(root.attributes['graphql.operation.type'], 'mutation');
      assert.equal(root.kind, 2, 'a SERVER span');
      const ids = new Set(trace.map((span) => span.spanId));
      assert.deepEqual(
        trace.filter((span) => span.parentSpanId !== '' && !ids.has(span.parentSpanId)).map((span) => `${span.service}: ${span.name}`),
        [],
        'every parent is in the trace',
      );
      for (const service of required) assert.ok(trace.some((span) => span.service === service && span.kind === 2), `a SERVER span from ${service}`);
      for (const service of ['orders', 'inventory', 'payments']) {
        assert.ok(trace.some((span) => span.service === service && isPostgres(span)), `PostgreSQL statements of ${service}`);
      }
      // Orders' own calls (the saga) are CLIENT spans that parent the other services' SERVER spans.
      const byId = new Map(trace.map((span) => [span.spanId, span]));
      for (const service of ['inventory', 'payments']) {
        const servers = trace.filter((span) => span.service === service && span.kind === 2);
        assert.ok(
          servers.some((span) => byId.get(span.parentSpanId)?.service === 'orders' && byId.get(span.parentSpanId)?.kind === 3),
          `${service} called by orders within the trace`,
        );
      }
      // The capture after the answer continues the trace: orders' settler consumes OrderPlaced from the
      // stream in a CONSUMER span parented by the trace context the outbox event carried.
      // (The webhook intake consumes the same event: its span is in the trace too.)
      const consumers = trace.filter((span) => span.kind === 5 && span.service === 'orders' && /^process /.test(span.name));
      assert.ok(consumers.length >= 1, `CONSUMER spans of orders in the trace: ${trace.map((span) => `${span.service}:${span.name}`).join(', ')}`);
      for (const consumer of consumers) assert.equal(consumer.attributes['messaging.operation.type'], 'process');
      assert.ok(
        trace.some((span) => span.service === 'payments' && span.kind === 2 && consumers.some((consumer) => descendsFrom(trace, span, consumer))),
        'the capture (a payments SERVER span) runs under a consumer span',
      );
      assert.ok(receiver.contentTypes.has(protocol === 'http/json' ? 'application/json' : 'application/x-protobuf'), `received ${[...receiver.contentTypes]}`);
    });
  });
}

function descendsFrom(trace: readonly ReceivedSpan[], span: ReceivedSpan, ancestor: ReceivedSpan): boolean {
  const byId = new Map(trace.map((s) => [s.spanId, s]));
  for (let at = byId.get(span.parentSpanId); at; at = byId.get(at.parentSpanId)) if (at.spanId === ancestor.spanId) return true;
  return false;
}

function isPostgres(span: ReceivedSpan): boolean {
  return span.attributes['db.system'] === 'postgresql' || span.attributes['db.system.name'] === 'postgresql';
}
