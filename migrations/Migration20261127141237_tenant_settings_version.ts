import { Migration } from '@mikro-orm/migrations';

/**
 * Administrators change the tenant's settings through the API: a version for optimistic locking (a
 * stale edit is refused, not lost), when it last changed, and the municipality's display name, the
 * one column of `tenants` the service may write.
 */
export class Migration20261127141237_tenant_settings_version extends Migration {
  override name = 'Migration20261127141237_tenant_settings_version';

  override up(): void {
    this.addSql(`alter table tenant_settings add column version int not null default 1, add column updated_at timestamptz not null default now()`);
    this.addSql(`alter table tenants add constraint tenants_name_length check (char_length(name) between 1 and 100)`);
    this.addSql(`grant update (name) on tenants to tsunagi_app`);
  }
}
