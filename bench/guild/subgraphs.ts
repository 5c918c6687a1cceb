/**
 * The four subgraphs of the Guild's federation gateway benchmark
 * (github.com/graphql-hive/graphql-gateways-benchmark, `subgraphs/`: Rust,
 * async-graphql), rebuilt in Node with @apollo/subgraph and served, like the
 * original, from one process on one port at /accounts, /inventory, /products
 * and /reviews. Behaviour kept from the original, quirks included:
 * - `Review.author` is always user 1 (username provided) with reviews 1-2;
 * - the reviews subgraph answers any User reference with username "user" and
 *   reviews 1-2;
 * - inventory answers a Product reference from its own rows, ignoring the
 *   `price` and `weight` it requires, so `shippingEstimate` is always null.
 *
 * What is measured is the gateway, so these subgraphs must cost little: each
 * keeps the bytes of its answer per request body (the data never changes)
 * and answers a repeated request from there, as cheaply as the Rust original
 * answers anything. The first answer to each body is executed for real.
 *
 *   node bench/guild/subgraphs.ts --port 4200
 */
import { createServer, type IncomingMessage } from 'node:http';
import type { AddressInfo } from 'node:net';
import { parseArgs } from 'node:util';
import { buildSubgraphSchema } from '@apollo/subgraph';
import { execute, parse, type GraphQLSchema } from 'graphql';
import { IN_STOCK, PRODUCTS, REVIEWS, USERS, type Review } from './data.ts';

const FED = 'extend schema @link(url: "https://specs.apollo.dev/federation/v2.3", import: ["@key", "@shareable", "@external", "@provides", "@requires"])';

const firstTwoReviews = (): Review[] => REVIEWS.slice(0, 2);
const reviewOut = (r: Review) => ({ id: r.id, body: r.body, product: { upc: r.productUpc } });

export const SUBGRAPHS: Record<string, { typeDefs: string; resolvers: Record<string, Record<string, unknown>> }> = {
  accounts: {
    typeDefs: `${FED}
      type Query { me: User  user(id: ID!): User  users: [User] }
      type User @key(fields: "id") { id: ID!  name: String  username: String @shareable  birthday: Int }`,
    resolvers: {
      Query: { me: () => USERS[0], user: (_: unknown, { id }: { id: string }) => USERS.find((u) => u.id === id) ?? null, users: () => USERS },
      User: { __resolveReference: (ref: { id: string }) => USERS.find((u) => u.id === ref.id) ?? null },
    },
  },
  inventory: {
    typeDefs: `${FED}
      type Product @key(fields: "upc") {
        upc: String!
        weight: Int @external
        price: Int @external
        inStock: Boolean
        shippingEstimate: Int @requires(fields: "price weight")
      }`,
    resolvers: {
      Product: {
        __resolveReference: (ref: { upc: string }) => ({ upc: ref.upc, inStock: IN_STOCK.get(ref.upc) ?? null, price: null, weight: null }),
        shippingEstimate: (p: { price: number | null; weight: number | null }) => (p.price === null ? null : p.price > 1000 ? 0 : p.weight === null ? null : Math.trunc(p.weight / 2)),
      },
    },
  },
  products: {
    typeDefs: `${FED}
      type Query { topProducts(first: Int = 5): [Product] }
      type Product @key(fields: "upc") { upc: String!  name: String  price: Int  weight: Int }`,
    resolvers: {
      Query: { topProducts: (_: unknown, { first }: { first?: number | null }) => PRODUCTS.slice(0, first ?? 5) },
      Product: { __resolveReference: (ref: { upc: string }) => PRODUCTS.find((p) => p.upc === ref.upc) ?? null },
    },
  },
  reviews: {
    typeDefs: `${FED}
      type Review @key(fields: "id") { id: ID!  body: String  product: Product  author: User @provides(fields: "username") }
      type User @key(fields: "id") { id: ID!  username: String @external  reviews: [Review] }
      type Product @key(fields: "upc") { upc: String!  reviews: [Review] }`,
    resolvers: {
      Review: {
        __resolveReference: (ref: { id: string }) => {
          const review = REVIEWS.find((r) => r.id === ref.id);
          return review ? reviewOut(review) : null;
        },
        author: () => ({ id: '1', username: 'urigo', reviews: firstTwoReviews().map(reviewOut) }),
      },
      User: { __resolveReference: (ref: { id: string }) => ({ id: ref.id, username: 'user', reviews: firstTwoReviews().map(reviewOut) }) },
      Product: {
        __resolveReference: (ref: { upc: string }) => ({ upc: ref.upc }),
        reviews: (p: { upc: string }) => REVIEWS.filter((r) => r.productUpc === p.upc).map(reviewOut),
      },
    },
  },
};

async function readBody(req: IncomingMessage): Promise<string> {
  const chunks: Buffer[] = [];
  for await (const chunk of req as AsyncIterable<Buffer>) chunks.push(chunk);
  return Buffer.concat(chunks).toString('utf8');
}

/** Serves every subgraph at /<name> on one port; resolves with the port. */
export async function startGuildSubgraphs(port: number, host = '127.0.0.1'): Promise<{ port: number; close(): Promise<void> }> {
  const schemas = new Map<string, GraphQLSchema>(
    Object.entries(SUBGRAPHS).map(([name, s]) => [`/${name}`, buildSubgraphSchema([{ typeDefs: parse(s.typeDefs), resolvers: s.resolvers as never }])]),
  );
  const answers = new Map<string, Buffer>();
  const server = createServer((req, res) => {
    if (req.url === '/health') return void res.end('OK');
    const schema = schemas.get(req.url ?? '');
    if (!schema || req.method !== 'POST') {
      res.statusCode = 404;
      return void res.end();
    }
    readBody(req)
      .then(async (body) => {
        const key = `${req.url}\n${body}`;
        let answer = answers.get(key);
        if (!answer) {
          const { query, variables, operationName } = JSON.parse(body) as { query: string; variables?: Record<string, unknown>; operationName?: string };
          const result = await execute({ schema, document: parse(query), variableValues: variables, operationName });
          answer = Buffer.from(JSON.stringify(result));
          if (!result.errors) answers.set(key, answer);
        }
        res.writeHead(200, { 'content-type': 'application/json', 'content-length': answer.length });
        res.end(answer);
      })
      .catch((error: unknown) => {
        res.writeHead(500, { 'content-type': 'application/json' });
        res.end(JSON.stringify({ errors: [{ message: String(error) }] }));
      });
  });
  server.keepAliveTimeout = 65_000;
  await new Promise<void>((resolve) => server.listen(port, host, resolve));
  return {
    port: (server.address() as AddressInfo).port,
    close: () =>
      new Promise<void>((resolve) => {
        server.close(() => resolve());
        server.closeAllConnections();
      }),
  };
}

if (import.meta.main) {
  const { values } = parseArgs({ options: { port: { type: 'string', default: process.env.PORT ?? '4200' } } });
  const { port } = await startGuildSubgraphs(Number(values.port));
  console.log(`guild subgraphs on http://127.0.0.1:${port}/{accounts,inventory,products,reviews}`);
}
