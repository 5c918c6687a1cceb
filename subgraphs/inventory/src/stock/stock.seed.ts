import type { DemoData } from '@shop/platform';
import type { StockRepository } from './stock.repository.ts';

/** Seeds the demo stock levels once: does nothing when any stock row exists. Returns the number inserted. */
export async function seedDemoStock(repository: StockRepository, data: DemoData): Promise<number> {
  if (!(await repository.isEmpty())) return 0;
  return repository.insertLevels(data.stock);
}
