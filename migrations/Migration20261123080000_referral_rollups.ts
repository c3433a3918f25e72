import { Migration } from '@mikro-orm/migrations';
import { countedBy, type Counter } from './support/counted-by-trigger';
import { tenantTable } from './support/tenant-table';

/** Months in Japan, where managers report (月報, 年度). */
const month = (column: string) => `date_trunc('month', ${column} at time zone 'Asia/Tokyo')::date`;

export const referralMonthCounter: Counter = {
  facts: 'referral_facts',
  table: 'referral_month_counts',
  key: ['month', 'from_department_id', 'to_department_id'],
  sums: ['referrals', 'accepted', 'declined'],
  contribution: (rows, sign) =>
    `select tenant_id, ${month('proposed_at')} as month, from_department_id, to_department_id, ${sign} as referrals,
            case when accepted_at is not null then ${sign} else 0 end as accepted, case when state = 'declined' then ${sign} else 0 end as declined
       from ${rows}`,
};

export const referralDurationCounter: Counter = {
  facts: 'referral_facts',
  table: 'referral_month_durations',
  key: ['month', 'from_department_id', 'to_department_id', 'measure', 'bucket'],
  sums: ['n'],
  contribution: (rows, sign) =>
    `select tenant_id, ${month('proposed_at')} as month, from_department_id, to_department_id, 'accept' as measure,
            referral_duration_bucket(extract(epoch from accepted_at - proposed_at)) as bucket, ${sign} as n
       from ${rows} where accepted_at is not null
     union all
     select tenant_id, ${month('proposed_at')}, from_department_id, to_department_id, 'complete',
            referral_duration_bucket(extract(epoch from completed_at - proposed_at)), ${sign}
       from ${rows} where completed_at is not null`,
};

/**
 * The referral matrix read from monthly rollups of `referral_facts`, kept by triggers: counts per
 * pair of departments and month, and times to accept and to complete as logarithmic histograms
 * (see src/modules/reporting/domain/duration-histogram.ts), so the dashboard reads a few thousand
 * rows however many referrals there are.
 */
export class Migration20261123080000_referral_rollups extends Migration {
  override name = 'Migration20261123080000_referral_rollups';

  override up(): void {
    const statements = [
      `create function referral_duration_bucket(seconds double precision) returns int language sql immutable parallel safe as $$
        select floor(ln(greatest(seconds, 0) / 60 + 1) / ln(1.1))::int
      $$`,
      `create table referral_month_counts (
        tenant_id uuid not null references tenants (id),
        month date not null,
        from_department_id uuid not null,
        to_department_id uuid not null,
        referrals int not null,
        accepted int not null,
        declined int not null,
        primary key (tenant_id, month, from_department_id, to_department_id)
      )`,
      ...countedBy(referralMonthCounter),
      `create table referral_month_durations (
        tenant_id uuid not null references tenants (id),
        month date not null,
        from_department_id uuid not null,
        to_department_id uuid not null,
        measure text not null check (measure in ('accept', 'complete')),
        bucket int not null,
        n int not null,
        primary key (tenant_id, month, from_department_id, to_department_id, measure, bucket)
      )`,
      ...countedBy(referralDurationCounter),
      // Unanswered referrals past their date are few; counting them reads only those.
      `create index referral_facts_unanswered on referral_facts (tenant_id, due_on) include (from_department_id, to_department_id, proposed_at) where state = 'proposed'`,
      // Rollups of referrals written before this migration.
      `insert into referral_month_counts (tenant_id, month, from_department_id, to_department_id, referrals, accepted, declined)
         select tenant_id, ${month('proposed_at')}, from_department_id, to_department_id, count(*), count(accepted_at), count(*) filter (where state = 'declined')
           from referral_facts group by 1, 2, 3, 4`,
      `insert into referral_month_durations (tenant_id, month, from_department_id, to_department_id, measure, bucket, n)
         select tenant_id, ${month('proposed_at')}, from_department_id, to_department_id, 'accept', referral_duration_bucket(extract(epoch from accepted_at - proposed_at)), count(*)
           from referral_facts where accepted_at is not null group by 1, 2, 3, 4, 5, 6
         union all
         select tenant_id, ${month('proposed_at')}, from_department_id, to_department_id, 'complete', referral_duration_bucket(extract(epoch from completed_at - proposed_at)), count(*)
           from referral_facts where completed_at is not null group by 1, 2, 3, 4, 5, 6`,
      ...['referral_month_counts', 'referral_month_durations'].flatMap((table) => tenantTable(table)),
    ];
    for (const sql of statements) this.addSql(sql);
  }
}
