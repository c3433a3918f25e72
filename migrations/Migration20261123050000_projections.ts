import { Migration } from '@mikro-orm/migrations';
import { countedBy, type Counter } from './support/counted-by-trigger';
import { tenantTable } from './support/tenant-table';

const OPEN_CASE = `state not in ('closed', 'suspended')`;
/** Buckets are calendar days in Japan, where the managers read them. */
const day = (column: string) => `(${column} at time zone 'Asia/Tokyo')::date`;

export const coordinationStageCounter: Counter = {
  facts: 'coordination_facts',
  table: 'coordination_stage_counts',
  key: ['state', 'opened_on', 'lead_department_id'],
  sums: ['cases', 'opened_epoch_sum'],
  contribution: (rows, sign) => `select tenant_id, state, ${day('opened_at')} as opened_on, lead_department_id, ${sign} as cases, ${sign} * extract(epoch from opened_at) as opened_epoch_sum from ${rows}`,
};

export const openTaskCounter: Counter = {
  facts: 'task_facts',
  table: 'open_task_counts',
  key: ['department_id', 'due_on'],
  sums: ['tasks'],
  contribution: (rows, sign) => `select tenant_id, department_id, due_on, ${sign} as tasks from ${rows} where status = 'open'`,
};

export const criteriaCounter: Counter = {
  facts: 'criteria_triggers',
  table: 'criteria_counts',
  key: ['code', 'label', 'triggered_on', 'lead_department_id'],
  sums: ['triggers'],
  contribution: (rows, sign) => `select tenant_id, code, label->>'ja' as label, ${day('triggered_at')} as triggered_on, lead_department_id, ${sign} as triggers from ${rows}`,
};

/**
 * The other read models of the managers' figures, fed from the domain events and rebuildable from
 * them: 多機関協働 cases, plan tasks, case activity and matched escalation criteria; and the small
 * counters the dashboard sums, kept by triggers.
 */
export class Migration20261123050000_projections extends Migration {
  override name = 'Migration20261123050000_projections';

  override up(): void {
    const statements = [
      `create table coordination_facts (
        coordination_case_id uuid primary key,
        tenant_id uuid not null references tenants (id),
        case_id uuid not null,
        lead_department_id uuid not null,
        state text not null,
        opened_at timestamptz not null,
        last_event_id bigint not null
      )`,
      `create table coordination_stage_counts (
        tenant_id uuid not null references tenants (id),
        state text not null,
        opened_on date not null,
        lead_department_id uuid not null,
        cases int not null,
        opened_epoch_sum numeric not null,
        primary key (tenant_id, state, opened_on, lead_department_id)
      )`,
      ...countedBy(coordinationStageCounter),

      `create table task_facts (
        task_id uuid primary key,
        tenant_id uuid not null references tenants (id),
        case_id uuid not null,
        coordination_case_id uuid not null,
        department_id uuid not null,
        plan_version int not null,
        due_on date not null,
        status text not null,
        reported_at timestamptz,
        last_event_id bigint not null
      )`,
      `create index task_facts_case on task_facts (tenant_id, case_id)`,
      `create table open_task_counts (
        tenant_id uuid not null references tenants (id),
        department_id uuid not null,
        due_on date not null,
        tasks int not null,
        primary key (tenant_id, department_id, due_on)
      )`,
      ...countedBy(openTaskCounter),

      `create table case_activity (
        case_id uuid primary key,
        tenant_id uuid not null references tenants (id),
        case_number text not null,
        lead_department_id uuid not null,
        state text not null,
        opened_at timestamptz not null,
        last_event_at timestamptz not null,
        last_event_id bigint not null
      )`,
      // Stuck cases: open ones, quietest first, for the tenant or one lead department.
      `create index case_activity_quiet on case_activity (tenant_id, last_event_at) where ${OPEN_CASE}`,
      `create index case_activity_quiet_by_department on case_activity (tenant_id, lead_department_id, last_event_at) where ${OPEN_CASE}`,

      // Each time a criterion began to match a case; a trigger keeps its day when the match ends.
      `create table criteria_triggers (
        trigger_id text primary key,
        tenant_id uuid not null references tenants (id),
        case_id uuid not null,
        lead_department_id uuid not null,
        code text not null,
        label jsonb not null,
        rule_set_version int not null,
        triggered_at timestamptz not null,
        ended_at timestamptz,
        last_event_id bigint not null
      )`,
      `create index criteria_triggers_case on criteria_triggers (tenant_id, case_id)`,
      `create table criteria_counts (
        tenant_id uuid not null references tenants (id),
        code text not null,
        label text not null,
        triggered_on date not null,
        lead_department_id uuid not null,
        triggers int not null,
        primary key (tenant_id, code, label, triggered_on, lead_department_id)
      )`,
      ...countedBy(criteriaCounter),
      ...['coordination_facts', 'coordination_stage_counts', 'task_facts', 'open_task_counts', 'case_activity', 'criteria_triggers', 'criteria_counts'].flatMap((table) => tenantTable(table)),
    ];
    for (const sql of statements) this.addSql(sql);
  }
}
