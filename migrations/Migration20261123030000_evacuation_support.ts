import { Migration } from '@mikro-orm/migrations';
import { tenantTable } from './support/tenant-table';

/**
 * 避難行動要支援者: settings (eligibility criteria, normal-time provision model), register entries,
 * imports, disasters, provisions (名簿提供記録) with receipts, 個別避難計画, renewal campaigns and the
 * follow-up tasks of removals. Foreign keys are checked at commit, as in the cases migration.
 */
export class Migration20261123030000_evacuation_support extends Migration {
  override name = 'Migration20261123030000_evacuation_support';

  override up(): void {
    const fk = 'deferrable initially deferred';
    const statements = [
      // What a department is responsible for beyond its own cases: keeping the register, declaring disasters.
      `alter table departments add column responsibilities text[] not null default '{}'`,
      `update departments set responsibilities = '{register}' where code = 'fukushi'`,
      `update departments set responsibilities = '{disaster}' where code = 'anshin-anzen'`,

      `create table evacuation_settings (
        tenant_id uuid primary key references tenants (id),
        eligibility_rules jsonb not null,
        provision_model text not null check (provision_model in ('opt_in', 'ordinance')),
        ordinance_article text,
        version int not null default 1
      )`,
      ...tenantTable('evacuation_settings', 'select, insert, update'),

      `create table register_entries (
        id uuid primary key,
        tenant_id uuid not null references tenants (id),
        person_id uuid not null references persons (id) ${fk},
        resident_number text,
        district_code text not null,
        state text not null,
        machine text not null,
        source text not null check (source in ('import', 'survey', 'request', 'application')),
        eligible boolean not null,
        eligibility jsonb not null,
        needs_help_reason text,
        household_situation text,
        facts jsonb not null default '{}',
        provision text check (provision in ('consent', 'refused', 'ordinance')),
        removal_reason text,
        registered_on date,
        version int not null default 1,
        created_at timestamptz not null default now(),
        updated_at timestamptz not null default now(),
        unique (tenant_id, person_id)
      )`,
      `create unique index register_entries_resident on register_entries (tenant_id, resident_number) where resident_number is not null`,
      `create index register_entries_district on register_entries (tenant_id, district_code, state)`,
      ...tenantTable('register_entries', 'select, insert, update'),

      `create table register_imports (
        id uuid primary key,
        tenant_id uuid not null references tenants (id),
        encoding text not null,
        total_rows int not null,
        rows jsonb not null,
        rejected jsonb not null,
        state text not null check (state in ('parsed', 'importing', 'imported', 'cancelled')),
        progress int not null default 0,
        imported int not null default 0,
        skipped jsonb not null default '[]',
        created_by uuid not null,
        version int not null default 1,
        created_at timestamptz not null default now(),
        updated_at timestamptz not null default now()
      )`,
      ...tenantTable('register_imports', 'select, insert, update'),

      `create table disasters (
        id uuid primary key,
        tenant_id uuid not null references tenants (id),
        kind text not null,
        title text not null,
        district_codes text[] not null,
        declared_by uuid not null,
        declared_at timestamptz not null default now(),
        closed_by uuid,
        closed_at timestamptz,
        version int not null default 1
      )`,
      ...tenantTable('disasters', 'select, insert, update'),

      `create table provisions (
        id uuid primary key,
        tenant_id uuid not null references tenants (id),
        supporter_id uuid not null,
        kind text not null check (kind in ('roster_view', 'roster_download', 'plans')),
        basis text not null,
        disaster_id uuid references disasters (id) ${fk},
        district_codes text[] not null,
        person_ids uuid[] not null,
        fields text[] not null,
        receipt_number text not null,
        created_at timestamptz not null default now(),
        unique (tenant_id, receipt_number)
      )`,
      `create index provisions_person on provisions using gin (person_ids)`,
      ...tenantTable('provisions', 'select, insert'),
      `create sequence provision_receipt_seq`,
      `grant usage on sequence provision_receipt_seq to tsunagi_app`,

      `create table evacuation_plans (
        id uuid primary key,
        tenant_id uuid not null references tenants (id),
        entry_id uuid not null unique references register_entries (id) ${fk},
        person_consent boolean not null,
        helper jsonb not null,
        helper_consent boolean not null,
        shelter text not null,
        route text not null,
        care_notes text,
        medical_devices text,
        medication text,
        emergency_contacts jsonb not null default '[]',
        created_by uuid not null,
        version int not null default 1,
        created_at timestamptz not null default now(),
        updated_at timestamptz not null default now()
      )`,
      ...tenantTable('evacuation_plans', 'select, insert, update'),

      `create table renewal_campaigns (
        id uuid primary key,
        tenant_id uuid not null references tenants (id),
        year int not null,
        state text not null check (state in ('running', 'completed')),
        total int not null,
        processed int not null default 0,
        report jsonb not null default '{}',
        started_by uuid not null,
        started_at timestamptz not null default now(),
        finished_at timestamptz,
        unique (tenant_id, year)
      )`,
      ...tenantTable('renewal_campaigns', 'select, insert, update'),

      // One row per notice: a resumed job cannot send the same notice twice.
      `create table renewal_notices (
        tenant_id uuid not null references tenants (id),
        campaign_id uuid not null references renewal_campaigns (id) ${fk},
        entry_id uuid not null references register_entries (id) ${fk},
        sent_at timestamptz not null default now(),
        primary key (campaign_id, entry_id)
      )`,
      ...tenantTable('renewal_notices', 'select, insert'),

      `create table return_tasks (
        id uuid primary key,
        tenant_id uuid not null references tenants (id),
        supporter_id uuid not null,
        entry_id uuid not null references register_entries (id) ${fk},
        person_id uuid not null,
        reason text not null,
        state text not null check (state in ('open', 'done')),
        created_at timestamptz not null default now(),
        done_at timestamptz
      )`,
      ...tenantTable('return_tasks', 'select, insert, update'),
    ];
    for (const sql of statements) this.addSql(sql);
  }
}
