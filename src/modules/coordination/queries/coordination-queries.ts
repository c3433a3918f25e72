import { subject } from '@casl/ability';
import { Query, QueryHandler, type IQueryHandler } from '@nestjs/cqrs';
import { todayInJapan } from '../../../platform/calendar/today';
import { Db } from '../../../platform/database/db';
import { accessibleWhere } from '../../access/accessible-where';
import { assertCan } from '../../access/assert-can';
import { pickPermitted } from '../../access/permitted-fields';
import type { RequestAuth } from '../../access/request-auth';
import { CaseSchema } from '../../cases/domain/case.entity';
import { coordinationSummary } from '../coordination-summary';
import { currentPlan, loadCoordination } from '../coordination-access';
import { EscalationCriteriaService } from '../criteria/escalation-criteria.service';
import type { RuleSet } from '../domain/escalation-criteria';
import { CoordinationCaseSchema, EscalationEvaluationSchema, EscalationSchema, type CoordinationCase } from '../domain/coordination.entity';
import { MeetingCaseSchema } from '../domain/meeting.entity';
import { GoalEvaluationSchema, MonitoringReviewSchema, PlanTaskSchema, SupportPlanSchema, type PlanTask } from '../domain/plan.entity';

export class GetCriteriaQuery extends Query<{ version: number; rules: RuleSet['rules'] }> {
  constructor(readonly auth: RequestAuth) {
    super();
  }
}

@QueryHandler(GetCriteriaQuery)
export class GetCriteriaHandler implements IQueryHandler<GetCriteriaQuery> {
  constructor(
    private readonly db: Db,
    private readonly criteria: EscalationCriteriaService,
  ) {}

  execute({ auth }: GetCriteriaQuery) {
    assertCan(auth, 'read', 'EscalationCriteria', { tenantId: auth.principal.tenantId });
    // The rule list itself, beside its version: the same `rules` a PUT sends.
    return this.db.inTenant(auth.principal.tenantId, async (em) => {
      const { version, rules } = await this.criteria.current(em);
      return { version, rules: rules.rules };
    });
  }
}

export class CoordinatorQueueQuery extends Query<Record<string, unknown>> {
  constructor(readonly auth: RequestAuth) {
    super();
  }
}

/** The coordinator's queue: candidates with the rules that matched, escalations waiting, own cases by stage, overdue tasks. */
@QueryHandler(CoordinatorQueueQuery)
export class CoordinatorQueueHandler implements IQueryHandler<CoordinatorQueueQuery> {
  constructor(private readonly db: Db) {}

  execute({ auth }: CoordinatorQueueQuery) {
    assertCan(auth, 'read', 'CoordinationCase', { tenantId: auth.principal.tenantId });
    return this.db.inTenant(auth.principal.tenantId, async (em) => {
      const candidates = await em.find(CaseSchema, { coordinationStatus: 'candidate' }, { orderBy: { updatedAt: 'desc' }, limit: 200 });
      const evaluations = await em.find(EscalationEvaluationSchema, { caseId: { $in: candidates.map((c) => c.id) } }, { orderBy: { id: 'desc' } });
      const coordinations = await em.find(CoordinationCaseSchema, { state: { $nin: ['closed'] } }, { orderBy: { updatedAt: 'desc' } });
      const byStage: Record<string, { id: string; caseId: string; version: number }[]> = {};
      for (const c of coordinations) (byStage[c.state] ??= []).push({ id: c.id, caseId: c.caseId, version: c.version });
      return {
        candidates: candidates.map((c) => {
          const latest = evaluations.find((e) => e.caseId === c.id);
          return { caseId: c.id, caseNumber: c.caseNumber, title: c.title, issues: c.issues, ruleSetVersion: latest?.ruleSetVersion ?? null, matched: latest?.matched ?? [] };
        }),
        escalations: (await em.find(EscalationSchema, { state: 'pending' }, { orderBy: { createdAt: 'asc' } })).map((e) => ({
          id: e.id,
          caseId: e.caseId,
          source: e.source,
          reason: e.reason,
          version: e.version,
        })),
        cases: byStage,
        overdueTasks: (await em.find(PlanTaskSchema, { status: 'open', dueOn: { $lt: todayInJapan() } }, { orderBy: { dueOn: 'asc' } })).map(taskView),
      };
    });
  }
}

export class GetCoordinationQuery extends Query<Record<string, unknown>> {
  constructor(
    readonly auth: RequestAuth,
    readonly id: string,
  ) {
    super();
  }
}

@QueryHandler(GetCoordinationQuery)
export class GetCoordinationHandler implements IQueryHandler<GetCoordinationQuery> {
  constructor(private readonly db: Db) {}

  execute({ auth, id }: GetCoordinationQuery) {
    return this.db.inTenant(auth.principal.tenantId, async (em) => {
      const found = await loadCoordination(em, auth, id, 'read');
      const plan = await currentPlan(em, found.id);
      const view = {
        ...(await coordinationSummary(em, auth, found)),
        leadDepartmentId: found.leadDepartmentId,
        coordinatorId: found.coordinatorId,
        closureReason: found.closureReason ?? null,
        plan: plan && { version: plan.version, state: plan.state, goals: plan.goals, approvedInMeetingId: plan.approvedInMeetingId ?? null },
        planVersions: (await em.find(SupportPlanSchema, { coordinationCaseId: found.id }, { orderBy: { version: 'asc' } })).map((p) => ({ version: p.version, state: p.state, goals: p.goals })),
        tasks: (await em.find(PlanTaskSchema, { coordinationCaseId: found.id }, { orderBy: { planVersion: 'asc', dueOn: 'asc' } })).map(taskView),
        reviews: await em.find(MonitoringReviewSchema, { coordinationCaseId: found.id }, { orderBy: { createdAt: 'asc' } }),
        evaluations: await em.find(GoalEvaluationSchema, { coordinationCaseId: found.id }, { orderBy: { createdAt: 'asc' } }),
        meetings: (await em.find(MeetingCaseSchema, { coordinationCaseId: found.id })).map((m) => ({ meetingId: m.meetingId, legalBasis: m.legalBasis, sharedAt: m.sharedAt })),
      };
      return visibleCoordination(auth, found, view);
    });
  }
}

export class ListCoordinationCasesQuery extends Query<Record<string, unknown>[]> {
  constructor(
    readonly auth: RequestAuth,
    readonly limit: number,
  ) {
    super();
  }
}

/**
 * Coordination cases the caller may read, most recently changed first: every case to the
 * coordinating department, its own escalated cases to a lead department (status only).
 */
@QueryHandler(ListCoordinationCasesQuery)
export class ListCoordinationCasesHandler implements IQueryHandler<ListCoordinationCasesQuery> {
  constructor(private readonly db: Db) {}

  execute({ auth, limit }: ListCoordinationCasesQuery) {
    const where = accessibleWhere<CoordinationCase>(auth.ability, 'read', 'CoordinationCase');
    if (!where) return Promise.resolve([]);
    return this.db.inTenant(auth.principal.tenantId, async (em) => {
      const found = await em.find(CoordinationCaseSchema, where, { orderBy: { updatedAt: 'desc', id: 'desc' }, limit });
      return found.map((c) =>
        visibleCoordination(auth, c, { id: c.id, caseId: c.caseId, leadDepartmentId: c.leadDepartmentId, state: c.state, version: c.version, coordinatorId: c.coordinatorId, closureReason: c.closureReason ?? null, updatedAt: c.updatedAt }),
      );
    });
  }
}

/** Only the fields this caller may read of this coordination case (the lead department: status and plan). */
function visibleCoordination<T extends Record<string, unknown>>(auth: RequestAuth, found: CoordinationCase, view: T): Partial<T> {
  const { tenantId: _tenant, ...visible } = pickPermitted(auth.ability, 'read', 'CoordinationCase', { ...view, tenantId: found.tenantId });
  return visible as Partial<T>;
}

export class ListTasksQuery extends Query<ReturnType<typeof taskView>[]> {
  constructor(readonly auth: RequestAuth) {
    super();
  }
}

/** A department's tasks from every plan, open first, by due date. */
@QueryHandler(ListTasksQuery)
export class ListTasksHandler implements IQueryHandler<ListTasksQuery> {
  constructor(private readonly db: Db) {}

  execute({ auth }: ListTasksQuery) {
    const where = accessibleWhere<PlanTask>(auth.ability, 'report', 'PlanTask');
    if (!where) return Promise.resolve([]);
    return this.db.inTenant(auth.principal.tenantId, async (em) =>
      (await em.find(PlanTaskSchema, { $and: [where, { status: { $ne: 'cancelled' } }] }, { orderBy: { status: 'desc', dueOn: 'asc' } }))
        .filter((t) => auth.ability.can('report', subject('PlanTask', { ...t })))
        .map(taskView),
    );
  }
}

function taskView(task: PlanTask) {
  return {
    id: task.id,
    coordinationCaseId: task.coordinationCaseId,
    planVersion: task.planVersion,
    goalId: task.goalId ?? null,
    departmentId: task.departmentId,
    ownerId: task.ownerId ?? null,
    title: task.title,
    kind: task.kind,
    resource: task.resource ?? null,
    dueOn: task.dueOn,
    status: task.status,
    report: task.report ?? null,
    version: task.version,
    overdue: task.status === 'open' && task.dueOn < todayInJapan(),
  };
}

export const COORDINATION_QUERY_HANDLERS = [GetCriteriaHandler, CoordinatorQueueHandler, GetCoordinationHandler, ListCoordinationCasesHandler, ListTasksHandler];
