import assert from 'node:assert/strict';
import { describe, it } from 'node:test';
import { effectivePrice, liveSaleStatus, nextChangeAt, parseScheduleLiveSaleInput, START_GRACE_MS } from './live-sale.rules.ts';

const startsAt = new Date('2026-05-01T18:00:00.000Z');
const endsAt = new Date('2026-05-01T20:00:00.000Z');
const sale = { startsAt, endsAt, cancelledAt: null };
const before = new Date(startsAt.getTime() - 1);
const after = new Date(endsAt.getTime() + 1);

describe('live sale status', () => {
  it('is UPCOMING before the start, LIVE from the start until just before the end, ENDED from the end', () => {
    assert.equal(liveSaleStatus(sale, before), 'UPCOMING');
    assert.equal(liveSaleStatus(sale, startsAt), 'LIVE');
    assert.equal(liveSaleStatus(sale, new Date(endsAt.getTime() - 1)), 'LIVE');
    assert.equal(liveSaleStatus(sale, endsAt), 'ENDED');
  });

  it('is ENDED once cancelled, whatever the clock says', () => {
    const cancelled = { ...sale, cancelledAt: before };
    assert.equal(liveSaleStatus(cancelled, before), 'ENDED');
    assert.equal(liveSaleStatus(cancelled, startsAt), 'ENDED');
    assert.equal(nextChangeAt(cancelled, before), null);
  });

  it('next changes at the start, then at the end, then never', () => {
    assert.deepEqual(nextChangeAt(sale, before), startsAt);
    assert.deepEqual(nextChangeAt(sale, startsAt), endsAt);
    assert.equal(nextChangeAt(sale, after), null);
  });
});

describe('effective price', () => {
  const salePrice = { sku: 'A', liveSaleId: 'sale-1', amount: 700, startsAt, endsAt };
  it('is the sale price only while the sale is LIVE', () => {
    assert.deepEqual(effectivePrice(1000, salePrice, before), { amount: 1000, liveSaleId: null });
    assert.deepEqual(effectivePrice(1000, salePrice, startsAt), { amount: 700, liveSaleId: 'sale-1' });
    assert.deepEqual(effectivePrice(1000, salePrice, endsAt), { amount: 1000, liveSaleId: null });
    assert.deepEqual(effectivePrice(1000, null, startsAt), { amount: 1000, liveSaleId: null });
  });
});

describe('schedule input', () => {
  const now = new Date('2026-05-01T17:00:00.000Z');
  const input = { title: ' Evening ', startsAt: '2026-05-01T18:00:00Z', endsAt: '2026-05-01T20:00:00+00:00', productIds: ['0b4f4a3e-8a7e-4c4e-9d6a-2f1e3c5b7a90'] };

  it('accepts a valid schedule, trimming the title and lowercasing ids', () => {
    const { draft, problems } = parseScheduleLiveSaleInput({ ...input, productIds: ['0B4F4A3E-8A7E-4C4E-9D6A-2F1E3C5B7A90'] }, now);
    assert.deepEqual(problems.list, []);
    assert.deepEqual(draft, { title: 'Evening', startsAt, endsAt, productIds: ['0b4f4a3e-8a7e-4c4e-9d6a-2f1e3c5b7a90'], prices: [] });
  });

  it('accepts a start a little in the past (a "now" sent over a slow network), not more', () => {
    const slightly = new Date(now.getTime() - START_GRACE_MS + 1000).toISOString();
    const long = new Date(now.getTime() - START_GRACE_MS - 1000).toISOString();
    assert.deepEqual(parseScheduleLiveSaleInput({ ...input, startsAt: slightly }, now).problems.list, []);
    assert.deepEqual(parseScheduleLiveSaleInput({ ...input, startsAt: long }, now).problems.list.map((p) => p.field), ['input.startsAt']);
  });

  it('rejects times without a zone, windows over 7 days and negative sale prices', () => {
    const { problems } = parseScheduleLiveSaleInput(
      { ...input, startsAt: '2026-05-01 18:00', endsAt: '2026-05-09T18:00:00Z', prices: [{ sku: 'A', amount: -1 }] },
      now,
    );
    assert.deepEqual(problems.list.map((p) => p.field), ['input.startsAt', 'input.prices[0].amount']);
    const week = parseScheduleLiveSaleInput({ ...input, endsAt: '2026-05-08T18:00:01Z' }, now);
    assert.deepEqual(week.problems.list.map((p) => p.field), ['input.endsAt']);
  });
});
