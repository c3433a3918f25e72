import { Injectable } from '@nestjs/common';
import type { EntityManager } from '@mikro-orm/postgresql';
import { todayInJapan } from '../../platform/calendar/today';

export interface Period {
  from: string;
  to: string;
  departmentId?: string;
}

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

  /** 多機関協働 cases by stage and age, overdue tasks by department, stuck cases, the criteria that trigger most. */
  async overview(em: EntityManager, stuckDays: number) {
    const byStage = await em.execute<Record<string, unknown>[]>(
      `select state, count(*)::int as cases, round(avg(extract(epoch from now() - created_at) / 86400))::int as average_age_days from coordination_cases group by state order by state`,
    );
    const overdueTasks = await em.execute<Record<string, unknown>[]>(
      `select d.id as department_id, d.name as department, count(*)::int as overdue from plan_tasks t join departments d on d.id = t.department_id
        where t.status = 'open' and t.due_on < ? group by 1, 2 order by 3 desc`,
      [todayInJapan()],
    );
    const stuck = await em.execute<Record<string, unknown>[]>(
      `select c.id as case_id, c.case_number, c.lead_department_id, max(e.occurred_at) as last_event_at
         from cases c left join domain_events e on e.case_id = c.id
        where c.state not in ('closed', 'suspended')
        group by c.id having coalesce(max(e.occurred_at), c.created_at) < now() - make_interval(days => ?)
        order by 4 nulls first limit 200`,
      [stuckDays],
    );
    const criteria = await em.execute<Record<string, unknown>[]>(
      `select m->>'code' as code, m->'label'->>'ja' as label, count(*)::int as cases
         from (select distinct on (case_id) matched from escalation_evaluations order by case_id, id desc) latest, jsonb_array_elements(latest.matched) m
        group by 1, 2 order by 3 desc, 1`,
    );
    return { coordinationByStage: byStage, overdueTasksByDepartment: overdueTasks, stuckCases: stuck, topCriteria: criteria };
  }
}
