import { Migration } from '@shop/platform';

/**
 * Payments (one per order), the refunds applied to them, and the ledger of
 * calls made to the payment provider that makes every call idempotent.
 */
export class CreatePayments extends Migration {
  override async up(): Promise<void> {
    this.addSql(`
      create table payments (
        id uuid primary key,
        order_id uuid not null unique,
        user_id uuid not null,
        status text not null check (status in ('AUTHORIZED', 'CAPTURED', 'VOIDED', 'REFUNDED', 'PARTIALLY_REFUNDED', 'FAILED')),
        amount integer not null check (amount > 0),
        refunded_amount integer not null default 0,
        currency char(3) not null,
        card_brand text not null,
        card_last4 char(4) not null,
        provider_ref text not null,
        failure_reason text,
        failure_message text,
        created_at timestamptz(3) not null default now(),
        updated_at timestamptz(3) not null default now(),
        constraint payments_refund_within_amount check (refunded_amount between 0 and amount),
        constraint payments_failure_explained check ((status = 'FAILED') = (failure_reason is not null))
      )`);
    this.addSql('create index payments_user_idx on payments (user_id, created_at desc)');
    this.addSql(`
      create table payment_refunds (
        id uuid primary key,
        payment_id uuid not null references payments (id) on delete cascade,
        idempotency_key text not null unique,
        amount integer not null check (amount > 0),
        provider_ref text not null,
        created_at timestamptz(3) not null default now()
      )`);
    this.addSql('create index payment_refunds_payment_idx on payment_refunds (payment_id)');
    this.addSql(`
      create table provider_calls (
        idempotency_key text primary key,
        operation text not null check (operation in ('authorize', 'capture', 'void', 'refund')),
        request_hash text not null,
        status text not null check (status in ('pending', 'completed')),
        outcome jsonb,
        attempts integer not null default 1,
        created_at timestamptz(3) not null default now(),
        completed_at timestamptz(3),
        constraint provider_calls_outcome_when_completed check ((status = 'completed') = (outcome is not null))
      )`);
  }
}
