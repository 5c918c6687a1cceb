import { readdirSync, readFileSync } from 'node:fs';
import { join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { Kind, parse, type OperationDefinitionNode, type TypeNode } from 'graphql';
import { DEMO_PASSWORD, loadDemoData, type DemoData } from '@shop/platform';
import type { ExampleTab } from './explorer-settings.ts';

/** The contract's operation documents, one per file (schema/operations/<Name>.graphql). */
export const OPERATIONS_DIR = fileURLToPath(new URL('../../../schema/operations/', import.meta.url));

/**
 * The order a storefront developer meets the contract in: browse, sign in,
 * pay, check out, look back, then the seller and live-sale operations. An
 * operation missing here still gets a tab, after these, by name.
 */
const TAB_ORDER = ['ProductList', 'ProductPage', 'StockLevels', 'SignIn', 'SignUp', 'CreatePaymentToken', 'PlaceOrder', 'MyOrders', 'Restock', 'StockChanged'];

/** Values for variables, by variable name, so that each tab runs as it opens against the demo data. */
type Samples = Readonly<Record<string, unknown>>;

function samplesFrom(demo: DemoData | undefined): { common: Samples; byOperation: Readonly<Record<string, Samples>>; notes: Readonly<Record<string, string>> } {
  const product = demo?.products[0];
  const stocked = product?.variants.find((v) => (demo?.stock.find((s) => s.sku === v.sku)?.available ?? 0) > 0) ?? product?.variants[0];
  const customer = demo?.users.find((u) => u.role === 'CUSTOMER');
  const admin = demo?.users.find((u) => u.role === 'ADMIN');
  const sku = stocked?.sku ?? 'SKU-1';
  const signIn = (who: string) => `# Needs ${who}: run SignIn, then set Headers to {"Authorization": "Bearer <accessToken>"}.\n`;
  return {
    common: {
      first: 10,
      id: product?.id ?? 'product-id',
      skus: product ? product.variants.map((v) => v.sku) : [sku],
      sku,
      quantity: 1,
      email: customer?.email ?? 'customer@example.com',
      password: DEMO_PASSWORD,
      // The payments sandbox's test card.
      number: '4242424242424242',
      expMonth: 12,
      expYear: new Date().getUTCFullYear() + 3,
      cvc: '123',
      items: [{ sku, quantity: 1 }],
      paymentToken: '<token from CreatePaymentToken>',
      idempotencyKey: 'explorer-checkout-1',
    },
    byOperation: {
      SignUp: { email: 'new.customer@example.com', name: 'New Customer', password: 'a-long-enough-password' },
      Restock: { quantity: 10 },
    },
    notes: {
      PlaceOrder: signIn('a signed-in customer'),
      MyOrders: signIn('a signed-in customer'),
      Restock: signIn(`a seller or an admin (sign in as ${admin?.email ?? 'an admin'})`),
      StockChanged: '# Streams over graphql-ws on this endpoint: run it, then Restock the sku in another tab.\n',
    },
  };
}

/** A value of the variable's type, for operations this file knows nothing about. */
function placeholder(type: TypeNode): unknown {
  if (type.kind === Kind.NON_NULL_TYPE) return placeholder(type.type);
  if (type.kind === Kind.LIST_TYPE) return [placeholder(type.type)];
  switch (type.name.value) {
    case 'Int':
    case 'Float':
      return 1;
    case 'Boolean':
      return true;
    case 'String':
    case 'ID':
      return '';
    default:
      return {};
  }
}

/**
 * Variables for one operation: every required variable gets a value (the
 * operation's own sample, a common sample by name, or a placeholder of its
 * type); optional ones are left out so the tab shows the minimum to send.
 */
export function exampleVariables(operation: OperationDefinitionNode, common: Samples, own: Samples = {}): Record<string, unknown> {
  const variables: Record<string, unknown> = {};
  for (const definition of operation.variableDefinitions ?? []) {
    const name = definition.variable.name.value;
    if (definition.type.kind !== Kind.NON_NULL_TYPE || definition.defaultValue) continue;
    variables[name] = name in own ? own[name] : name in common ? common[name] : placeholder(definition.type);
  }
  return variables;
}

function tryLoadDemoData(): DemoData | undefined {
  try {
    return loadDemoData();
  } catch {
    // Without the demo data set the tabs still open, with placeholder ids.
    return undefined;
  }
}

/**
 * One explorer tab per contract operation in `dir`, with example variables
 * taken from the demo data and, where an operation needs a signed-in user, a
 * comment saying how to send the token. Read once at gateway start.
 */
export function loadExampleTabs(dir = OPERATIONS_DIR, demo: DemoData | undefined = tryLoadDemoData()): ExampleTab[] {
  const { common, byOperation, notes } = samplesFrom(demo);
  const rank = (name: string) => (TAB_ORDER.includes(name) ? TAB_ORDER.indexOf(name) : TAB_ORDER.length);
  const operations = readdirSync(dir)
    .filter((file) => file.endsWith('.graphql'))
    .map((file) => {
      const query = readFileSync(join(dir, file), 'utf8').trim();
      const operation = parse(query).definitions.find((d): d is OperationDefinitionNode => d.kind === Kind.OPERATION_DEFINITION);
      if (!operation?.name) throw new Error(`${file} has no named operation`);
      return { name: operation.name.value, operation, query };
    })
    .sort((a, b) => rank(a.name) - rank(b.name) || a.name.localeCompare(b.name));
  return operations.map(({ name, operation, query }) => ({
    query: `${notes[name] ?? ''}${query}\n`,
    variables: JSON.stringify(exampleVariables(operation, common, byOperation[name]), null, 2),
  }));
}
