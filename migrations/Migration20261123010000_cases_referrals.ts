import { Migration } from '@mikro-orm/migrations';
import { tenantTable } from './support/tenant-table';

/**
 * Foreign keys are checked at commit (deferrable): entities carry plain ids, not relations, so the
 * unit of work does not order inserts by them.
 *
 * People and households, cases, consents, notes, referrals, disclosure receipts, domain events (outbox), idempotency keys. */
export class Migration20261123010000_cases_referrals extends Migration {
  override name = 'Migration20261123010000_cases_referrals';

  override up(): void {
    const statements = [
      `create table tenant_settings (
        tenant_id uuid primary key references tenants (id) deferrable initially deferred,
        referral_response_business_days int not null default 5 check (referral_response_business_days between 1 and 60),
        referral_expiry_grace_business_days int not null default 3 check (referral_expiry_grace_business_days between 0 and 60)
      )`,
      ...tenantTable('tenant_settings', 'select, insert, update'),
      // Background jobs (deadline sweeps) run per tenant; this is how they learn which tenants exist.
      `create function all_tenant_ids() returns setof uuid language sql stable security definer
        set search_path = pg_catalog, public as $$ select id from tenants order by id $$`,
      `revoke all on function all_tenant_ids() from public`,
      `grant execute on function all_tenant_ids() to tsunagi_app`,

      `create table households (
        id uuid primary key,
        tenant_id uuid not null references tenants (id) deferrable initially deferred,
        name text not null,
        created_at timestamptz not null default now(),
        unique (tenant_id, id)
      )`,
      ...tenantTable('households', 'select, insert, update'),

      `create table persons (
        id uuid primary key,
        tenant_id uuid not null references tenants (id) deferrable initially deferred,
        household_id uuid,
        family_name text not null,
        given_name text not null,
        family_name_kana text,
        given_name_kana text,
        birth_date date,
        sex text not null default 'unknown' check (sex in ('female', 'male', 'other', 'unknown')),
        address text,
        phone text,
        email text,
        sensitive jsonb not null default '{}',
        dv_protected boolean not null default false,
        dv_protector_ids uuid[] not null default '{}',
        version int not null default 1,
        created_at timestamptz not null default now(),
        updated_at timestamptz not null default now(),
        foreign key (tenant_id, household_id) references households (tenant_id, id) deferrable initially deferred,
        unique (tenant_id, id)
      )`,
      ...tenantTable('persons', 'select, insert, update'),

      `create sequence case_number_seq`,
      `grant usage on sequence case_number_seq to tsunagi_app`,
      `create table cases (
        id uuid primary key,
        tenant_id uuid not null references tenants (id) deferrable initially deferred,
        case_number text not null,
        title text not null,
        household_id uuid,
        lead_department_id uuid not null,
        opened_by_department_id uuid not null,
        opened_by uuid not null,
        issues text[] not null,
        summary text,
        state text not null,
        machine text not null,
        closure_reason text,
        suspension_reason text,
        version int not null default 1,
        created_at timestamptz not null default now(),
        updated_at timestamptz not null default now(),
        foreign key (tenant_id, lead_department_id) references departments (tenant_id, id) deferrable initially deferred,
        foreign key (tenant_id, opened_by_department_id) references departments (tenant_id, id) deferrable initially deferred,
        foreign key (tenant_id, household_id) references households (tenant_id, id) deferrable initially deferred,
        unique (tenant_id, case_number),
        unique (tenant_id, id)
      )`,
      `create index cases_lead on cases (tenant_id, lead_department_id, updated_at desc)`,
      ...tenantTable('cases', 'select, insert, update'),

      `create table case_persons (
        tenant_id uuid not null,
        case_id uuid not null,
        person_id uuid not null,
        relation text not null,
        primary key (case_id, person_id),
        foreign key (tenant_id, case_id) references cases (tenant_id, id) deferrable initially deferred,
        foreign key (tenant_id, person_id) references persons (tenant_id, id) deferrable initially deferred
      )`,
      ...tenantTable('case_persons', 'select, insert'),

      `create table consents (
        id uuid primary key,
        tenant_id uuid not null,
        case_id uuid not null,
        person_id uuid not null,
        scope text[] not null,
        recipient_department_ids uuid[] not null,
        given_on date not null,
        method text not null check (method in ('written', 'oral', 'electronic')),
        recorded_by uuid not null,
        withdrawn_on date,
        withdrawal_reason text,
        created_at timestamptz not null default now(),
        foreign key (tenant_id, case_id) references cases (tenant_id, id) deferrable initially deferred,
        foreign key (tenant_id, person_id) references persons (tenant_id, id) deferrable initially deferred
      )`,
      ...tenantTable('consents', 'select, insert, update'),

      `create table case_notes (
        id uuid primary key,
        tenant_id uuid not null,
        case_id uuid not null,
        author_id uuid not null,
        department_id uuid not null,
        body text not null,
        created_at timestamptz not null default now(),
        foreign key (tenant_id, case_id) references cases (tenant_id, id) deferrable initially deferred
      )`,
      ...tenantTable('case_notes', 'select, insert'),

      `create table referrals (
        id uuid primary key,
        tenant_id uuid not null,
        case_id uuid not null,
        from_department_id uuid not null,
        to_department_id uuid not null,
        created_by uuid not null,
        purpose text not null,
        state text not null,
        machine text not null,
        shared jsonb not null,
        legal_basis text not null,
        legal_basis_reason text,
        consent_id uuid references consents (id) deferrable initially deferred,
        due_on date not null,
        expires_on date not null,
        overdue_at timestamptz,
        decline_reason text,
        withdraw_reason text,
        hold_reason text,
        outcome text,
        outcome_note text,
        version int not null default 1,
        created_at timestamptz not null default now(),
        updated_at timestamptz not null default now(),
        check (from_department_id <> to_department_id),
        foreign key (tenant_id, case_id) references cases (tenant_id, id) deferrable initially deferred,
        foreign key (tenant_id, from_department_id) references departments (tenant_id, id) deferrable initially deferred,
        foreign key (tenant_id, to_department_id) references departments (tenant_id, id) deferrable initially deferred
      )`,
      `create index referrals_incoming on referrals (tenant_id, to_department_id, state)`,
      `create index referrals_outgoing on referrals (tenant_id, from_department_id, state)`,
      `create index referrals_case on referrals (case_id)`,
      ...tenantTable('referrals', 'select, insert, update'),

      // 提供記録 — which fields of which record version went to whom, on which basis.
      `create table disclosures (
        id uuid primary key,
        tenant_id uuid not null references tenants (id) deferrable initially deferred,
        referral_id uuid references referrals (id) deferrable initially deferred,
        person_id uuid,
        subject_type text not null,
        subject_id uuid not null,
        subject_version int not null,
        fields text[] not null,
        recipient_type text not null,
        recipient_id uuid not null,
        legal_basis text not null,
        reason text,
        disclosed_by uuid not null,
        created_at timestamptz not null default now()
      )`,
      `create index disclosures_person on disclosures (tenant_id, person_id, created_at)`,
      ...tenantTable('disclosures', 'select, insert'),

      // The event history of every aggregate, and the outbox: unpublished rows are relayed after commit.
      `create table domain_events (
        id bigserial primary key,
        tenant_id uuid not null references tenants (id) deferrable initially deferred,
        aggregate_type text not null,
        aggregate_id uuid not null,
        aggregate_version int not null,
        case_id uuid,
        type text not null,
        payload jsonb not null default '{}',
        actor_type text not null,
        actor_id uuid,
        actor_department_id uuid,
        occurred_at timestamptz not null default clock_timestamp(),
        published_at timestamptz,
        unique (aggregate_type, aggregate_id, aggregate_version)
      )`,
      `create index domain_events_case on domain_events (tenant_id, case_id, id)`,
      `create index domain_events_unpublished on domain_events (id) where published_at is null`,
      ...tenantTable('domain_events', 'select, insert'),
      `grant usage on sequence domain_events_id_seq to tsunagi_app`,
      // The relay works across tenants, so it reads and marks the outbox through these two functions only.
      `create function outbox_pending(max_rows int) returns setof domain_events language sql stable security definer
        set search_path = pg_catalog, public as $$
        select * from domain_events where published_at is null order by id limit max_rows
      $$`,
      `create function outbox_mark_published(ids bigint[]) returns void language sql security definer
        set search_path = pg_catalog, public as $$
        update domain_events set published_at = clock_timestamp() where id = any(ids) and published_at is null
      $$`,
      `revoke all on function outbox_pending(int), outbox_mark_published(bigint[]) from public`,
      `grant execute on function outbox_pending(int), outbox_mark_published(bigint[]) to tsunagi_app`,

      `create table idempotency_keys (
        tenant_id uuid not null references tenants (id) deferrable initially deferred,
        principal_id uuid not null,
        key text not null,
        request_hash text not null,
        status int,
        response jsonb,
        created_at timestamptz not null default now(),
        primary key (tenant_id, principal_id, key)
      )`,
      ...tenantTable('idempotency_keys', 'select, insert, update, delete'),
    ];
    for (const sql of statements) this.addSql(sql);
  }
}
