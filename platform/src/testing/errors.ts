import assert from 'node:assert/strict';
import { GraphQLError } from 'graphql';

/**
 * Runs `fn`, asserts that it throws a BAD_USER_INPUT GraphQLError, and
 * returns the `extensions.field` that error names (for unit tests of input
 * rules).
 */
export function badUserInputField(fn: () => unknown): unknown {
  try {
    fn();
  } catch (error) {
    assert.ok(error instanceof GraphQLError, `expected a GraphQLError, got ${String(error)}`);
    assert.equal(error.extensions.code, 'BAD_USER_INPUT');
    return error.extensions.field;
  }
  assert.fail('expected BAD_USER_INPUT');
}
