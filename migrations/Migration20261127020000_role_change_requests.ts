import { Migration } from '@mikro-orm/migrations';
import { tenantTable } from './support/tenant-table';

/** 権限付与申請: roles that open personal data wait for someone other than the requester and the staff member. */
export class Migration20261127020000_role_change_requests extends Migration {
  override name = 'Migration20261127020000_role_change_requests';

  override up(): void {
    const statements = [
      `create table role_change_requests (
        id uuid primary key,
        tenant_id uuid not null references tenants (id) deferrable initially deferred,
        staff_id uuid not null,
        requested_by uuid not null,
        reason text not null check (char_length(btrim(reason)) between 1 and 2000),
        roles jsonb not null check (jsonb_typeof(roles) = 'array' and jsonb_array_length(roles) between 1 and 20),
        opens text[] not null,
        deciding_department_id uuid,
        state text not null check (state in ('requested', 'approved', 'declined', 'withdrawn')),
        machine text not null,
        decided_by uuid,
        decided_at timestamptz,
        decline_reason text,
        version int not null default 1,
        created_at timestamptz not null default now(),
        updated_at timestamptz not null default now(),
        -- Four eyes, kept by the database too: nobody asks for their own access, nobody decides what
        -- they asked for or what they would get.
        check (requested_by <> staff_id),
        check (decided_by is null or (decided_by <> requested_by and decided_by <> staff_id)),
        check ((state in ('approved', 'declined')) = (decided_by is not null)),
        foreign key (tenant_id, staff_id) references staff (tenant_id, id) deferrable initially deferred,
        foreign key (tenant_id, requested_by) references staff (tenant_id, id) deferrable initially deferred,
        foreign key (tenant_id, decided_by) references staff (tenant_id, id) deferrable initially deferred,
        foreign key (tenant_id, deciding_department_id) references departments (tenant_id, id)
      )`,
      // At most one open request per staff member, so two pending changes never race each other.
      `create unique index role_change_requests_one_open on role_change_requests (tenant_id, staff_id) where state = 'requested'`,
      `create index role_change_requests_recent on role_change_requests (tenant_id, created_at desc)`,
      ...tenantTable('role_change_requests', 'select, insert, update'),
    ];
    for (const sql of statements) this.addSql(sql);
  }
}
