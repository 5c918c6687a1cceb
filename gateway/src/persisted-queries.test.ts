import assert from 'node:assert/strict';
import { Writable } from 'node:stream';
import { describe, it } from 'node:test';
import { HeaderMap, type HTTPGraphQLRequest } from '@apollo/server';
import { pino } from 'pino';
import { createOperationPolicy, type Manifest } from './persisted-queries.ts';

const manifest: Manifest = { byId: new Map() };

function capturingLogger() {
  const lines: Record<string, unknown>[] = [];
  const stream = new Writable({
    write(chunk, _encoding, done) {
      lines.push(JSON.parse(chunk.toString()));
      done();
    },
  });
  return { logger: pino({ level: 'warn' }, stream), lines };
}

const post = (query: string, operationName?: string): HTTPGraphQLRequest => ({ method: 'POST', headers: new HeaderMap(), search: '', body: { query, operationName } });
const flush = () => new Promise((resolve) => setImmediate(resolve));

describe('log-unknown mode', () => {
  it('logs an unknown operation once per document hash, without its text', async () => {
    const { logger, lines } = capturingLogger();
    const policy = createOperationPolicy({ manifest, mode: 'log-unknown', logger });
    const secret = '{ me { email } } # a long document that must not reach the log';
    for (let i = 0; i < 50; i++) policy(post(secret, 'Mine'), {});
    policy(post('{ __typename }'), {});
    await flush();
    assert.equal(lines.length, 2);
    assert.equal(lines[0]!.operationName, 'Mine');
    assert.match(String(lines[0]!.hash), /^[0-9a-f]{64}$/);
    assert.ok(!JSON.stringify(lines).includes('must not reach the log'));
  });

  it('writes at most ten lines a minute however many distinct documents arrive', async () => {
    const { logger, lines } = capturingLogger();
    let now = 0;
    const policy = createOperationPolicy({ manifest, mode: 'log-unknown', logger, now: () => now });
    for (let i = 0; i < 500; i++) policy(post(`{ a${i}: __typename }`), {});
    await flush();
    assert.equal(lines.length, 10);
    now = 60_000;
    policy(post('{ another: __typename }'), {});
    await flush();
    assert.equal(lines.length, 11);
  });
});
