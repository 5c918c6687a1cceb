import type { CodegenConfig } from '@graphql-codegen/cli';

/**
 * Resolver types for each subgraph, generated from its `src/schema.graphql`
 * into `src/__generated__/resolvers-types.ts` (checked in).
 * `npm run codegen` writes them; `npm run codegen:check` fails when one is stale.
 *
 * Parent types (`mappers`) are what the resolvers actually receive: the
 * MikroORM entities and service results, not the GraphQL shapes.
 */

/**
 * The Federation 2 definitions the subgraph schemas use through `@link` but
 * do not declare (the subgraph libraries and composition know them). Only so
 * the SDL parses: `federation: true` reads `@key`/`@requires` for the
 * `__resolveReference` types, and the rest only show up in the unused
 * `DirectiveResolvers` type. Products declares its own `@cacheControl`.
 */
const federationDirectives = /* GraphQL */ `
  scalar _FieldSet
  directive @link(url: String!, as: String, import: [String], for: String) repeatable on SCHEMA
  directive @composeDirective(name: String!) repeatable on SCHEMA
  directive @key(fields: _FieldSet!, resolvable: Boolean = true) repeatable on OBJECT | INTERFACE
  directive @requires(fields: _FieldSet!) on FIELD_DEFINITION
  directive @provides(fields: _FieldSet!) on FIELD_DEFINITION
  directive @external on OBJECT | FIELD_DEFINITION
  directive @shareable repeatable on OBJECT | FIELD_DEFINITION
  directive @inaccessible on FIELD_DEFINITION | OBJECT | INTERFACE | UNION | ARGUMENT_DEFINITION | SCALAR | ENUM | ENUM_VALUE | INPUT_OBJECT | INPUT_FIELD_DEFINITION
`;

/** Options shared by every subgraph (typescript + typescript-resolvers plugins). */
const common = {
  federation: true,
  useTypeImports: true,
  enumsAsTypes: true,
  contextType: '../context.ts#Context',
  mapperTypeSuffix: 'Model',
  scalars: { _FieldSet: 'string' },
};

/** Per subgraph: GraphQL type -> `path/relative/to/__generated__.ts#Export`. */
const mappers: Record<string, Record<string, string>> = {
  accounts: {
    User: '../user/user.entity.ts#User',
    Address: '../address/address.entity.ts#Address',
    ApiClient: '../api-client/api-client.entity.ts#ApiClient',
    AuthPayload: '../auth/auth.service.ts#AuthPayload',
    SigningKey: '../signing-key/signing-key.service.ts#SigningKeyInfo',
  },
  products: {
    Product: '../product/product.entity.ts#Product',
    Variant: '../product/product.entity.ts#Variant',
    ProductImage: '../product/product.entity.ts#ProductImage',
    Category: '../category/category.entity.ts#Category',
    LiveSale: '../live-sale/live-sale.entity.ts#LiveSale',
    LiveSalePrice: '../live-sale/live-sale.entity.ts#LiveSalePrice',
    VariantPrice: '../product/product.service.ts#VariantPrice',
    // Referenced by id only (resolvable: false): the seller's representation.
    User: '{ id: string }',
  },
  orders: {
    Order: '../order/order.entity.ts#Order',
    OrderItem: '../order/order.entity.ts#OrderItem',
    PlaceOrderResult: '../checkout/checkout.service.ts#PlaceOrderResult',
    Cart: '../cart/cart.rules.ts#PricedCart',
    CartLine: '../cart/cart.rules.ts#PricedLine',
    Fulfilment: '../fulfilment/fulfilment.repository.ts#FulfilmentRow',
    Refund: '../refund/refund.repository.ts#RefundRow',
    Webhook: '../webhook/webhook.repository.ts#WebhookRow',
    WebhookDelivery: '../webhook/webhook.repository.ts#DeliveryRow',
    WebhookDeliveryAttempt: '../webhook/webhook.repository.ts#AttemptRow',
    CreatedWebhook: '../webhook/webhook.service.ts#CreatedWebhook',
    // Referenced by id only; the gateway's representation is all there is.
    User: '{ id: string }',
    // Provided in the checkout's answer only (OrderPlaced.order @provides): id and status.
    Payment: '../remote/payments.client.ts#PaymentState',
  },
  inventory: {
    // A variant here is its stock level (see resolvers/Variant.ts).
    Variant: '../stock/stock-level.ts#StockLevel',
    StockLevel: '../stock/stock-level.ts#StockLevel',
    Reservation: '../reservation/reservation.service.ts#Reservation',
    // The gateway's representation: the key plus the `@requires` fields.
    Product: '{ id: string; variants?: { sku: string }[] }',
  },
  payments: {
    Payment: '../payment/payment.entity.ts#Payment',
    PaymentToken: '../provider/payment-provider.ts#CardToken',
    AuthorizePaymentResult: '../payment/payment.service.ts#AuthorizeResult',
    // Referenced by id only; the gateway's representation is all there is.
    Order: '{ id: string }',
  },
};

const config: CodegenConfig = {
  overwrite: true,
  importExtension: '.ts',
  generates: Object.fromEntries(
    Object.entries(mappers).map(([subgraph, subgraphMappers]) => [
      `subgraphs/${subgraph}/src/__generated__/resolvers-types.ts`,
      {
        schema: [federationDirectives, `subgraphs/${subgraph}/src/schema.graphql`],
        plugins: ['typescript', 'typescript-resolvers'],
        config: { ...common, mappers: subgraphMappers },
      },
    ]),
  ),
};

export default config;
