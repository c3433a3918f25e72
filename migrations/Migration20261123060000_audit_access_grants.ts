import { Migration } from '@mikro-orm/migrations';
import { tenantTable } from './support/tenant-table';

/** 監査のための閲覧特例: an auditor's request to read one case, decided by someone else, time-limited. */
export class Migration20261123060000_audit_access_grants extends Migration {
  override name = 'Migration20261123060000_audit_access_grants';

  override up(): void {
    const statements = [
      `create table access_grants (
        id uuid primary key,
        tenant_id uuid not null references tenants (id) deferrable initially deferred,
        case_id uuid not null,
        requested_by uuid not null,
        reason text not null check (char_length(btrim(reason)) between 10 and 2000),
        hours int not null check (hours between 1 and 72),
        include_sensitive boolean not null default false,
        state text not null check (state in ('requested', 'granted', 'declined', 'revoked', 'expired')),
        machine text not null,
        decided_by uuid,
        decided_at timestamptz,
        decline_reason text,
        expires_at timestamptz,
        revoked_by uuid,
        revoked_at timestamptz,
        revoke_reason text,
        version int not null default 1,
        created_at timestamptz not null default now(),
        updated_at timestamptz not null default now(),
        -- Four eyes, kept by the database too: nobody decides their own request.
        check (decided_by is null or decided_by <> requested_by),
        check (state <> 'granted' or expires_at is not null),
        foreign key (tenant_id, case_id) references cases (tenant_id, id) deferrable initially deferred,
        foreign key (tenant_id, requested_by) references staff (tenant_id, id) deferrable initially deferred,
        foreign key (tenant_id, decided_by) references staff (tenant_id, id) deferrable initially deferred,
        foreign key (tenant_id, revoked_by) references staff (tenant_id, id) deferrable initially deferred
      )`,
      // The principal loader looks up live grants on every request.
      `create index access_grants_live on access_grants (requested_by, expires_at) where state = 'granted'`,
      `create index access_grants_recent on access_grants (tenant_id, created_at desc)`,
      ...tenantTable('access_grants', 'select, insert, update'),
    ];
    for (const sql of statements) this.addSql(sql);
  }
}
