import { Injectable } from '@nestjs/common';
import type { EntityManager } from '@mikro-orm/postgresql';
import { todayInJapan } from '../../platform/calendar/today';
import { percentileOf, type BucketCount } from './domain/duration-histogram';
import { Keyset, type PageParams } from '../../platform/http/api-contract/paging';

/** Whole months in Japan, both ends included (`2026-04` … `2027-03` is a 年度). */
export interface MonthPeriod {
  from: string;
  to: string;
  departmentId?: string;
}

/** Calendar days in Japan, `to` exclusive; the department narrows tasks and stuck cases. */
export interface OverviewFilter {
  from: string;
  to: string;
  departmentId?: string;
  stuckDays: number;
}

/** Department pairs by name, the ids making the order total. */
const REFERRAL_PAIR_ORDER = new Keyset<ReferralFlow>('referral-matrix', {
  fromDepartment: 'from_department',
  fromDepartmentId: 'from_department_id',
  toDepartment: 'to_department',
  toDepartmentId: 'to_department_id',
});

/** One sending × receiving pair of the referral matrix. */
export interface ReferralFlow {
  fromDepartmentId: string;
  fromDepartment: string;
  toDepartmentId: string;
  toDepartment: string;
  total: number;
  accepted: number;
  declined: number;
  acceptanceRate: number | null;
  hoursToAccept: { p50: number | null; p90: number | null };
  hoursToComplete: { p50: number | null; p90: number | null };
  overdueNow: number;
}
type KeyValue = string | number;

/** The stuck list is for reading, not for counting: the quietest first. */
const STUCK_LIMIT = 200;

/** The department condition is written into the SQL only when asked for, so each variant gets its own plan and index. */
const inDepartment = (filter: OverviewFilter) => (filter.departmentId ? [filter.departmentId] : []);

const hours = (seconds: unknown) => (seconds === null || seconds === undefined ? null : Math.round((Number(seconds) / 3600) * 10) / 10);

/** Managers' figures: aggregates only, no personal data. */
@Injectable()
export class Dashboard {
  /**
   * Referrals by sending × receiving department, proposed in the months of the period: counts,
   * acceptance rate, p50/p90 hours to accept and to complete (from the histograms, within about 5 %),
   * and how many still wait for an answer past their date.
   */
  async referrals(em: EntityManager, period: MonthPeriod, page?: PageParams) {
    const rows = await this.referralRows(em, period, page && { after: REFERRAL_PAIR_ORDER.decode(page.cursor), limit: page.limit + 1 });
    return page ? REFERRAL_PAIR_ORDER.page(rows, page.limit, (row) => row) : { items: rows, next: null };
  }

  /** The rows of the matrix, by sending then receiving department name; all of them, or `limit` after `after`. */
  private async referralRows(em: EntityManager, period: MonthPeriod, page?: { after: KeyValue[] | undefined; limit: number }): Promise<ReferralFlow[]> {
    const [from, to] = [`${period.from}-01`, `${period.to}-01`];
    const dept = period.departmentId ?? null;
    const inPeriod = `month between ?::date and ?::date and (?::uuid is null or from_department_id = ? or to_department_id = ?)`;
    const after = REFERRAL_PAIR_ORDER.sql(page?.after);
    const counts = await em.execute<{ from_department_id: string; from_department: string; to_department_id: string; to_department: string; total: number; accepted: number; declined: number }[]>(
      `select * from (
       select c.from_department_id, s.name as from_department, c.to_department_id, r.name as to_department,
              sum(c.referrals)::int as total, sum(c.accepted)::int as accepted, sum(c.declined)::int as declined
         from referral_month_counts c
         join departments s on s.id = c.from_department_id
         join departments r on r.id = c.to_department_id
        where ${inPeriod} group by 1, 2, 3, 4) pairs
        where ${after.text} order by ${REFERRAL_PAIR_ORDER.sqlOrder} ${page ? 'limit ?' : ''}`,
      [from, to, dept, dept, dept, ...after.params, ...(page ? [page.limit] : [])],
    );
    const durations = await em.execute<{ from_department_id: string; to_department_id: string; measure: string; bucket: number; n: number }[]>(
      `select from_department_id, to_department_id, measure, bucket, sum(n)::int as n from referral_month_durations where ${inPeriod} group by 1, 2, 3, 4`,
      [from, to, dept, dept, dept],
    );
    const overdue = await em.execute<{ from_department_id: string; to_department_id: string; overdue: number }[]>(
      `select from_department_id, to_department_id, sum(referrals)::int as overdue from referral_open_counts
        where due_on < ? and ${inPeriod} group by 1, 2`,
      [todayInJapan(), from, to, dept, dept, dept],
    );
    const pair = (r: { from_department_id: string; to_department_id: string }) => `${r.from_department_id}>${r.to_department_id}`;
    const histograms = new Map<string, BucketCount[]>();
    for (const d of durations) histograms.set(`${pair(d)}:${d.measure}`, [...(histograms.get(`${pair(d)}:${d.measure}`) ?? []), { bucket: d.bucket, n: d.n }]);
    const hoursAt = (key: string, p: number) => hours(percentileOf(histograms.get(key) ?? [], p));
    const overdueBy = new Map(overdue.map((o) => [pair(o), o.overdue]));
    return counts.map((r) => {
      const answered = r.accepted + r.declined;
      return {
        fromDepartmentId: r.from_department_id,
        fromDepartment: r.from_department,
        toDepartmentId: r.to_department_id,
        toDepartment: r.to_department,
        total: r.total,
        accepted: r.accepted,
        declined: r.declined,
        acceptanceRate: answered === 0 ? null : Math.round((1000 * r.accepted) / answered) / 10,
        hoursToAccept: { p50: hoursAt(`${pair(r)}:accept`, 0.5), p90: hoursAt(`${pair(r)}:accept`, 0.9) },
        hoursToComplete: { p50: hoursAt(`${pair(r)}:complete`, 0.5), p90: hoursAt(`${pair(r)}:complete`, 0.9) },
        overdueNow: overdueBy.get(pair(r)) ?? 0,
      };
    });
  }

  /**
   * 多機関協働 cases by stage and age (opened in the period), overdue tasks by department, stuck
   * cases (open, no event for `stuckDays`), and the criteria that trigger most (began to match in the
   * period). Read from the projections and their counters only.
   */
  async overview(em: EntityManager, filter: OverviewFilter) {
    return {
      coordinationByStage: await this.coordinationByStage(em, filter),
      overdueTasksByDepartment: await this.overdueTasks(em, filter),
      stuckCases: await this.stuckCases(em, filter),
      topCriteria: await this.topCriteria(em, filter),
    };
  }

  coordinationByStage(em: EntityManager, filter: OverviewFilter) {
    // The average age comes from the sum of opening times: now − Σopened/n.
    return em.execute<{ state: string; cases: number; average_age_days: number }[]>(
      `select state, sum(cases)::int as cases, round((extract(epoch from now()) * sum(cases) - sum(opened_epoch_sum)) / sum(cases) / 86400)::int as average_age_days
         from coordination_stage_counts where opened_on >= ? and opened_on < ? ${filter.departmentId ? 'and lead_department_id = ?' : ''}
        group by state order by state`,
      [filter.from, filter.to, ...inDepartment(filter)],
    );
  }

  overdueTasks(em: EntityManager, filter: OverviewFilter) {
    return em.execute<{ department_id: string; department: string; overdue: number }[]>(
      `select d.id as department_id, d.name as department, sum(c.tasks)::int as overdue
         from open_task_counts c join departments d on d.id = c.department_id
        where c.due_on < ? ${filter.departmentId ? 'and c.department_id = ?' : ''}
        group by 1, 2 order by 3 desc, 2`,
      [todayInJapan(), ...inDepartment(filter)],
    );
  }

  async stuckCases(em: EntityManager, filter: OverviewFilter) {
    const rows = await em.execute<{ case_id: string; case_number: string; lead_department_id: string; lead_department: string; state: string; last_event_at: Date }[]>(
      `select a.case_id, a.case_number, a.lead_department_id, d.name as lead_department, a.state, a.last_event_at
         from (select * from case_activity
                where state not in ('closed', 'suspended') and last_event_at < now() - make_interval(days => ?) ${filter.departmentId ? 'and lead_department_id = ?' : ''}
                order by last_event_at limit ${STUCK_LIMIT}) a
         join departments d on d.id = a.lead_department_id
        order by a.last_event_at, a.case_number`,
      [filter.stuckDays, ...inDepartment(filter)],
    );
    // The driver may answer Postgres' own text for a timestamptz: the API answers ISO 8601.
    return rows.map((row) => ({ ...row, last_event_at: new Date(row.last_event_at).toISOString() }));
  }

  topCriteria(em: EntityManager, filter: OverviewFilter) {
    return em.execute<{ code: string; label: string; cases: number }[]>(
      `select code, label, sum(triggers)::int as cases from criteria_counts where triggered_on >= ? and triggered_on < ? ${filter.departmentId ? 'and lead_department_id = ?' : ''}
        group by 1, 2 order by 3 desc, 1`,
      [filter.from, filter.to, ...inDepartment(filter)],
    );
  }
}
