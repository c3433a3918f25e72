import { Migration } from '@mikro-orm/migrations';
import { tenantTable } from './support/tenant-table';

/** 人財: people who offer time or skills, listed only with their consent; contact only with consent to be contacted. */
export class Migration20261127176100_participation_volunteers extends Migration {
  override name = 'Migration20261127176100_participation_volunteers';

  override up(): void {
    this.addSql(
      `create table participation_volunteers (
        id uuid primary key,
        tenant_id uuid not null references tenants (id) deferrable initially deferred,
        name text not null,
        kind text not null,
        owner_department_id uuid not null,
        skills text[] not null default '{}',
        days text[] not null default '{}',
        availability text,
        district_codes text[] not null default '{}',
        contact text,
        listing_consent jsonb not null,
        contact_consent boolean not null default false,
        state text not null,
        version int not null default 1,
        created_by uuid not null,
        created_at timestamptz not null,
        updated_at timestamptz not null
      )`,
    );
    this.addSql(`create index participation_volunteers_directory on participation_volunteers (tenant_id, name, id)`);
    for (const sql of tenantTable('participation_volunteers', 'select, insert, update')) this.addSql(sql);
  }
}
