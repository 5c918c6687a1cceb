import { readFileSync } from 'node:fs';

/**
 * The demo data set (deploy/demo/demo-data.json) that the embedded stack
 * seeds on first start. Each service reads only the part it owns; the file
 * keeps ids consistent across services.
 */
export interface DemoData {
  users: { id: string; email: string; name: string; role: 'ADMIN' | 'SELLER' | 'CUSTOMER' }[];
  products: {
    id: string;
    slug: string;
    name: string;
    description: string;
    sellerId: string;
    price: { amount: number; currency: string };
    createdAt: string;
    variants: { sku: string; name: string; price: { amount: number; currency: string } }[];
  }[];
  stock: { sku: string; available: number }[];
}

export const DEMO_PASSWORD = 'demo-password';

export function loadDemoData(file = process.env.DEMO_DATA_FILE ?? new URL('../../deploy/demo/demo-data.json', import.meta.url)): DemoData {
  return JSON.parse(readFileSync(file, 'utf8')) as DemoData;
}
