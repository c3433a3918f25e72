import { Migration } from '@mikro-orm/migrations';

/**
 * The 機関 (body) each department belongs to: 69条②2 (目的外内部利用) is use inside one body, 69条②3
 * (他の行政機関等への提供) provision to another — a 教育委員会 is a body of its own beside the mayor's
 * departments (市長部局). Existing departments are the mayor's until their municipality says otherwise.
 */
export class Migration20261128131000_department_organs extends Migration {
  override name = 'Migration20261128131000_department_organs';

  override up(): void {
    this.addSql(`alter table departments add column organ text not null default 'mayor' check (organ in ('mayor', 'board_of_education'))`);
  }
}
