import assert from 'node:assert/strict';
import { spawnSync } from 'node:child_process';
import { describe, it } from 'node:test';
import { fileURLToPath } from 'node:url';
import { ConfigError, readServiceConfig, readSigningKey } from './config.ts';

const DB = 'postgres://postgres@127.0.0.1:5432/postgres';

describe('service configuration', () => {
  it('applies the documented defaults', () => {
    const config = readServiceConfig({ DATABASE_URL: DB }, 'products', 4002);
    assert.equal(config.port, 4002);
    assert.equal(config.databaseSchema, 'products');
    assert.equal(config.logLevel, 'info');
    assert.equal(config.nodeEnv, 'development');
    assert.equal(config.redisUrl, undefined);
    assert.ok(Object.isFrozen(config));
  });

  it('listens on loopback in development and on every interface elsewhere, unless HOST says otherwise', () => {
    assert.equal(readServiceConfig({ DATABASE_URL: DB }, 'products', 4002).host, '127.0.0.1');
    assert.equal(readServiceConfig({ DATABASE_URL: DB, NODE_ENV: 'test' }, 'products', 4002).host, '0.0.0.0');
    assert.equal(readServiceConfig({ DATABASE_URL: DB, HOST: '10.1.2.3' }, 'products', 4002).host, '10.1.2.3');
  });

  it('expects the orders service only where the checkout saga calls, and its SERVICE identity only there', () => {
    const env = { DATABASE_URL: DB, INTERNAL_IDENTITY_PUBLIC_KEY: '-----BEGIN PUBLIC KEY-----\nx\n-----END PUBLIC KEY-----', ORDERS_IDENTITY_PUBLIC_KEY: '-----BEGIN PUBLIC KEY-----\ny\n-----END PUBLIC KEY-----' };
    assert.deepEqual(Object.keys(readServiceConfig(env, 'accounts', 4001).identityCallers.keys), ['gateway']);
    assert.deepEqual(readServiceConfig(env, 'accounts', 4001).identityCallers.services, ['gateway']);
    assert.deepEqual(Object.keys(readServiceConfig(env, 'inventory', 4004).identityCallers.keys), ['gateway', 'orders']);
    assert.deepEqual(readServiceConfig(env, 'inventory', 4004).identityCallers.services, ['orders']);
    assert.deepEqual(readServiceConfig(env, 'orders', 4003).identityCallers.services, []);
  });

  it("expects inventory's SERVICE identity in products (seller lookups) and nowhere else", () => {
    const env = { DATABASE_URL: DB, INVENTORY_IDENTITY_PUBLIC_KEY: '-----BEGIN PUBLIC KEY-----\nz\n-----END PUBLIC KEY-----' };
    assert.deepEqual(readServiceConfig(env, 'products', 4002).identityCallers.services, ['orders', 'inventory']);
    assert.equal(readServiceConfig(env, 'products', 4002).identityCallers.keys.inventory, env.INVENTORY_IDENTITY_PUBLIC_KEY);
    for (const [service, port] of [['accounts', 4001], ['inventory', 4004], ['payments', 4005]] as const) {
      assert.ok(!(readServiceConfig(env, service, port).identityCallers.services ?? []).includes('inventory'), service);
    }
  });

  it("requires a calling service's own signing key in production, and names the variable", () => {
    const pem = '-----BEGIN PRIVATE KEY-----\nk\n-----END PRIVATE KEY-----';
    assert.equal(readSigningKey({ INVENTORY_IDENTITY_PRIVATE_KEY: pem }, 'inventory', 'production'), pem);
    assert.equal(readSigningKey({}, 'inventory', 'development'), undefined);
    assert.throws(() => readSigningKey({}, 'inventory', 'production'), (error: Error) => error instanceof ConfigError && /INVENTORY_IDENTITY_PRIVATE_KEY/.test(error.message));
    assert.throws(() => readSigningKey({ INVENTORY_IDENTITY_PRIVATE_KEY: 'not a pem' }, 'inventory', 'development'), ConfigError);
  });

  it('lets <SERVICE>_DATABASE_URL and <SERVICE>_PORT override the shared settings', () => {
    const config = readServiceConfig({ DATABASE_URL: DB, PRODUCTS_DATABASE_URL: 'postgres://other/db', PORT: '9000', PRODUCTS_PORT: '9100' }, 'products', 4002);
    assert.equal(config.databaseUrl, 'postgres://other/db');
    assert.equal(config.port, 9100);
  });

  for (const [env, variable] of [
    [{}, 'DATABASE_URL'],
    [{ DATABASE_URL: 'mysql://x' }, 'DATABASE_URL'],
    [{ DATABASE_URL: DB, PORT: 'eighty' }, 'PORT'],
    [{ DATABASE_URL: DB, PORT: '70000' }, 'PORT'],
    [{ DATABASE_URL: DB, REDIS_URL: 'http://x' }, 'REDIS_URL'],
    [{ DATABASE_URL: DB, LOG_LEVEL: 'loud' }, 'LOG_LEVEL'],
    [{ DATABASE_URL: DB, NODE_ENV: 'production' }, 'INTERNAL_IDENTITY_PUBLIC_KEY'],
    [{ DATABASE_URL: DB, INTERNAL_IDENTITY_PUBLIC_KEY: 'not a pem' }, 'INTERNAL_IDENTITY_PUBLIC_KEY'],
  ] as const) {
    it(`refuses ${JSON.stringify(env)} naming ${variable}`, () => {
      assert.throws(
        () => readServiceConfig(env, 'products', 4002),
        (error: unknown) => error instanceof ConfigError && error.variable === variable && error.message.includes(variable),
      );
    });
  }

  it('stops a service at start with a message that names the bad variable', () => {
    const main = fileURLToPath(new URL('../../subgraphs/products/src/main.ts', import.meta.url));
    const result = spawnSync(process.execPath, [main], { env: { PATH: process.env.PATH, DATABASE_URL: DB, PORT: 'eighty' }, encoding: 'utf8', timeout: 30_000 });
    assert.equal(result.status, 1);
    assert.match(result.stderr, /Invalid configuration: PORT must be an integer, got \\"eighty\\"/);
  });
});
