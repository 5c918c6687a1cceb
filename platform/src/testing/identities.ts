import { createIdentitySigner, generateIdentityKeys, IDENTITY_HEADER, type IdentitySigner, type CallerKeys, type Viewer } from '../identity.ts';

/**
 * The gateway's and the orders service's identity keys for in-process tests,
 * arranged as in production: a customer, seller or admin comes through the
 * gateway; a SERVICE caller of inventory, payments or products is the orders
 * saga, signing as itself with its own key.
 */
export interface TestIdentities {
  /** Public keys by service, for `createIdentityVerifier`. */
  callers: CallerKeys;
  gateway: IdentitySigner;
  orders: IdentitySigner;
  /** The identity header the real caller of `viewer` would send. */
  headers(viewer: Viewer): Promise<Record<string, string>>;
}

export async function createTestIdentities(): Promise<TestIdentities> {
  const gatewayKeys = await generateIdentityKeys();
  const ordersKeys = await generateIdentityKeys();
  const gateway = await createIdentitySigner(gatewayKeys.privateKey, 'gateway');
  const orders = await createIdentitySigner(ordersKeys.privateKey, 'orders');
  return {
    callers: { gateway: gatewayKeys.publicKey, orders: ordersKeys.publicKey },
    gateway,
    orders,
    async headers(viewer) {
      const token = viewer.roles.includes('SERVICE') ? await orders.sign({ userId: 'orders', roles: ['SERVICE'] }) : await gateway.sign(viewer);
      return { [IDENTITY_HEADER]: token };
    },
  };
}
