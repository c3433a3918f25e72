import { Migration } from '@mikro-orm/migrations';
import { tenantTable } from './support/tenant-table';

/**
 * 相談窓口の利用 (window visits, e.g. the 生涯現役応援窓口): each visit a counselor records, whether or not a
 * connection follows, so the figures count uses of the window and wishes by kind from visits. A visit
 * names the resident (through a case of the department) or only counts anonymous visitors.
 * 地区の隣接 (neighbouring 地区): a tenant's 地区 name their neighbours, so "near 地区B" reaches 地区A too.
 */
export class Migration20261127187000_participation_window_visits extends Migration {
  override name = 'Migration20261127187000_participation_window_visits';

  override up(): void {
    this.addSql(`alter table districts add column neighbours text[] not null default '{}'`);
    this.addSql(
      `create table participation_window_visits (
        id uuid primary key,
        tenant_id uuid not null references tenants (id) deferrable initially deferred,
        department_id uuid not null,
        visited_on date not null,
        district_code text not null,
        person_id uuid,
        case_id uuid,
        visitors int not null default 1 check (visitors >= 1),
        wishes text[] not null default '{}',
        outcome text not null,
        note text,
        version int not null default 1,
        created_by uuid not null,
        created_at timestamptz not null,
        updated_at timestamptz not null,
        check (person_id is null or (case_id is not null and visitors = 1)),
        foreign key (tenant_id, person_id) references persons (tenant_id, id) deferrable initially deferred
      )`,
    );
    this.addSql(`create index participation_window_visits_department on participation_window_visits (tenant_id, department_id, visited_on, id)`);
    this.addSql(`create index participation_window_visits_figures on participation_window_visits (tenant_id, visited_on, district_code)`);
    this.addSql(`create index participation_window_visits_person on participation_window_visits (tenant_id, person_id) where person_id is not null`);
    for (const sql of tenantTable('participation_window_visits', 'select, insert, update')) this.addSql(sql);
  }
}
