import { Migration } from '@mikro-orm/migrations';
import { APP_ROLE, tenantTable } from './support/tenant-table';
import { LEGAL_BASIS_CODES } from '../src/modules/audit/domain/legal-basis';

const sqlList = (values: readonly string[]) => values.map((v) => `'${v}'`).join(', ');

/** Tenants, directory, audit log; row-level security and the service role. */
export class Migration20261123000000_foundation extends Migration {
  override name = 'Migration20261123000000_foundation';

  override up(): void {
    const statements = [
      // The owner migrating is no superuser and may not create roles: the role is made beforehand
      // (by the service with its superuser, or by the DBA), and only created here when it is missing.
      `do $$ begin if not exists (select from pg_roles where rolname = '${APP_ROLE}') then create role ${APP_ROLE} nologin; end if;
        exception when duplicate_object or unique_violation then null; end $$`,
      `grant usage on schema public to ${APP_ROLE}`,
      // Fails closed: no tenant set → NULL → no row matches.
      `create function app_current_tenant() returns uuid language sql stable as $$ select nullif(current_setting('app.tenant_id', true), '')::uuid $$`,

      `create table tenants (
        id uuid primary key,
        code text not null unique check (code ~ '^[a-z0-9-]+$'),
        name text not null,
        created_at timestamptz not null default now()
      )`,
      ...tenantTable('tenants', 'select', 'id'),

      `create table departments (
        id uuid primary key,
        tenant_id uuid not null references tenants (id),
        code text not null check (code ~ '^[a-z0-9-]+$'),
        name text not null,
        sort_order int not null default 0,
        unique (tenant_id, code),
        unique (tenant_id, id)
      )`,
      ...tenantTable('departments', 'select'),

      `create table districts (
        id uuid primary key,
        tenant_id uuid not null references tenants (id),
        code text not null,
        name text not null,
        unique (tenant_id, code)
      )`,
      ...tenantTable('districts', 'select'),

      `create table staff (
        id uuid primary key,
        tenant_id uuid not null references tenants (id),
        subject text not null,
        login text not null,
        display_name text not null,
        email text,
        active boolean not null default true,
        version int not null default 1,
        created_at timestamptz not null default now(),
        updated_at timestamptz not null default now(),
        unique (tenant_id, subject),
        unique (tenant_id, login),
        unique (tenant_id, id)
      )`,
      ...tenantTable('staff', 'select, insert, update'),

      `create table role_assignments (
        id uuid primary key,
        tenant_id uuid not null,
        staff_id uuid not null,
        department_id uuid,
        role text not null check (role in ('counselor', 'manager', 'coordinator', 'auditor', 'admin')),
        foreign key (tenant_id, staff_id) references staff (tenant_id, id) on delete cascade,
        foreign key (tenant_id, department_id) references departments (tenant_id, id),
        -- department roles need a department; auditor and admin act for the whole tenant
        check ((role in ('auditor', 'admin')) = (department_id is null))
      )`,
      `create unique index role_assignments_unique on role_assignments (staff_id, role, coalesce(department_id, '00000000-0000-0000-0000-000000000000'))`,
      ...tenantTable('role_assignments', 'select, insert, delete'),

      `create table supporters (
        id uuid primary key,
        tenant_id uuid not null references tenants (id),
        subject text not null,
        login text not null,
        display_name text not null,
        organization_type text not null check (organization_type in ('minsei_iin', 'jishu_bosai', 'jichikai', 'shakyo', 'fire', 'police')),
        organization_name text not null,
        district_codes text[] not null default '{}',
        active boolean not null default true,
        version int not null default 1,
        created_at timestamptz not null default now(),
        unique (tenant_id, subject),
        unique (tenant_id, login)
      )`,
      ...tenantTable('supporters', 'select'),

      ...auditLog(),
    ];
    for (const sql of statements) this.addSql(sql);
  }
}

function auditLog(): string[] {
  return [
    `create table audit_chain_heads (
      tenant_id uuid primary key references tenants (id),
      last_seq bigint not null,
      last_hash text not null
    )`,
    `create table audit_log (
      tenant_id uuid not null references tenants (id),
      seq bigint not null,
      occurred_at timestamptz not null,
      request_id text,
      actor_type text not null check (actor_type in ('staff', 'supporter', 'system')),
      actor_id uuid,
      actor_roles text[] not null default '{}',
      actor_department_id uuid,
      action text not null,
      subject_type text not null,
      subject_id text,
      person_id uuid,
      legal_basis text check (legal_basis in (${sqlList(LEGAL_BASIS_CODES)})),
      outcome text not null check (outcome in ('allowed', 'denied')),
      detail jsonb not null default '{}',
      prev_hash text not null,
      hash text not null,
      primary key (tenant_id, seq)
    )`,
    `create index audit_log_person on audit_log (tenant_id, person_id, seq) where person_id is not null`,
    `create index audit_log_actor on audit_log (tenant_id, actor_id, seq)`,
    // The canonical text a row's hash covers; verification uses the same function, so the two cannot drift.
    `create function audit_canonical(r audit_log) returns text language sql immutable as $$
      select jsonb_build_array(
        r.tenant_id, r.seq, to_char(r.occurred_at at time zone 'UTC', 'YYYY-MM-DD"T"HH24:MI:SS.US"Z"'),
        r.request_id, r.actor_type, r.actor_id, r.actor_roles, r.actor_department_id, r.action,
        r.subject_type, r.subject_id, r.person_id, r.legal_basis, r.outcome, r.detail, r.prev_hash
      )::text
    $$`,
    `create function audit_hash(r audit_log) returns text language sql immutable as $$
      select encode(sha256(convert_to(audit_canonical(r), 'UTF8')), 'hex')
    $$`,
    // Runs as the table owner: the service role can append, but cannot touch the chain heads itself.
    // The row lock on the tenant's head serialises appends, so sequence numbers have no gaps.
    `create function audit_log_chain() returns trigger language plpgsql security definer set search_path = pg_catalog, public as $$
    declare
      head audit_chain_heads%rowtype;
    begin
      insert into audit_chain_heads (tenant_id, last_seq, last_hash)
        values (new.tenant_id, 0, repeat('0', 64)) on conflict do nothing;
      select * into head from audit_chain_heads where tenant_id = new.tenant_id for update;
      new.seq := head.last_seq + 1;
      new.occurred_at := clock_timestamp();
      new.prev_hash := head.last_hash;
      new.hash := audit_hash(new);
      update audit_chain_heads set last_seq = new.seq, last_hash = new.hash where tenant_id = new.tenant_id;
      return new;
    end $$`,
    `create trigger audit_log_chain before insert on audit_log for each row execute function audit_log_chain()`,
    `create function audit_log_append_only() returns trigger language plpgsql as $$
    begin
      raise exception 'audit_log is append-only: % refused', tg_op using errcode = '42501';
    end $$`,
    `create trigger audit_log_no_update before update or delete on audit_log for each row execute function audit_log_append_only()`,
    `create trigger audit_log_no_truncate before truncate on audit_log for each statement execute function audit_log_append_only()`,
    // Security definer: it compares with the chain head, which the service role cannot read.
    `create function audit_verify() returns table (ok boolean, checked bigint, broken_at_seq bigint, reason text)
    language plpgsql stable security definer set search_path = pg_catalog, public as $$
    declare
      tenant uuid := app_current_tenant();
      total bigint;
      head audit_chain_heads%rowtype;
      first_break record;
    begin
      select count(*) into total from audit_log where tenant_id = tenant;
      select * into first_break from (
        select a.seq, coalesce(lag(a.seq) over w, 0) + 1 as expected_seq,
          case
            when a.seq <> coalesce(lag(a.seq) over w, 0) + 1 then 'missing'
            when a.hash <> audit_hash(a) then 'altered'
            when a.prev_hash <> coalesce(lag(a.hash) over w, repeat('0', 64)) then 'relinked'
          end as reason
        from audit_log a where a.tenant_id = tenant window w as (order by a.seq)
      ) x where x.reason is not null order by x.seq limit 1;
      if found then
        return query select false, total,
          case when first_break.reason = 'missing' then first_break.expected_seq else first_break.seq end,
          first_break.reason::text;
        return;
      end if;
      select * into head from audit_chain_heads where tenant_id = tenant;
      if found and head.last_seq <> total then
        return query select false, total, total + 1, 'truncated'::text;
        return;
      end if;
      if found and head.last_hash <> (select hash from audit_log where tenant_id = tenant and seq = total) then
        return query select false, total, total, 'altered'::text;
        return;
      end if;
      return query select true, total, null::bigint, null::text;
    end $$`,
    `alter table audit_log enable row level security`,
    `create policy audit_log_tenant_read on audit_log for select using (tenant_id = app_current_tenant())`,
    `create policy audit_log_tenant_append on audit_log for insert with check (tenant_id = app_current_tenant())`,
    `grant select, insert on audit_log to ${APP_ROLE}`,
  ];
}
