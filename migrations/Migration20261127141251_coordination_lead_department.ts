import { Migration } from '@mikro-orm/migrations';

/**
 * The lead department of the case, on its coordination record: the department that escalated it
 * follows it (status and plan), and lists filter on it in SQL with the same rules that guard a read.
 * A case's lead department never changes, so the copy cannot drift.
 */
export class Migration20261127141251_coordination_lead_department extends Migration {
  override name = 'Migration20261127141251_coordination_lead_department';

  override up(): void {
    this.addSql(`alter table coordination_cases add column lead_department_id uuid`);
    this.addSql(`update coordination_cases cc set lead_department_id = c.lead_department_id from cases c where c.id = cc.case_id`);
    this.addSql(`alter table coordination_cases alter column lead_department_id set not null`);
    this.addSql(`create index coordination_cases_lead_department on coordination_cases (tenant_id, lead_department_id, updated_at desc)`);
    this.addSql(`create index meeting_members_staff on meeting_members (tenant_id, staff_id)`);
  }
}
