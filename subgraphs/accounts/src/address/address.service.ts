import { randomUUID } from 'node:crypto';
import { badUserInput, forbidden, notFound, requireViewer, type Viewer } from '@shop/platform';
import type { PrivateAccess } from '../private-access.ts';
import type { Transaction } from '../repositories.ts';
import type { Address } from './address.entity.ts';
import type { AddressLoaders } from './address.loaders.ts';

export interface AddressInput {
  fullName: string;
  line1: string;
  line2?: string | null;
  city: string;
  region?: string | null;
  postalCode: string;
  country: string;
  isDefault?: boolean | null;
}

export interface ValidAddress {
  fullName: string;
  line1: string;
  line2: string | null;
  city: string;
  region: string | null;
  postalCode: string;
  country: string;
  isDefault: boolean;
}

/** An address book is small by nature; the cap keeps one account from filling the table. */
export const MAX_ADDRESSES_PER_USER = 20;

function required(value: string, field: string, max: number): string {
  const trimmed = value.trim();
  if (!trimmed) throw badUserInput(`"${field}" must not be empty.`, field);
  if (trimmed.length > max) throw badUserInput(`"${field}" must be at most ${max} characters long.`, field);
  return trimmed;
}

function optional(value: string | null | undefined, field: string, max: number): string | null {
  const trimmed = value?.trim();
  return trimmed ? required(trimmed, field, max) : null;
}

/** Trims every field and upper-cases the country; BAD_USER_INPUT names the first wrong field (`input.<name>`). */
export function validateAddressInput(input: AddressInput): ValidAddress {
  const country = input.country.trim().toUpperCase();
  if (!/^[A-Z]{2}$/.test(country)) throw badUserInput('"input.country" must be an ISO 3166-1 alpha-2 code such as US.', 'input.country');
  return {
    fullName: required(input.fullName, 'input.fullName', 100),
    line1: required(input.line1, 'input.line1', 200),
    line2: optional(input.line2, 'input.line2', 200),
    city: required(input.city, 'input.city', 100),
    region: optional(input.region, 'input.region', 100),
    postalCode: required(input.postalCode, 'input.postalCode', 20),
    country,
    isDefault: input.isDefault === true,
  };
}

/**
 * Address books. Only the owner changes theirs; the owner and ADMINs read it.
 * The first address becomes the default; at most one address is the default.
 */
export class AddressService {
  readonly #loaders: AddressLoaders;
  readonly #transaction: Transaction;
  readonly #access: PrivateAccess;
  constructor(loaders: AddressLoaders, transaction: Transaction, access: PrivateAccess) {
    this.#loaders = loaders;
    this.#transaction = transaction;
    this.#access = access;
  }

  /** FORBIDDEN for anyone but the user and ADMINs (the field is nullable, so only it is lost, not the user). */
  async addressesOf(userId: string): Promise<Address[]> {
    if (!this.#access.allows(userId)) throw forbidden("Only the account's owner and admins can see its addresses.");
    return this.#loaders.addressesByUserId.load(userId);
  }

  async addAddress(viewer: Viewer | null, input: AddressInput): Promise<Address> {
    const { userId } = requireViewer(viewer);
    const address = validateAddressInput(input);
    return this.#transaction(async ({ users, addresses }) => {
      if (!(await users.lock(userId))) throw notFound('Your account no longer exists.');
      const count = await addresses.countByUserId(userId);
      if (count >= MAX_ADDRESSES_PER_USER) throw badUserInput(`An address book holds at most ${MAX_ADDRESSES_PER_USER} addresses.`, 'input');
      const isDefault = address.isDefault || count === 0;
      if (isDefault) await addresses.clearDefault(userId);
      return addresses.insert({ ...address, id: randomUUID(), userId, isDefault });
    });
  }

  /** Makes one of the viewer's addresses the default; NOT_FOUND for an id that is not in their address book. */
  async setDefaultAddress(viewer: Viewer | null, id: string): Promise<Address> {
    const { userId } = requireViewer(viewer);
    return this.#transaction(async ({ users, addresses }) => {
      await users.lock(userId);
      const address = await addresses.findById(id);
      // Someone else's address is reported as missing: ids must not reveal other users' data.
      if (!address || address.userId !== userId) throw notFound(`No address with id "${id}" in your address book.`);
      if (address.isDefault) return address;
      await addresses.clearDefault(userId);
      return (await addresses.markDefault(userId, id))!;
    });
  }
}
