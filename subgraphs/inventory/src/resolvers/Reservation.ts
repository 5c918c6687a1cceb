import type { Reservation as ReservationValue } from '../reservation/reservation.service.ts';

export const Reservation = {
  expiresAt: (reservation: ReservationValue) => reservation.expiresAt.toISOString(),
};
