import type pg from 'pg';
import { DEMO_PASSWORD, loadDemoData } from '@shop/platform';
import { ShopClient } from '../../gateway/test/shop-client.ts';
import { assertLedgerBalances } from './ledger.ts';
import { StockSubscriber, Traffic, type Buyer } from './traffic.ts';

const demo = loadDemoData();

/** Figures printed for the README's operations section (tests assert behaviour, not these). */
export const report = (line: string) => process.stdout.write(`# resilience: ${line}\n`);

/**
 * A live sale against a running stack (one process per service, or the
 * replica topology): a hot sku with `units` in stock, steady mixed traffic
 * from six buyers, live-stock subscribers, and the books checked afterwards.
 * `close()` stops every loop and subscriber even when a test failed (they
 * would keep the test process alive).
 */
export class Sale {
  readonly shop: ShopClient;
  readonly units: number;
  readonly #url: string;
  readonly #db: pg.Pool | pg.Client;
  readonly #schemas: Record<string, string>;
  readonly #traffic: Traffic[] = [];
  readonly #subscribers: StockSubscriber[] = [];
  admin = '';
  buyers: Buyer[] = [];

  constructor(options: { url: string; db: pg.Pool | pg.Client; schemas: Record<string, string>; units?: number }) {
    this.#url = options.url;
    this.#db = options.db;
    this.#schemas = options.schemas;
    this.units = options.units ?? 100_000;
    this.shop = new ShopClient(options.url);
  }

  /** Demo sku number `index` with `units` available, and fresh tokens (access tokens last 15 minutes; each test runs for minutes). */
  async freshSku(index: number): Promise<string> {
    this.admin = await this.shop.signIn('admin@demo.shop', DEMO_PASSWORD);
    this.buyers = await Promise.all(Array.from({ length: 6 }, (_, i) => this.shop.signUp(`resil-${index}-${i}-${Date.now()}@buyers.test`)));
    const sku = demo.stock[index]!.sku;
    await this.#db.query(`update "${this.#schemas.inventory}".stock set available = 0, reserved = 0 where sku = $1`, [sku]);
    await this.shop.restock(this.admin, sku, this.units);
    return sku;
  }

  /** Six client loops: product pages, stock reads (the hot sku among them) and checkouts of one unit of `sku`. */
  traffic(sku: string): Traffic {
    const load = new Traffic({
      url: this.#url,
      buyers: this.buyers,
      productIds: demo.products.slice(0, 20).map((p) => p.id),
      skus: demo.stock.slice(0, 20).map((s) => s.sku),
      hotSku: sku,
      workers: 6,
    });
    this.#traffic.push(load);
    return load;
  }

  /** Four live-stock subscribers of `sku` that reconnect whenever their connection drops. */
  subscribe(sku: string): StockSubscriber[] {
    return Array.from({ length: 4 }, () => {
      const subscriber = new StockSubscriber(this.#url, [sku]);
      this.#subscribers.push(subscriber);
      return subscriber;
    });
  }

  /** Stock moves once more after the events: every subscriber, reconnected or not, must see the new level. */
  async assertSubscribersResume(subscribers: StockSubscriber[], sku: string): Promise<void> {
    const level = (await this.shop.restock(this.admin, sku, 7)).available;
    await Promise.all(subscribers.map((s) => s.waitFor(level, 30_000)));
  }

  /** No acknowledged order lost, none twice, nothing oversold, one capture per confirmed order, nothing held (see ledger.ts). */
  assertLedgerBalances(sku: string, load: Traffic): Promise<void> {
    return assertLedgerBalances(this.#db, this.#schemas, sku, this.units, load);
  }

  async close(): Promise<void> {
    await Promise.all(this.#traffic.map((t) => t.stop()));
    await Promise.all(this.#subscribers.map((s) => s.close()));
  }
}
