import type { ReservationResolvers } from '../__generated__/resolvers-types.ts';

export const Reservation: ReservationResolvers = {
  expiresAt: (reservation) => reservation.expiresAt.toISOString(),
};
