import { Migration } from '@shop/platform';

/**
 * State of the sandbox payment provider: what a real provider keeps on its
 * side (its card vault and charges). The token itself and the card number
 * are never stored: tokens by their SHA-256, cards by brand and last 4.
 */
export class CreateSandboxProvider extends Migration {
  override async up(): Promise<void> {
    this.addSql(`
      create table sandbox_tokens (
        token_hash text primary key,
        customer_id uuid not null,
        brand text not null,
        last4 char(4) not null,
        scenario text not null check (scenario in ('approve', 'card_declined', 'insufficient_funds', 'timeout')),
        created_at timestamptz(3) not null,
        expires_at timestamptz(3) not null,
        used_at timestamptz(3),
        used_by_key text
      )`);
    this.addSql(`
      create table sandbox_charges (
        ref text primary key,
        authorize_key text not null unique,
        customer_id uuid not null,
        status text not null check (status in ('authorized', 'declined', 'captured', 'voided')),
        decline_code text,
        amount integer not null check (amount > 0),
        currency char(3) not null,
        refunded_amount integer not null default 0,
        brand text not null,
        last4 char(4) not null,
        created_at timestamptz(3) not null default now(),
        constraint sandbox_charges_refund_within_amount check (refunded_amount between 0 and amount)
      )`);
    this.addSql(`
      create table sandbox_refunds (
        ref text primary key,
        idempotency_key text not null unique,
        charge_ref text not null references sandbox_charges (ref),
        amount integer not null check (amount > 0),
        created_at timestamptz(3) not null default now()
      )`);
  }
}
