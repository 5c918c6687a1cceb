import { randomUUID } from 'node:crypto';
import { createLogger, migrateDatabase, type IdentityVerifier, type MikroORM } from '@shop/platform';
import { dropSchema, TEST_DATABASE_URL, uniqueSchemaName } from '@shop/platform/testing';
import { createServer, openDatabase } from '../../products/src/server.ts';
import { insertProduct } from '../../products/test/fixtures.ts';

export interface Products {
  orm: MikroORM;
  /** The GraphQL endpoint of the listening products server. */
  url: string;
  /** GraphQL requests the server has received so far (each seller lookup is one). */
  readonly requests: number;
  /** Inserts a product of `sellerId` with one variant per sku (PUBLISHED unless `status` says otherwise); returns the product id. */
  addProduct(sellerId: string, skus: readonly string[], status?: 'DRAFT' | 'PUBLISHED' | 'ARCHIVED'): Promise<string>;
  close(): Promise<void>;
}

/**
 * The REAL products subgraph in-process (its own createServer and
 * openDatabase, on its own schema of the test PostgreSQL, migrated), listening
 * on a free port: what inventory asks for the seller of a sku.
 */
export async function startProducts(options: { identity?: IdentityVerifier; production?: boolean } = {}): Promise<Products> {
  const schema = uniqueSchemaName('inventory_products');
  const orm = await openDatabase({ url: TEST_DATABASE_URL, schema });
  try {
    await migrateDatabase(orm, schema, TEST_DATABASE_URL);
    const server = await createServer({ orm, logger: createLogger('inventory-test-products', 'silent'), ...options });
    let requests = 0;
    server.http.server.on('request', (req) => {
      if (req.method === 'POST' && req.url?.startsWith('/graphql')) requests += 1;
    });
    const port = await server.listen(0, '127.0.0.1');
    return {
      orm,
      url: `http://127.0.0.1:${port}/graphql`,
      get requests() {
        return requests;
      },
      addProduct: (sellerId, skus, status = 'PUBLISHED') =>
        insertProduct(orm, { name: `Stocked ${randomUUID().slice(0, 8)}`, sellerId, status, variants: skus.map((sku) => ({ sku, name: sku })) }),
      async close() {
        await server.close();
        await orm.close();
        await dropSchema(schema);
      },
    };
  } catch (error) {
    await orm.close();
    await dropSchema(schema);
    throw error;
  }
}
