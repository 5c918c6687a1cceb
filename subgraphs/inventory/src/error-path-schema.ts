import type { RouteOptions } from 'fastify';

/**
 * mercurius 16 declares the response schema of its GraphQL routes with
 * `errors[].path` items of type string, so Fastify's serializer turns list
 * indices into strings (`["_entities", "0", "inStock"]`). The GraphQL spec
 * wants integers there, and @apollo/gateway relies on it: it maps an
 * `_entities` error back to the client's path only when `path[1]` is a
 * number. This onRoute hook widens the item type to string or integer on
 * the routes mercurius adds, before Fastify compiles their serializers.
 */
export function keepErrorPathIndicesNumeric(route: RouteOptions): void {
  const response = route.schema?.response as Record<string, { properties?: Record<string, unknown> }> | undefined;
  const success = response?.['2xx'];
  const errors = success?.properties?.errors as { items?: { properties?: Record<string, unknown> } } | undefined;
  const errorProperties = errors?.items?.properties;
  if (!success || !errors || !errorProperties || !('path' in errorProperties)) return;
  route.schema = {
    ...route.schema,
    response: {
      ...response,
      '2xx': {
        ...success,
        properties: {
          ...success.properties,
          errors: {
            ...errors,
            items: { ...errors.items, properties: { ...errorProperties, path: { type: 'array', items: { type: ['string', 'integer'] } } } },
          },
        },
      },
    },
  };
}
