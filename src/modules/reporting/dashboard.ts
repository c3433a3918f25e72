import { Injectable } from '@nestjs/common';
import type { EntityManager } from '@mikro-orm/postgresql';
import { todayInJapan } from '../../platform/calendar/today';

export interface Period {
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

/** The stuck list is for reading, not for counting: the quietest first. */
const STUCK_LIMIT = 200;

/** The department condition is written into the SQL only when asked for, so each variant gets its own plan and index. */
const inDepartment = (filter: OverviewFilter) => (filter.departmentId ? [filter.departmentId] : []);

const hours = (seconds: unknown) => (seconds === null || seconds === undefined ? null : Math.round((Number(seconds) / 3600) * 10) / 10);

/** Managers' figures: aggregates only, no personal data. */
@Injectable()
export class Dashboard {
  /** Referrals by sending × receiving department: counts, acceptance rate, p50/p90 hours to accept and to complete, overdue now. */
  async referrals(em: EntityManager, period: Period) {
    const rows = await em.execute<Record<string, unknown>[]>(
      `select f.from_department_id, s.name as from_department, f.to_department_id, r.name as to_department,
              count(*) as total,
              count(*) filter (where f.accepted_at is not null) as accepted,
              count(*) filter (where f.state = 'declined') as declined,
              percentile_cont(0.5) within group (order by extract(epoch from f.accepted_at - f.proposed_at)) filter (where f.accepted_at is not null) as accept_p50,
              percentile_cont(0.9) within group (order by extract(epoch from f.accepted_at - f.proposed_at)) filter (where f.accepted_at is not null) as accept_p90,
              percentile_cont(0.5) within group (order by extract(epoch from f.completed_at - f.proposed_at)) filter (where f.completed_at is not null) as complete_p50,
              percentile_cont(0.9) within group (order by extract(epoch from f.completed_at - f.proposed_at)) filter (where f.completed_at is not null) as complete_p90,
              count(*) filter (where f.state = 'proposed' and f.due_on < ?) as overdue
         from referral_facts f
         join departments s on s.id = f.from_department_id
         join departments r on r.id = f.to_department_id
        where f.proposed_at >= ? and f.proposed_at < ? and (?::uuid is null or f.from_department_id = ? or f.to_department_id = ?)
        group by 1, 2, 3, 4 order by 2, 4`,
      [todayInJapan(), period.from, period.to, period.departmentId ?? null, period.departmentId ?? null, period.departmentId ?? null],
    );
    return rows.map((r) => {
      const total = Number(r.total);
      const answered = Number(r.accepted) + Number(r.declined);
      return {
        fromDepartmentId: r.from_department_id,
        fromDepartment: r.from_department,
        toDepartmentId: r.to_department_id,
        toDepartment: r.to_department,
        total,
        accepted: Number(r.accepted),
        declined: Number(r.declined),
        acceptanceRate: answered === 0 ? null : Math.round((1000 * Number(r.accepted)) / answered) / 10,
        hoursToAccept: { p50: hours(r.accept_p50), p90: hours(r.accept_p90) },
        hoursToComplete: { p50: hours(r.complete_p50), p90: hours(r.complete_p90) },
        overdueNow: Number(r.overdue),
      };
    });
  }

  /**
   * 多機関協働 cases by stage and age (opened in the period), overdue tasks by department, stuck
   * cases (open, no event for `stuckDays`), and the criteria that trigger most (evaluated in the
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
         from coordination_stage_counts where opened_on >= ? and opened_on < ? group by state order by state`,
      [filter.from, filter.to],
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

  stuckCases(em: EntityManager, filter: OverviewFilter) {
    return em.execute<{ case_id: string; case_number: string; lead_department_id: string; lead_department: string; state: string; last_event_at: Date }[]>(
      `select a.case_id, a.case_number, a.lead_department_id, d.name as lead_department, a.state, a.last_event_at
         from (select * from case_activity
                where state not in ('closed', 'suspended') and last_event_at < now() - make_interval(days => ?) ${filter.departmentId ? 'and lead_department_id = ?' : ''}
                order by last_event_at limit ${STUCK_LIMIT}) a
         join departments d on d.id = a.lead_department_id
        order by a.last_event_at, a.case_number`,
      [filter.stuckDays, ...inDepartment(filter)],
    );
  }

  topCriteria(em: EntityManager, filter: OverviewFilter) {
    return em.execute<{ code: string; label: string; cases: number }[]>(
      `select code, label, sum(cases)::int as cases from criteria_counts where evaluated_on >= ? and evaluated_on < ?
        group by 1, 2 order by 3 desc, 1`,
      [filter.from, filter.to],
    );
  }
}
