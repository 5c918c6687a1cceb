/**
 * Card checks every provider makes before it accepts a card: the number's
 * Luhn check digit, the brand from its prefix, an expiry that has not
 * passed, and a CVC of the brand's length. Pure functions; the clock is a
 * parameter.
 */
export type CardField = 'number' | 'expMonth' | 'expYear' | 'cvc';

export class InvalidCardError extends Error {
  readonly field: CardField;
  constructor(field: CardField, message: string) {
    super(message);
    this.name = 'InvalidCardError';
    this.field = field;
  }
}

export type CardBrand = 'visa' | 'mastercard' | 'amex' | 'discover' | 'unknown';

export interface ValidCard {
  /** Digits only. */
  number: string;
  brand: CardBrand;
  last4: string;
}

/** How far ahead an expiry date may be; issuers do not print cards valid for longer. */
export const MAX_YEARS_AHEAD = 20;

/** Removes the spaces and dashes people type between digit groups. */
export function normalizeCardNumber(raw: string): string {
  return raw.replace(/[\s-]/g, '');
}

export function passesLuhn(digits: string): boolean {
  let sum = 0;
  for (let i = 0; i < digits.length; i++) {
    let digit = digits.charCodeAt(digits.length - 1 - i) - 48;
    if (i % 2 === 1) {
      digit *= 2;
      if (digit > 9) digit -= 9;
    }
    sum += digit;
  }
  return sum % 10 === 0;
}

export function cardBrand(digits: string): CardBrand {
  if (/^4/.test(digits)) return 'visa';
  if (/^3[47]/.test(digits)) return 'amex';
  if (/^(5[1-5]|222[1-9]|22[3-9]\d|2[3-6]\d\d|27[01]\d|2720)/.test(digits)) return 'mastercard';
  if (/^(6011|65|64[4-9])/.test(digits)) return 'discover';
  return 'unknown';
}

/** Returns the card's digits, brand and last 4, or throws InvalidCardError for the first bad field. */
export function validateCard(card: { number: string; expMonth: number; expYear: number; cvc: string }, now: Date): ValidCard {
  const number = normalizeCardNumber(card.number);
  if (!/^\d{12,19}$/.test(number) || !passesLuhn(number)) {
    throw new InvalidCardError('number', 'The card number is not valid.');
  }
  if (!Number.isInteger(card.expMonth) || card.expMonth < 1 || card.expMonth > 12) {
    throw new InvalidCardError('expMonth', 'The expiry month must be between 1 and 12.');
  }
  const year = now.getUTCFullYear();
  if (!Number.isInteger(card.expYear) || card.expYear > year + MAX_YEARS_AHEAD) {
    throw new InvalidCardError('expYear', 'The expiry year must be a four-digit year.');
  }
  // A card is valid through the last day of its expiry month.
  if (card.expYear < year) throw new InvalidCardError('expYear', 'The card has expired.');
  if (card.expYear === year && card.expMonth < now.getUTCMonth() + 1) throw new InvalidCardError('expMonth', 'The card has expired.');
  const brand = cardBrand(number);
  const cvcLength = brand === 'amex' ? 4 : 3;
  if (!new RegExp(`^\\d{${cvcLength}}$`).test(card.cvc)) {
    throw new InvalidCardError('cvc', `The security code must be ${cvcLength} digits.`);
  }
  return { number, brand, last4: number.slice(-4) };
}
