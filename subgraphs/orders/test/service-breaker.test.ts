import assert from 'node:assert/strict';
import { setTimeout as sleep } from 'node:timers/promises';
import { after, before, describe, it } from 'node:test';
import { startFaultProxy, type FaultProxy } from '@shop/platform/testing';
import { createSagaServices, type SagaServices } from '../src/remote/saga-services.ts';
import { ServiceCallError } from '../src/remote/service-client.ts';
import { startSagaHarness } from './saga-harness.ts';

// Orders' circuit breaker per called service, on the real products subgraph
// (the saga harness's) behind a fault-injecting proxy: products failing
// opens the circuit, calls then fail at once as `unavailable` without being
// sent, and the circuit closes again once products answers.
const BREAKER = { failureRatio: 0.5, windowMs: 1000, minimumRps: 5, halfOpenAfterMs: 300 };
let harness: Awaited<ReturnType<typeof startSagaHarness>>;
let proxy: FaultProxy;
let services: SagaServices;
let sku: string;

before(async () => {
  harness = await startSagaHarness();
  sku = harness.sku('breaker');
  await harness.createProduct([{ sku, price: 1234 }]);
  proxy = await startFaultProxy(new URL(harness.products.url).origin);
  services = createSagaServices({
    productsUrl: `${proxy.origin}${new URL(harness.products.url).pathname}`,
    inventoryUrl: harness.inventory.url,
    paymentsUrl: harness.payments.url,
    timeoutMs: 500,
    signer: harness.ordersSigner,
    circuitBreaker: BREAKER,
  });
});
after(async () => {
  await proxy?.close();
  await harness?.stop();
});

/** The outcome of one pricing call: the price, or the failure's kind and code. */
async function price(): Promise<string> {
  try {
    const [variant] = await services.products.variantPrices([sku]);
    return `price ${variant?.unitPrice.amount}`;
  } catch (error) {
    if (error instanceof ServiceCallError) return `${error.kind} ${error.code ?? ''}`.trim();
    throw error;
  }
}

describe("orders' circuit breaker per called service", () => {
  it('opens once products keeps answering 500, then fails calls at once without sending them, and closes when products recovers', async () => {
    assert.equal(await price(), 'price 1234');
    proxy.fault = { kind: 'status', status: 500 };
    const seen: string[] = [];
    while (!seen.includes('unavailable CIRCUIT_OPEN')) {
      assert.ok(seen.length < 20, `the circuit did not open: ${seen.join(', ')}`);
      seen.push(await price());
    }
    assert.ok(seen.includes('unavailable INTERNAL_SERVER_ERROR'), `the 500s were reported as unavailable before it opened: ${seen.join(', ')}`);
    const sent = proxy.received;
    assert.equal(await price(), 'unavailable CIRCUIT_OPEN');
    assert.equal(proxy.received, sent, 'an open circuit sends nothing');

    proxy.fault = { kind: 'none' };
    for (let i = 0; (await price()) !== 'price 1234'; i++) {
      assert.ok(i < 50, 'the circuit did not close after products recovered');
      await sleep(100);
    }
  });

  it('counts a refusal (products answered: the request is wrong) for products, not against it', async () => {
    for (let i = 0; i < 20; i++) {
      await assert.rejects(services.products.variantPrices([null as unknown as string]), (error: unknown) => error instanceof ServiceCallError && error.kind === 'rejected');
    }
    assert.equal(await price(), 'price 1234', 'the circuit stayed closed');
  });
});
