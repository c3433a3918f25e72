import { Migration } from '@mikro-orm/migrations';
import { tenantTable } from './support/tenant-table';

/** Read models for managers, fed from the domain events and rebuildable from them. */
export class Migration20261123040000_reporting extends Migration {
  override name = 'Migration20261123040000_reporting';

  override up(): void {
    const statements = [
      `create table referral_facts (
        referral_id uuid primary key,
        tenant_id uuid not null references tenants (id),
        case_id uuid not null,
        from_department_id uuid not null,
        to_department_id uuid not null,
        state text not null,
        due_on date,
        proposed_at timestamptz not null,
        answered_at timestamptz,
        accepted_at timestamptz,
        completed_at timestamptz,
        last_event_id bigint not null
      )`,
      `create index referral_facts_period on referral_facts (tenant_id, proposed_at)`,
      ...tenantTable('referral_facts', 'select, insert, update, delete'),
    ];
    for (const sql of statements) this.addSql(sql);
  }
}
