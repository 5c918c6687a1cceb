import mercurius from 'mercurius';
import { createErrorFormatter, withoutSuggestions, type Logger } from '@shop/platform';
import type { GraphQLFormattedError } from 'graphql';

type MercuriusErrorFormatter = NonNullable<mercurius.MercuriusOptions['errorFormatter']>;

/**
 * Mercurius' error formatting with the platform's masking rule: an error
 * raised while resolving a field (it has a `path`) without one of our codes is
 * unexpected, so it is logged and, in production, replaced by a generic
 * message. Request-level errors (syntax, validation, CSRF) describe the
 * caller's mistake and pass through as mercurius reports them, except that in
 * production their "Did you mean" suggestions are cut, as the Apollo subgraphs
 * and the gateway do: they would list the schema where introspection is off.
 */
export function createMercuriusErrorFormatter(logger: Logger, production: boolean): MercuriusErrorFormatter {
  const mask = createErrorFormatter(logger, production);
  return (execution, context) => {
    const originals = new Map(execution.errors.filter((e) => e.path).map((e) => [e.path!.join('.'), e.originalError ?? e]));
    const { statusCode, response } = mercurius.defaultErrorFormatter(execution, context);
    const errors = (response.errors as readonly GraphQLFormattedError[] | undefined)?.map((error) =>
      error.path ? mask(error, originals.get(error.path.join('.'))) : production ? withoutSuggestions(error) : error,
    );
    return { statusCode, response: { ...response, errors } };
  };
}
