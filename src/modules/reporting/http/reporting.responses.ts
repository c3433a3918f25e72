import { z } from 'zod';
import { CASE_STATES } from '../../cases/domain/case.machine';
import { COORDINATION_STATES } from '../../coordination/domain/coordination.machine';

const count = z.int().min(0);
const hours = z.number().nullable().describe('Hours, from the duration histograms (within about 5 %); null without data');
const percentiles = z.object({ p50: hours, p90: hours });

/** One sending × receiving pair of the referral matrix (Dashboard.referrals). */
export const ReferralFlowSchema = z
  .object({
    fromDepartmentId: z.uuid(),
    fromDepartment: z.string(),
    toDepartmentId: z.uuid(),
    toDepartment: z.string(),
    total: count,
    accepted: count,
    declined: count,
    acceptanceRate: z.number().min(0).max(100).nullable().describe('Percent of the answered; null when none was answered'),
    hoursToAccept: percentiles,
    hoursToComplete: percentiles,
    overdueNow: count.describe('Still unanswered past their date'),
  })
  .meta({ id: 'ReferralFlow' });

/**
 * The managers' overview (Dashboard.overview): aggregates over fixed sets (stages, departments,
 * criteria), so bounded by them; the stuck cases are the quietest 200 at most.
 */
export const ReportingOverviewSchema = z
  .object({
    coordinationByStage: z.array(z.object({ state: z.enum(COORDINATION_STATES), cases: count, average_age_days: z.int() })),
    overdueTasksByDepartment: z.array(z.object({ department_id: z.uuid(), department: z.string(), overdue: count })),
    stuckCases: z
      .array(z.object({ case_id: z.uuid(), case_number: z.string(), lead_department_id: z.uuid(), lead_department: z.string(), state: z.enum(CASE_STATES), last_event_at: z.iso.datetime() }))
      .max(200)
      .describe('Open cases without an event for `stuckDays`, the quietest first (at most 200)'),
    topCriteria: z.array(z.object({ code: z.string(), label: z.string(), cases: count })),
  })
  .meta({ id: 'ReportingOverview' });

/** Facts per read model after a rebuild. */
export const ProjectionCountsSchema = z.record(z.string(), count).meta({ id: 'ProjectionCounts' });
