import assert from 'node:assert/strict';
import { describe, it } from 'node:test';
import { createLogger } from './logger.ts';
import { createErrorFormatter } from './subgraph.ts';

const logger = createLogger('formatter-test', 'silent');
const fromSubgraph = {
  message: '"first" must be between 1 and 100, got -5.',
  path: ['products'],
  extensions: { code: 'BAD_USER_INPUT', field: 'first', stacktrace: ['GraphQLError: ...', '    at badUserInput (file:///srv/platform/src/errors.ts:20:10)'] },
};

describe('the error formatter at the edge', () => {
  it('in production, passes an expected error on without the stack trace a subgraph in development mode attached', () => {
    assert.deepEqual(createErrorFormatter(logger, true)(fromSubgraph, undefined), {
      message: fromSubgraph.message,
      path: ['products'],
      extensions: { code: 'BAD_USER_INPUT', field: 'first' },
    });
  });

  it("in production, drops Apollo Server 2's exception extension and field suggestions too", () => {
    const formatted = { message: 'Cannot query field "produts" on type "Query". Did you mean "products"?', extensions: { code: 'GRAPHQL_VALIDATION_FAILED', exception: { stacktrace: ['at x (/srv/a.ts:1:1)'] } } };
    assert.deepEqual(createErrorFormatter(logger, true)(formatted, undefined), { message: 'Cannot query field "produts" on type "Query".', extensions: { code: 'GRAPHQL_VALIDATION_FAILED' } });
  });

  it('in development, leaves the stack trace for whoever is debugging', () => {
    assert.deepEqual(createErrorFormatter(logger, false)(fromSubgraph, undefined), fromSubgraph);
  });

  it('answers a database that is restarting or unreachable (by its error code, however wrapped) as SERVICE_UNAVAILABLE, retryable, in production and development', () => {
    const restarting = Object.assign(new Error('terminating connection due to administrator command'), { code: '57P01' });
    const refused = Object.assign(new Error('connect ECONNREFUSED 127.0.0.1:5432'), { code: 'ECONNREFUSED' });
    const formatted = { message: 'terminating connection due to administrator command', path: ['placeOrder'], extensions: { code: 'INTERNAL_SERVER_ERROR' } };
    const expected = { message: 'A service this request needs is unavailable right now; try again shortly.', locations: undefined, path: ['placeOrder'], extensions: { code: 'SERVICE_UNAVAILABLE', retryable: true } };
    assert.deepEqual(createErrorFormatter(logger, true)(formatted, { originalError: restarting }), expected);
    assert.deepEqual(createErrorFormatter(logger, false)(formatted, { originalError: new Error('wrapped', { cause: refused }) }), expected);
  });

  it('still masks an error without such a code as an internal error in production', () => {
    const formatted = { message: 'Connection terminated unexpectedly', path: ['placeOrder'], extensions: { code: 'INTERNAL_SERVER_ERROR' } };
    assert.deepEqual(createErrorFormatter(logger, true)(formatted, { originalError: new Error('Connection terminated unexpectedly') }), {
      message: 'Internal server error',
      locations: undefined,
      path: ['placeOrder'],
      extensions: { code: 'INTERNAL_SERVER_ERROR' },
    });
  });
});
