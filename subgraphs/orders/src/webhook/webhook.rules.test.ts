import assert from 'node:assert/strict';
import { describe, it } from 'node:test';
import { webhookEventsFor } from './webhook-event.ts';
import { isPublicAddress } from './webhook-url.ts';
import { DEFAULT_WEBHOOK_SENDER_SETTINGS, nextState, retryDelayMs } from './webhook.sender.ts';

describe('webhook rules', () => {
  it('backs off exponentially from the base delay up to the cap', () => {
    const settings = { retryBaseMs: 1000, retryMaxDelayMs: 5000 };
    assert.deepEqual([1, 2, 3, 4, 5].map((attempt) => retryDelayMs(attempt, settings)), [1000, 2000, 4000, 5000, 5000]);
  });

  it('keeps a failed delivery PENDING until the last attempt, then FAILED; a 2xx is SUCCEEDED', () => {
    const settings = { ...DEFAULT_WEBHOOK_SENDER_SETTINGS, maxAttempts: 3, retryBaseMs: 100 };
    const at = new Date(0);
    assert.deepEqual(nextState(1, false, at, settings), { status: 'PENDING', nextAttemptAt: new Date(100) });
    assert.deepEqual(nextState(2, false, at, settings), { status: 'PENDING', nextAttemptAt: new Date(200) });
    assert.deepEqual(nextState(3, false, at, settings), { status: 'FAILED', nextAttemptAt: null });
    assert.deepEqual(nextState(3, true, at, settings), { status: 'SUCCEEDED', nextAttemptAt: null });
  });

  it('maps order events to webhook events, leaving out checkouts that never went through', () => {
    assert.deepEqual(webhookEventsFor('OrderPlaced', {}), ['ORDER_PLACED', 'ORDER_CONFIRMED']);
    assert.deepEqual(webhookEventsFor('OrderFulfilled', {}), ['ORDER_FULFILLED']);
    assert.deepEqual(webhookEventsFor('OrderRefunded', {}), ['ORDER_REFUNDED']);
    assert.deepEqual(webhookEventsFor('OrderCancelled', { fromStatus: 'CONFIRMED' }), ['ORDER_CANCELLED']);
    assert.deepEqual(webhookEventsFor('OrderCancelled', { fromStatus: 'PENDING' }), []);
    assert.deepEqual(webhookEventsFor('StockChanged', {}), []);
  });

  it('tells public addresses from loopback, private, link-local and reserved ones, IPv4-mapped IPv6 included', () => {
    for (const ip of ['8.8.8.8', '1.1.1.1', '2606:4700:4700::1111', '::ffff:8.8.8.8']) assert.equal(isPublicAddress(ip), true, ip);
    for (const ip of ['127.0.0.1', '10.1.2.3', '172.16.0.1', '192.168.1.1', '169.254.169.254', '100.64.0.1', '0.0.0.0', '::1', '::', 'fd00::1', 'fe80::1', '::ffff:127.0.0.1', '::ffff:10.0.0.1', 'not-an-ip']) {
      assert.equal(isPublicAddress(ip), false, ip);
    }
  });
});
