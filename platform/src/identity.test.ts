import assert from 'node:assert/strict';
import { before, describe, it } from 'node:test';
import { createCachedSigner, createIdentitySigner, createIdentityVerifier, generateIdentityKeys, IDENTITY_HEADER, type IdentityKeys, type IdentitySigner } from './identity.ts';

let gatewayKeys: IdentityKeys;
let ordersKeys: IdentityKeys;
let gateway: IdentitySigner;
let orders: IdentitySigner;

before(async () => {
  gatewayKeys = await generateIdentityKeys();
  ordersKeys = await generateIdentityKeys();
  gateway = await createIdentitySigner(gatewayKeys.privateKey, 'gateway');
  orders = await createIdentitySigner(ordersKeys.privateKey, 'orders');
});

const headers = (token: string) => ({ [IDENTITY_HEADER]: token });

describe('identity tokens between services', () => {
  it('carries the viewer and the client address from the gateway', async () => {
    const verifier = await createIdentityVerifier({ gateway: gatewayKeys.publicKey });
    const token = await gateway.sign({ userId: 'u1', roles: ['CUSTOMER'] }, '203.0.113.4');
    assert.deepEqual(await verifier.identify(headers(token)), { service: 'gateway', viewer: { userId: 'u1', roles: ['CUSTOMER'] }, clientAddress: '203.0.113.4' });
    const anonymous = await gateway.sign(null, '198.51.100.2');
    assert.deepEqual(await verifier.identify(headers(anonymous)), { service: 'gateway', viewer: null, clientAddress: '198.51.100.2' });
  });

  it('accepts another service only as itself, only where it is expected', async () => {
    const inventory = await createIdentityVerifier({ gateway: gatewayKeys.publicKey, orders: ordersKeys.publicKey });
    const accounts = await createIdentityVerifier({ gateway: gatewayKeys.publicKey });
    const itself = await orders.sign({ userId: 'orders', roles: ['SERVICE'] });
    assert.deepEqual(await inventory.viewerFrom(headers(itself)), { userId: 'orders', roles: ['SERVICE'] });
    assert.equal(await accounts.identify(headers(itself)), null, 'accounts does not expect calls from orders');
  });

  it('refuses a non-gateway service that asserts a customer, an admin, another service or a client address', async () => {
    const inventory = await createIdentityVerifier({ gateway: gatewayKeys.publicKey, orders: ordersKeys.publicKey });
    for (const token of [
      await orders.sign({ userId: 'u1', roles: ['ADMIN'] }),
      await orders.sign({ userId: 'orders', roles: ['SERVICE', 'ADMIN'] }),
      await orders.sign({ userId: 'payments', roles: ['SERVICE'] }),
      await orders.sign({ userId: 'orders', roles: ['SERVICE'] }, '203.0.113.4'),
      await orders.sign(null),
    ]) {
      assert.equal(await inventory.identify(headers(token)), null);
    }
  });

  it('refuses the gateway posing as another service, and a token signed with a key under another name', async () => {
    const inventory = await createIdentityVerifier({ gateway: gatewayKeys.publicKey, orders: ordersKeys.publicKey });
    assert.equal(await inventory.identify(headers(await gateway.sign({ userId: 'orders', roles: ['SERVICE'] }))), null);
    const ordersKeyAsGateway = await createIdentitySigner(ordersKeys.privateKey, 'gateway');
    assert.equal(await inventory.identify(headers(await ordersKeyAsGateway.sign({ userId: 'u1', roles: ['ADMIN'] }))), null);
  });

  it('accepts a SERVICE identity only from the services a subgraph lists, while still serving clients through the gateway', async () => {
    const keys = { gateway: gatewayKeys.publicKey, orders: ordersKeys.publicKey };
    const inventory = await createIdentityVerifier({ keys, services: ['orders'] });
    const accounts = await createIdentityVerifier({ keys: { gateway: gatewayKeys.publicKey }, services: ['gateway'] });
    const gatewayService = await gateway.sign({ userId: 'gateway', roles: ['SERVICE'] });
    const ordersService = await orders.sign({ userId: 'orders', roles: ['SERVICE'] });
    assert.equal(await inventory.identify(headers(gatewayService)), null);
    assert.deepEqual(await inventory.viewerFrom(headers(ordersService)), { userId: 'orders', roles: ['SERVICE'] });
    assert.deepEqual(await inventory.viewerFrom(headers(await gateway.sign({ userId: 'a1', roles: ['ADMIN'] }))), { userId: 'a1', roles: ['ADMIN'] });
    assert.deepEqual(await accounts.viewerFrom(headers(gatewayService)), { userId: 'gateway', roles: ['SERVICE'] });
  });

  it('forgets a verified token once it expires', async () => {
    let now = Date.now();
    const verifier = await createIdentityVerifier({ gateway: gatewayKeys.publicKey }, { now: () => now });
    const token = await gateway.sign({ userId: 'u1', roles: ['CUSTOMER'] });
    assert.ok(await verifier.viewerFrom(headers(token)));
    now += 61_000;
    assert.equal(await verifier.viewerFrom(headers(token)), null);
  });
});

describe('the gateway signer cache', () => {
  it('signs once per viewer and address per half token lifetime', async () => {
    let now = Date.now();
    const cached = createCachedSigner(gateway, { now: () => now });
    const viewer = { userId: 'u1', roles: ['CUSTOMER' as const] };
    const first = await cached.sign(viewer, '203.0.113.4');
    assert.equal(await cached.sign(viewer, '203.0.113.4'), first);
    assert.notEqual(await cached.sign(viewer, '203.0.113.5'), first);
    assert.notEqual(await cached.sign({ userId: 'u1', roles: ['ADMIN'] }, '203.0.113.4'), first);
    now += 31_000;
    // A new token needs a new iat: jose counts in whole seconds.
    await new Promise((resolve) => setTimeout(resolve, 1_000));
    assert.notEqual(await cached.sign(viewer, '203.0.113.4'), first);
  });
});
