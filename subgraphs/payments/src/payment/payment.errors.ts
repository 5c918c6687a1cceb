import { GraphQLError } from 'graphql';

/** The provider did not answer within the client timeout; retrying the same call is safe (it is idempotent). */
export function providerUnavailable(): GraphQLError {
  return new GraphQLError('The payment provider did not answer in time. Retrying is safe.', {
    extensions: { code: 'PAYMENT_PROVIDER_TIMEOUT' },
  });
}
