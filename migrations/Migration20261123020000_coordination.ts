import { Migration } from '@mikro-orm/migrations';
import { tenantTable } from './support/tenant-table';

/**
 * 多機関協働: escalation criteria (versioned per tenant) and their evaluations, escalations,
 * coordination cases, meetings (支援会議・重層的支援会議) with members and shared items,
 * 支援プラン with tasks per department, monitoring reviews and evaluations.
 * Foreign keys are checked at commit, as in the cases migration.
 */
export class Migration20261123020000_coordination extends Migration {
  override name = 'Migration20261123020000_coordination';

  override up(): void {
    const fk = 'deferrable initially deferred';
    const statements = [
      `alter table departments add column coordinating boolean not null default false`,
      `update departments set coordinating = true where code = 'chiiki-kyosei'`,
      `alter table cases add column coordination_status text not null default 'none'
         check (coordination_status in ('none', 'candidate', 'pending', 'coordinating', 'returned'))`,
      `create index cases_coordination on cases (tenant_id, coordination_status) where coordination_status <> 'none'`,

      `create table escalation_rule_sets (
        id uuid primary key,
        tenant_id uuid not null references tenants (id),
        version int not null,
        rules jsonb not null,
        created_by uuid,
        created_at timestamptz not null default now(),
        unique (tenant_id, version)
      )`,
      ...tenantTable('escalation_rule_sets', 'select, insert'),

      `create table escalation_evaluations (
        id bigserial primary key,
        tenant_id uuid not null references tenants (id),
        case_id uuid not null references cases (id) ${fk},
        rule_set_version int not null,
        candidate boolean not null,
        urgent boolean not null,
        matched jsonb not null,
        evaluated_at timestamptz not null default now()
      )`,
      `create index escalation_evaluations_case on escalation_evaluations (case_id, id desc)`,
      ...tenantTable('escalation_evaluations', 'select, insert'),
      `grant usage on sequence escalation_evaluations_id_seq to tsunagi_app`,

      `create table escalations (
        id uuid primary key,
        tenant_id uuid not null references tenants (id),
        case_id uuid not null references cases (id) ${fk},
        source text not null check (source in ('criteria', 'manual')),
        reason text not null,
        requested_by uuid,
        state text not null check (state in ('pending', 'accepted', 'returned')),
        decided_by uuid,
        decision_reason text,
        version int not null default 1,
        created_at timestamptz not null default now(),
        updated_at timestamptz not null default now()
      )`,
      `create unique index escalations_one_pending on escalations (case_id) where state = 'pending'`,
      ...tenantTable('escalations', 'select, insert, update'),

      `create table coordination_cases (
        id uuid primary key,
        tenant_id uuid not null references tenants (id),
        case_id uuid not null unique references cases (id) ${fk},
        escalation_id uuid references escalations (id) ${fk},
        state text not null,
        machine text not null,
        coordinator_id uuid not null,
        closure_reason text,
        suspension_reason text,
        version int not null default 1,
        created_at timestamptz not null default now(),
        updated_at timestamptz not null default now()
      )`,
      ...tenantTable('coordination_cases', 'select, insert, update'),

      `create table meetings (
        id uuid primary key,
        tenant_id uuid not null references tenants (id),
        kind text not null check (kind in ('shien_kaigi', 'juso_kaigi')),
        title text not null,
        held_on date not null,
        access_until date not null,
        minutes text,
        decisions jsonb not null default '[]',
        created_by uuid not null,
        version int not null default 1,
        created_at timestamptz not null default now(),
        check (access_until >= held_on)
      )`,
      ...tenantTable('meetings', 'select, insert, update'),

      `create table meeting_members (
        id uuid primary key,
        tenant_id uuid not null references tenants (id),
        meeting_id uuid not null references meetings (id) ${fk},
        staff_id uuid,
        department_id uuid,
        external_name text,
        external_organization text,
        confidentiality_acknowledged_at timestamptz,
        check ((staff_id is null) <> (external_name is null)),
        unique (meeting_id, staff_id)
      )`,
      ...tenantTable('meeting_members', 'select, insert, update'),

      `create table meeting_cases (
        id uuid primary key,
        tenant_id uuid not null references tenants (id),
        meeting_id uuid not null references meetings (id) ${fk},
        coordination_case_id uuid not null references coordination_cases (id) ${fk},
        case_id uuid not null references cases (id) ${fk},
        legal_basis text not null check (legal_basis in ('SWA_SHIEN_KAIGI', 'SWA_JUSO_KAIGI')),
        shared jsonb not null,
        shared_by uuid not null,
        shared_at timestamptz not null default now(),
        unique (meeting_id, case_id)
      )`,
      ...tenantTable('meeting_cases', 'select, insert'),

      `create table support_plans (
        id uuid primary key,
        tenant_id uuid not null references tenants (id),
        coordination_case_id uuid not null references coordination_cases (id) ${fk},
        version int not null,
        goals jsonb not null,
        state text not null check (state in ('draft', 'submitted', 'approved', 'superseded')),
        approved_in_meeting_id uuid references meetings (id) ${fk},
        created_by uuid not null,
        created_at timestamptz not null default now(),
        unique (coordination_case_id, version)
      )`,
      ...tenantTable('support_plans', 'select, insert, update'),

      `create table plan_tasks (
        id uuid primary key,
        tenant_id uuid not null references tenants (id),
        coordination_case_id uuid not null references coordination_cases (id) ${fk},
        plan_version int not null,
        goal_id text,
        department_id uuid not null,
        owner_id uuid,
        title text not null,
        kind text not null check (kind in ('standard', 'participation')),
        resource text,
        due_on date not null,
        status text not null check (status in ('open', 'done', 'cancelled')),
        report text,
        reported_at timestamptz,
        version int not null default 1,
        created_at timestamptz not null default now(),
        foreign key (tenant_id, department_id) references departments (tenant_id, id) ${fk}
      )`,
      `create index plan_tasks_department on plan_tasks (tenant_id, department_id, status, due_on)`,
      ...tenantTable('plan_tasks', 'select, insert, update'),

      `create table monitoring_reviews (
        id uuid primary key,
        tenant_id uuid not null references tenants (id),
        coordination_case_id uuid not null references coordination_cases (id) ${fk},
        held_on date not null,
        notes text not null,
        replan_goal_ids text[] not null default '{}',
        created_by uuid not null,
        created_at timestamptz not null default now()
      )`,
      ...tenantTable('monitoring_reviews', 'select, insert'),

      `create table goal_evaluations (
        id uuid primary key,
        tenant_id uuid not null references tenants (id),
        coordination_case_id uuid not null references coordination_cases (id) ${fk},
        meeting_id uuid references meetings (id) ${fk},
        results jsonb not null,
        created_by uuid not null,
        created_at timestamptz not null default now()
      )`,
      ...tenantTable('goal_evaluations', 'select, insert'),
    ];
    for (const sql of statements) this.addSql(sql);
  }
}
