import { canActFor, forbidden, isUuid, notFound, requireViewer, type Viewer } from '@shop/platform';
import { fetchVariantPrices } from '../catalogue/variant-prices.ts';
import type { CheckoutService, PlaceOrderResult } from '../checkout/checkout.service.ts';
import type { ProductsClient, VariantPrice } from '../remote/products.client.ts';
import type { CartRepository, CartRow } from './cart.repository.ts';
import {
  cartCurrency,
  CartErrorReason,
  cartError,
  checkAddition,
  checkNewQuantity,
  checkOnSale,
  linesAfterCheckout,
  priceCart,
  quantityAfterAdding,
  type PricedCart,
  type StoredLine,
} from './cart.rules.ts';

export interface CartServiceDeps {
  repository: CartRepository;
  /** Live prices (live sales included) and publication state per sku. */
  products: ProductsClient;
  /** The checkout placeOrder runs; checkoutCart goes through its public entry point. */
  checkout: CheckoutService;
}

/**
 * The signed-in customer's cart, kept in PostgreSQL so that it is the same on
 * every device. Lines store sku and quantity only: every read prices them
 * again from products (one call per cart, however many lines), so the cart
 * never shows a stale price.
 */
export class CartService {
  readonly #repository: CartRepository;
  readonly #products: ProductsClient;
  readonly #checkout: CheckoutService;
  constructor(deps: CartServiceDeps) {
    this.#repository = deps.repository;
    this.#products = deps.products;
    this.#checkout = deps.checkout;
  }

  /** The user's cart (empty when they never used one); the user themself or an ADMIN. */
  async getCart(viewer: Viewer | null, userId: string): Promise<PricedCart> {
    if (!canActFor(requireViewer(viewer), userId)) throw forbidden('You can only see your own cart.');
    const cart = (await this.#repository.findByUser(userId)) ?? (await this.#repository.transactional((tx) => tx.lockOrCreate(userId)));
    return this.#priced(cart, await this.#repository.findLines(cart.id));
  }

  /**
   *   1. check the arguments;
   *   2. price the cart's skus and the new one in one call (the answer needs them anyway);
   *   3. the sku must be on sale and in the cart's currency;
   *   4. under the cart's lock: add to the sku's line (or create it) within the limits;
   *   5. answer the cart, priced.
   */
  async addToCart(viewer: Viewer | null, sku: string, quantity: number): Promise<PricedCart> {
    const customer = requireCustomer(viewer);
    checkAddition(sku, quantity);
    const current = await this.#repository.findByUser(customer.userId);
    const before = current ? await this.#repository.findLines(current.id) : [];
    const prices = await this.#prices([...before.map((line) => line.sku), sku]);
    const price = checkOnSale(sku, prices.get(sku));
    const currency = cartCurrency(before, prices);
    if (currency && currency !== price.unitPrice.currency) {
      throw cartError(CartErrorReason.CURRENCY_MISMATCH, `${sku} is priced in ${price.unitPrice.currency}; this cart holds ${currency} items.`, 'sku');
    }
    const { cart, lines } = await this.#repository.transactional(async (tx) => {
      const locked = await tx.lockOrCreate(customer.userId);
      // Read again under the lock: another device may have changed the cart since.
      await tx.upsertLine(locked.id, sku, quantityAfterAdding(await tx.findLines(locked.id), sku, quantity));
      const at = new Date();
      await tx.touch(locked.id, at);
      return { cart: { ...locked, updatedAt: at }, lines: await tx.findLines(locked.id) };
    });
    return this.#priced(cart, lines, prices);
  }

  /** Sets a line's quantity (0 removes it). NOT_FOUND for a line that is not in the viewer's cart. */
  async setLineQuantity(viewer: Viewer | null, lineId: string, quantity: number): Promise<PricedCart> {
    const customer = requireCustomer(viewer);
    checkNewQuantity(quantity);
    const { cart, lines } = await this.#repository.transactional(async (tx) => {
      const locked = await tx.lockOrCreate(customer.userId);
      const line = await tx.findLineWithOwner(lineId);
      if (!line || line.cartId !== locked.id) throw notFound(`Your cart has no line ${lineId}.`);
      if (quantity === 0) await tx.deleteLines([line.id]);
      else await tx.setLineQuantity(line.id, quantity);
      const at = new Date();
      await tx.touch(locked.id, at);
      return { cart: { ...locked, updatedAt: at }, lines: await tx.findLines(locked.id) };
    });
    return this.#priced(cart, lines);
  }

  /**
   * Checks the whole cart out through placeOrder's own entry point, so the
   * outcomes, errors, idempotency and admission are placeOrder's:
   *   1. a checkout already recorded under this key is retried with what it
   *      bought (the cart may be empty by now), so it answers the same;
   *   2. otherwise the cart's lines are the items (an empty cart is refused);
   *   3. placeOrder;
   *   4. once the order is placed, record the checkout under its key and
   *      take the bought units out of the cart, in one transaction and only
   *      once per key. Any other outcome leaves the cart as it was.
   */
  async checkoutCart(viewer: Viewer | null, paymentToken: string, idempotencyKey: string): Promise<PlaceOrderResult> {
    const customer = requireCustomer(viewer);
    const recorded = await this.#repository.findCheckout(customer.userId, idempotencyKey);
    let items = recorded?.items;
    if (!items) {
      const cart = await this.#repository.findByUser(customer.userId);
      const lines = cart ? await this.#repository.findLines(cart.id) : [];
      if (!lines.length) throw cartError(CartErrorReason.CART_EMPTY, 'Your cart is empty: add something before checking out.');
      items = lines.map(({ sku, quantity }) => ({ sku, quantity }));
    }
    const result = await this.#checkout.placeOrder(viewer, { items, paymentToken, idempotencyKey });
    if (result.__typename === 'OrderPlaced' && !recorded) await this.#emptyAfterCheckout(customer.userId, idempotencyKey, result.order.id, items);
    return result;
  }

  async #emptyAfterCheckout(userId: string, idempotencyKey: string, orderId: string, items: { sku: string; quantity: number }[]): Promise<void> {
    await this.#repository.transactional(async (tx) => {
      const cart = await tx.lockOrCreate(userId);
      if (!(await tx.insertCheckout(userId, idempotencyKey, { orderId, items }))) return;
      const { update, remove } = linesAfterCheckout(await tx.findLines(cart.id), items);
      for (const line of update) await tx.setLineQuantity(line.id, line.quantity);
      await tx.deleteLines(remove);
      await tx.touch(cart.id, new Date());
    });
  }

  async #priced(cart: CartRow, lines: StoredLine[], known?: ReadonlyMap<string, VariantPrice>): Promise<PricedCart> {
    const missing = lines.filter((line) => !known?.has(line.sku)).map((line) => line.sku);
    const prices = missing.length ? new Map([...(known ?? []), ...(await this.#prices(missing))]) : (known ?? new Map());
    return priceCart(cart, lines, prices);
  }

  /** Prices from products by sku; SERVICE_UNAVAILABLE when the catalogue does not answer. */
  async #prices(skus: readonly string[]): Promise<Map<string, VariantPrice>> {
    const prices = await fetchVariantPrices(this.#products, skus, 'The catalogue cannot price your cart right now; nothing was changed. Try again.');
    return new Map(prices.map((price) => [price.sku, price]));
  }
}

/** Only a signed-in person has a cart: an internal service identity (not a user id) has none. */
function requireCustomer(viewer: Viewer | null): Viewer {
  const customer = requireViewer(viewer);
  if (!isUuid(customer.userId)) throw forbidden('Only a signed-in customer has a cart.');
  return customer;
}
