import { isUuid } from '../db.ts';
import { InputProblems } from '../input-problems.ts';
import { MAX_SLUG_LENGTH, SLUG_PATTERN } from '../slug.ts';
import type { VariantOption } from './product.entity.ts';

/**
 * Validation of the product mutations' inputs: pure functions that turn the
 * GraphQL input into clean values and collect every problem, each named by
 * its argument path. Checks that need the database (a sku or slug already
 * taken, an unknown category) are made by the service afterwards.
 */

export interface MoneyInput {
  amount: number;
  currency: string;
}
export interface VariantOptionInput {
  name: string;
  value: string;
}
export interface ProductImageInput {
  url: string;
  altText?: string | null;
}
export interface VariantInput {
  sku: string;
  name?: string | null;
  options?: readonly VariantOptionInput[] | null;
  price?: MoneyInput | null;
}
export interface UpdateVariantInput {
  name?: string | null;
  options?: readonly VariantOptionInput[] | null;
  price?: MoneyInput | null;
}
export interface CreateProductInput {
  name: string;
  slug?: string | null;
  description?: string | null;
  price: MoneyInput;
  sellerId?: string | null;
  categoryIds?: readonly string[] | null;
  images?: readonly ProductImageInput[] | null;
  variants: readonly VariantInput[];
}
export interface UpdateProductInput {
  name?: string | null;
  slug?: string | null;
  description?: string | null;
  price?: MoneyInput | null;
  categoryIds?: readonly string[] | null;
  images?: readonly ProductImageInput[] | null;
}

export interface NewVariant {
  sku: string;
  name: string;
  options: VariantOption[];
  priceAmount: number;
  currency: string;
}
export interface NewImage {
  url: string;
  altText: string;
}
export interface ProductDraft {
  name: string;
  /** Undefined: derive one from the name. */
  slug: string | undefined;
  description: string;
  priceAmount: number;
  currency: string;
  categoryIds: string[];
  images: NewImage[];
  variants: NewVariant[];
}
/** Only the fields to change are present. */
export interface ProductChanges {
  name?: string;
  slug?: string;
  description?: string;
  priceAmount?: number;
  categoryIds?: string[];
  images?: NewImage[];
}
export interface VariantChanges {
  name?: string;
  options?: VariantOption[];
  priceAmount?: number;
}

export const LIMITS = Object.freeze({
  name: 200,
  description: 10_000,
  /** 1,000,000.00 in a two-decimal currency: a typo guard, not a business rule. */
  price: 100_000_000,
  categories: 10,
  images: 20,
  url: 2048,
  altText: 300,
  variants: 100,
  options: 10,
  optionName: 50,
  optionValue: 100,
});

export const SKU_PATTERN = /^[A-Za-z0-9][A-Za-z0-9._-]{0,63}$/;
const CURRENCY_PATTERN = /^[A-Z]{3}$/;

function money(problems: InputProblems, field: string, value: MoneyInput, currency?: string): number | undefined {
  let ok = true;
  if (value.amount < 0 || value.amount > LIMITS.price) {
    problems.add(`${field}.amount`, `"${field}.amount" must be between 0 and ${LIMITS.price} (minor units).`);
    ok = false;
  }
  if (!CURRENCY_PATTERN.test(value.currency)) {
    problems.add(`${field}.currency`, `"${field}.currency" must be an ISO 4217 code in capitals, e.g. USD.`);
    ok = false;
  } else if (currency && value.currency !== currency) {
    problems.add(`${field}.currency`, `"${field}.currency" must be ${currency}, the product's currency.`);
    ok = false;
  }
  return ok ? value.amount : undefined;
}

function slug(problems: InputProblems, field: string, value: string): string | undefined {
  if (value.length > MAX_SLUG_LENGTH || !SLUG_PATTERN.test(value)) {
    problems.add(field, `"${field}" must be lowercase letters and digits separated by single dashes, at most ${MAX_SLUG_LENGTH} characters.`);
    return undefined;
  }
  return value;
}

function options(problems: InputProblems, field: string, values: readonly VariantOptionInput[]): VariantOption[] {
  if (!problems.count(field, values, 0, LIMITS.options)) return [];
  const seen = new Map<string, number>();
  return values.flatMap((option, i) => {
    const name = problems.text(`${field}[${i}].name`, option.name, 1, LIMITS.optionName);
    const value = problems.text(`${field}[${i}].value`, option.value, 1, LIMITS.optionValue);
    if (name === undefined || value === undefined) return [];
    const key = name.toLowerCase();
    const first = seen.get(key);
    if (first !== undefined) {
      problems.add(`${field}[${i}].name`, `"${field}[${i}].name" repeats option "${name}" of ${field}[${first}].`);
      return [];
    }
    seen.set(key, i);
    return [{ name, value }];
  });
}

function images(problems: InputProblems, field: string, values: readonly ProductImageInput[]): NewImage[] {
  if (!problems.count(field, values, 0, LIMITS.images)) return [];
  return values.flatMap((image, i) => {
    const url = image.url.trim();
    let valid = false;
    try {
      valid = new URL(url).protocol === 'https:' && url.length <= LIMITS.url;
    } catch {
      valid = false;
    }
    if (!valid) problems.add(`${field}[${i}].url`, `"${field}[${i}].url" must be an absolute https URL of at most ${LIMITS.url} characters.`);
    const altText = problems.text(`${field}[${i}].altText`, image.altText ?? '', 0, LIMITS.altText);
    return valid && altText !== undefined ? [{ url, altText }] : [];
  });
}

function categoryIds(problems: InputProblems, field: string, values: readonly string[]): string[] {
  if (!problems.count(field, values, 0, LIMITS.categories)) return [];
  const ids = new Set<string>();
  values.forEach((id, i) => {
    if (isUuid(id)) ids.add(id.toLowerCase());
    else problems.add(`${field}[${i}]`, `"${field}[${i}]" is not a category id.`);
  });
  return [...ids];
}

/** A variant to add; `currency` is the product's, `defaultPrice` its list price. */
export function parseVariant(problems: InputProblems, field: string, input: VariantInput, currency: string, defaultPrice: number | undefined): NewVariant | undefined {
  const sku = SKU_PATTERN.test(input.sku) ? input.sku : undefined;
  if (!sku) problems.add(`${field}.sku`, `"${field}.sku" must be 1 to 64 letters, digits, ".", "_" or "-", starting with a letter or digit.`);
  const parsedOptions = options(problems, `${field}.options`, input.options ?? []);
  let name: string | undefined;
  if (input.name != null) name = problems.text(`${field}.name`, input.name, 1, LIMITS.name);
  else if (parsedOptions.length) name = parsedOptions.map((o) => o.value).join(' / ');
  else problems.add(`${field}.name`, `"${field}.name" is required when the variant has no options.`);
  const priceAmount = input.price ? money(problems, `${field}.price`, input.price, currency) : defaultPrice;
  if (sku === undefined || name === undefined || priceAmount === undefined) return undefined;
  return { sku, name, options: parsedOptions, priceAmount, currency };
}

export function parseCreateProductInput(input: CreateProductInput, field = 'input'): { draft: ProductDraft | undefined; problems: InputProblems } {
  const problems = new InputProblems();
  const name = problems.text(`${field}.name`, input.name, 1, LIMITS.name);
  const parsedSlug = input.slug == null ? undefined : slug(problems, `${field}.slug`, input.slug);
  const description = problems.text(`${field}.description`, input.description ?? '', 0, LIMITS.description);
  const priceAmount = money(problems, `${field}.price`, input.price);
  const currency = input.price.currency;
  const parsedCategoryIds = categoryIds(problems, `${field}.categoryIds`, input.categoryIds ?? []);
  const parsedImages = images(problems, `${field}.images`, input.images ?? []);
  const variants: NewVariant[] = [];
  if (problems.count(`${field}.variants`, input.variants, 1, LIMITS.variants)) {
    const firstIndexOfSku = new Map<string, number>();
    input.variants.forEach((variantInput, i) => {
      const variantField = `${field}.variants[${i}]`;
      const first = firstIndexOfSku.get(variantInput.sku);
      if (first !== undefined) {
        problems.add(`${variantField}.sku`, `"${variantField}.sku" repeats the sku of ${field}.variants[${first}].`);
        return;
      }
      firstIndexOfSku.set(variantInput.sku, i);
      const variant = parseVariant(problems, variantField, variantInput, currency, priceAmount);
      if (variant) variants.push(variant);
    });
  }
  const complete = name !== undefined && description !== undefined && priceAmount !== undefined && problems.list.length === 0;
  return {
    problems,
    draft: complete
      ? { name, slug: parsedSlug, description, priceAmount, currency, categoryIds: parsedCategoryIds, images: parsedImages, variants }
      : undefined,
  };
}

export function parseUpdateProductInput(input: UpdateProductInput, currency: string, field = 'input'): { changes: ProductChanges; problems: InputProblems } {
  const problems = new InputProblems();
  const changes: ProductChanges = {};
  if (input.name != null) changes.name = problems.text(`${field}.name`, input.name, 1, LIMITS.name);
  if (input.slug != null) changes.slug = slug(problems, `${field}.slug`, input.slug);
  if (input.description != null) changes.description = problems.text(`${field}.description`, input.description, 0, LIMITS.description);
  if (input.price != null) changes.priceAmount = money(problems, `${field}.price`, input.price, currency);
  if (input.categoryIds != null) changes.categoryIds = categoryIds(problems, `${field}.categoryIds`, input.categoryIds);
  if (input.images != null) changes.images = images(problems, `${field}.images`, input.images);
  return { changes, problems };
}

export function parseUpdateVariantInput(input: UpdateVariantInput, currency: string, field = 'input'): { changes: VariantChanges; problems: InputProblems } {
  const problems = new InputProblems();
  const changes: VariantChanges = {};
  if (input.name != null) changes.name = problems.text(`${field}.name`, input.name, 1, LIMITS.name);
  if (input.options != null) changes.options = options(problems, `${field}.options`, input.options);
  if (input.price != null) changes.priceAmount = money(problems, `${field}.price`, input.price, currency);
  return { changes, problems };
}
