import { Migration } from '@mikro-orm/migrations';

/**
 * An idempotency key's claim is a lease: a request that died leaves its key pending, and a retry after
 * the lease has lapsed takes it over. `claim` tells the holder apart from whoever took it over since,
 * so a late finisher neither overwrites nor frees a key that is no longer its own.
 */
export class Migration20261127060000_idempotency_lease extends Migration {
  override name = 'Migration20261127060000_idempotency_lease';

  override up(): void {
    this.addSql(`alter table idempotency_keys add column claimed_at timestamptz not null default now(), add column claim uuid not null default gen_random_uuid()`);
    this.addSql(`update idempotency_keys set claimed_at = created_at`);
  }
}
