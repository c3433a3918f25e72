import { Migration } from '@mikro-orm/migrations';
import { countedBy, type Counter } from './support/counted-by-trigger';
import { tenantTable } from './support/tenant-table';

const month = (column: string) => `date_trunc('month', ${column} at time zone 'Asia/Tokyo')::date`;

/** Unanswered (proposed) referrals by month proposed, pair of departments and due date. */
export const referralOpenCounter: Counter = {
  facts: 'referral_facts',
  table: 'referral_open_counts',
  key: ['month', 'from_department_id', 'to_department_id', 'due_on'],
  sums: ['referrals'],
  contribution: (rows, sign) =>
    `select tenant_id, ${month('proposed_at')} as month, from_department_id, to_department_id, due_on, ${sign} as referrals
       from ${rows} where state = 'proposed' and due_on is not null`,
};

/**
 * The referral matrix's overdue column from a counter instead of the facts: counting proposed
 * referrals past their date read every such fact (3.6·10⁴ at 3·10⁵ cases when answers lag: 25–100 ms);
 * the counter has at most a row per pair of departments, month and due date.
 */
export class Migration20261127182300_referral_overdue_counts extends Migration {
  override name = 'Migration20261127182300_referral_overdue_counts';

  override up(): void {
    const statements = [
      `create table referral_open_counts (
        tenant_id uuid not null references tenants (id),
        month date not null,
        from_department_id uuid not null,
        to_department_id uuid not null,
        due_on date not null,
        referrals int not null,
        primary key (tenant_id, month, from_department_id, to_department_id, due_on)
      )`,
      ...countedBy(referralOpenCounter),
      `insert into referral_open_counts (tenant_id, month, from_department_id, to_department_id, due_on, referrals)
         select tenant_id, ${month('proposed_at')}, from_department_id, to_department_id, due_on, count(*)
           from referral_facts where state = 'proposed' and due_on is not null group by 1, 2, 3, 4, 5`,
      ...tenantTable('referral_open_counts'),
    ];
    for (const sql of statements) this.addSql(sql);
  }
}
