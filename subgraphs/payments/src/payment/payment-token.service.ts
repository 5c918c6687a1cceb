import { badUserInput, requireViewer, type Viewer } from '@shop/platform';
import { InvalidCardError } from '../provider/card.ts';
import type { CardDetails, CardToken } from '../provider/payment-provider.ts';
import { ProviderTimeoutError, type PaymentProviderClient } from '../provider/provider-client.ts';
import { providerUnavailable } from './payment.errors.ts';

/**
 * Turns card details into a single-use token for the signed-in customer.
 * The card never touches this service's storage: the provider validates it
 * and keeps only brand and last 4 next to the token's hash.
 */
export class PaymentTokenService {
  readonly #provider: PaymentProviderClient;
  constructor(provider: PaymentProviderClient) {
    this.#provider = provider;
  }

  async createToken(viewer: Viewer | null, card: CardDetails): Promise<CardToken> {
    const customer = requireViewer(viewer);
    try {
      return await this.#provider.tokenize(card, customer.userId);
    } catch (error) {
      if (error instanceof InvalidCardError) throw badUserInput(error.message, `card.${error.field}`);
      if (error instanceof ProviderTimeoutError) throw providerUnavailable();
      throw error;
    }
  }
}
