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
});
