import { date, iso, type EventRow, type Projection } from './projection';

/** A task of the 支援プラン (support plan) for one department. */
export interface TaskFact {
  taskId: string;
  caseId: string;
  coordinationCaseId: string;
  departmentId: string;
  planVersion: number;
  dueOn: string;
  status: 'open' | 'done' | 'cancelled';
  reportedAt: string | null;
  lastEventId: number;
}

interface DraftedTask {
  id: string;
  departmentId: string;
  dueOn: string;
}

/**
 * Tasks are grouped by case: a new plan version cancels the open tasks of the previous one (as the
 * plan command does), so one event changes several tasks of the same case.
 */
export function applyTaskEvent(group: readonly TaskFact[], event: EventRow): TaskFact[] {
  if (event.type === 'SupportPlanDrafted') {
    const planVersion = Number(event.payload.planVersion);
    const cancelled = group.filter((t) => t.coordinationCaseId === event.aggregateId && t.status === 'open').map((t) => ({ ...t, status: 'cancelled' as const, lastEventId: event.id }));
    const drafted = ((event.payload.planTasks as DraftedTask[] | undefined) ?? []).map((t) => ({
      taskId: t.id,
      caseId: event.caseId!,
      coordinationCaseId: event.aggregateId,
      departmentId: t.departmentId,
      planVersion,
      dueOn: t.dueOn,
      status: 'open' as const,
      reportedAt: null,
      lastEventId: event.id,
    }));
    return [...cancelled, ...drafted];
  }
  if (event.type !== 'PlanTaskReported' && event.type !== 'PlanTaskCompleted') return [];
  const task = group.find((t) => t.taskId === event.aggregateId);
  if (!task) return [];
  return [{ ...task, status: event.type === 'PlanTaskCompleted' ? 'done' : task.status, reportedAt: event.occurredAt, lastEventId: event.id }];
}

export const taskProjection: Projection<TaskFact> = {
  name: 'tasks',
  table: 'task_facts',
  source: { aggregateTypes: ['CoordinationCase', 'PlanTask'] },
  columns: ['task_id', 'case_id', 'coordination_case_id', 'department_id', 'plan_version', 'due_on', 'status', 'reported_at', 'last_event_id'],
  groupColumn: 'case_id',
  groupOf: (event) => event.caseId,
  idOf: (fact) => fact.taskId,
  reduce: applyTaskEvent,
  toRow: (f) => [f.taskId, f.caseId, f.coordinationCaseId, f.departmentId, f.planVersion, f.dueOn, f.status, f.reportedAt, f.lastEventId],
  fromRow: (r) => ({
    taskId: String(r.task_id),
    caseId: String(r.case_id),
    coordinationCaseId: String(r.coordination_case_id),
    departmentId: String(r.department_id),
    planVersion: Number(r.plan_version),
    dueOn: date(r.due_on)!,
    status: r.status as TaskFact['status'],
    reportedAt: iso(r.reported_at),
    lastEventId: Number(r.last_event_id),
  }),
};
