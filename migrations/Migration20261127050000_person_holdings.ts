import { Migration } from '@mikro-orm/migrations';

/**
 * What a department holds of a person starts with what it collected itself: the department that
 * first wrote the record. Earlier records take the department of the first case that named them;
 * people known only from the register are held by the register's keepers (see person-holdings.ts).
 */
export class Migration20261127050000_person_holdings extends Migration {
  override name = 'Migration20261127050000_person_holdings';

  override up(): void {
    this.addSql(`alter table persons add column collected_by_department_id uuid references departments (id)`);
    this.addSql(
      `update persons p set collected_by_department_id = (
         select c.opened_by_department_id from case_persons cp join cases c on c.id = cp.case_id
          where cp.person_id = p.id order by c.created_at limit 1)`,
    );
    this.addSql(`create index disclosures_recipient_person on disclosures (tenant_id, recipient_id, person_id) where person_id is not null`);
    this.addSql(`create index register_entries_person on register_entries (tenant_id, person_id)`);
  }
}
