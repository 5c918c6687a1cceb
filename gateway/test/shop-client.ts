import { readFileSync } from 'node:fs';
import { postGraphQL } from '@shop/platform/testing';

/**
 * A client of the gateway for end-to-end tests and benchmarks: the contract's
 * operations (schema/operations) sent exactly as our apps send them.
 */
export const operation = (name: string) => readFileSync(new URL(`../../schema/operations/${name}.graphql`, import.meta.url), 'utf8');

export const CARDS = {
  success: '4242424242424242',
  declined: '4000000000000002',
  insufficientFunds: '4000000000009995',
  timeout: '4000000000000119',
} as const;

export class ShopClient {
  readonly url: string;
  constructor(url: string) {
    this.url = url;
  }

  async call(name: string, variables: Record<string, unknown>, token?: string) {
    const response = await postGraphQL(this.url, operation(name), variables, token ? { authorization: `Bearer ${token}` } : {});
    return response.body;
  }

  /** Signs a new customer up and returns the access token and user id. */
  async signUp(email: string, password = 'correct-horse-battery'): Promise<{ token: string; userId: string }> {
    const body = await this.call('SignUp', { email, password, name: email.split('@')[0] });
    if (!body.data?.signUp) throw new Error(`signUp failed: ${JSON.stringify(body.errors)}`);
    return { token: body.data.signUp.accessToken, userId: body.data.signUp.user.id };
  }

  async signIn(email: string, password: string): Promise<string> {
    const body = await this.call('SignIn', { email, password });
    if (!body.data?.signIn) throw new Error(`signIn failed: ${JSON.stringify(body.errors)}`);
    return body.data.signIn.accessToken;
  }

  async paymentToken(token: string, number: string = CARDS.success): Promise<string> {
    const body = await this.call('CreatePaymentToken', { number, expMonth: 12, expYear: new Date().getFullYear() + 3, cvc: '123' }, token);
    if (!body.data?.createPaymentToken) throw new Error(`createPaymentToken failed: ${JSON.stringify(body.errors)}`);
    return body.data.createPaymentToken.token;
  }

  async placeOrder(token: string, items: { sku: string; quantity: number }[], paymentToken: string, idempotencyKey: string) {
    return this.call('PlaceOrder', { items, paymentToken, idempotencyKey }, token);
  }

  async restock(token: string, sku: string, quantity: number) {
    const body = await this.call('Restock', { sku, quantity }, token);
    if (!body.data?.restock) throw new Error(`restock failed: ${JSON.stringify(body.errors)}`);
    return body.data.restock as { sku: string; available: number };
  }

  async available(sku: string): Promise<number> {
    const body = await this.call('StockLevels', { skus: [sku] });
    if (!body.data) throw new Error(`stockLevels failed: ${JSON.stringify(body.errors)}`);
    return body.data.stockLevels[0].available;
  }
}
