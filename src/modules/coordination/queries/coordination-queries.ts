import type { FilterQuery } from '@mikro-orm/core';
import type { EntityManager } from '@mikro-orm/postgresql';
import { Query, QueryHandler, type IQueryHandler } from '@nestjs/cqrs';
import { todayInJapan } from '../../../platform/calendar/today';
import { Db } from '../../../platform/database/db';
import { Keyset, type PageParams } from '../../../platform/http/api-contract/paging';
import { accessibleWhere } from '../../access/accessible-where';
import { assertCan } from '../../access/assert-can';
import { pickPermitted } from '../../access/permitted-fields';
import type { RequestAuth } from '../../access/request-auth';
import { CaseSchema, type Case } from '../../cases/domain/case.entity';
import type { IssueTag } from '../../cases/domain/issue-tags';
import { coordinationSummary } from '../coordination-summary';
import { currentPlan, loadCoordination } from '../coordination-access';
import { EscalationCriteriaService } from '../criteria/escalation-criteria.service';
import type { RuleSet } from '../domain/escalation-criteria';
import { CoordinationCaseSchema, EscalationEvaluationSchema, EscalationSchema, type CoordinationCase, type Escalation } from '../domain/coordination.entity';
import { COORDINATION_STATES } from '../domain/coordination.machine';
import type { CoordinationCaseListQuery, TaskListQuery } from '../domain/coordination.schemas';
import { MeetingCaseSchema } from '../domain/meeting.entity';
import { GoalEvaluationSchema, MonitoringReviewSchema, PlanTaskSchema, SupportPlanSchema, type PlanTask } from '../domain/plan.entity';

/** A page of a list, as its response schema describes it (http/coordination.responses.ts). */
type Page = { items: object[]; next: string | null };

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
  constructor(
    readonly auth: RequestAuth,
    readonly limit: number,
  ) {
    super();
  }
}

/** The coordinator's queue: the first page of candidates, of escalations waiting and of overdue tasks; open cases per stage. */
@QueryHandler(CoordinatorQueueQuery)
export class CoordinatorQueueHandler implements IQueryHandler<CoordinatorQueueQuery> {
  constructor(private readonly db: Db) {}

  execute({ auth, limit }: CoordinatorQueueQuery) {
    assertCoordinates(auth);
    return this.db.inTenant(auth.principal.tenantId, async (em) => {
      const open = await em.find(CoordinationCaseSchema, { state: { $nin: ['closed'] } }, { fields: ['state'] });
      const counts = new Map<string, number>();
      for (const c of open) counts.set(c.state, (counts.get(c.state) ?? 0) + 1);
      return {
        candidates: await candidatesPage(em, { limit }),
        escalations: await escalationsPage(em, auth, { limit }),
        casesByStage: COORDINATION_STATES.filter((state) => counts.has(state)).map((state) => ({ state, cases: counts.get(state)! })),
        overdueTasks: await tasksPage(em, auth, { limit, overdue: true }),
      };
    });
  }
}

/** Only the coordinating department works the queue (a lead department reads its own cases, not the queue). */
function assertCoordinates(auth: RequestAuth) {
  assertCan(auth, 'read', 'CoordinationCase', { tenantId: auth.principal.tenantId });
}

const CANDIDATE_ORDER = new Keyset<Case>('coordination-candidates', { createdAt: 'created_at', id: 'id' });

/** Cases the criteria flagged, oldest first, each with the rules its latest evaluation matched. */
async function candidatesPage(em: EntityManager, query: PageParams) {
  const rows = await em.find(CaseSchema, { $and: [{ coordinationStatus: 'candidate' }, CANDIDATE_ORDER.after(CANDIDATE_ORDER.decode(query.cursor))] }, { orderBy: CANDIDATE_ORDER.orderBy, limit: query.limit + 1 });
  const evaluations = await em.find(EscalationEvaluationSchema, { caseId: { $in: rows.map((c) => c.id) } }, { orderBy: { id: 'desc' } });
  return CANDIDATE_ORDER.page(rows, query.limit, (c) => {
    const latest = evaluations.find((e) => e.caseId === c.id);
    return { caseId: c.id, caseNumber: c.caseNumber, title: c.title, issues: c.issues as IssueTag[], ruleSetVersion: latest?.ruleSetVersion ?? null, matched: latest?.matched ?? [] };
  });
}

const ESCALATION_ORDER = new Keyset<Escalation>('escalations', { createdAt: 'created_at', id: 'id' });

/** Requests for 多機関協働 waiting for a decision, oldest first. */
async function escalationsPage(em: EntityManager, auth: RequestAuth, query: PageParams) {
  const where = accessibleWhere<Escalation>(auth.ability, 'read', 'Escalation');
  if (!where) return { items: [], next: null };
  const rows = await em.find(EscalationSchema, { $and: [where, { state: 'pending' }, ESCALATION_ORDER.after(ESCALATION_ORDER.decode(query.cursor))] }, { orderBy: ESCALATION_ORDER.orderBy, limit: query.limit + 1 });
  return ESCALATION_ORDER.page(rows, query.limit, (e) => ({ id: e.id, caseId: e.caseId, source: e.source, state: e.state, reason: e.reason, version: e.version, createdAt: e.createdAt }));
}

export class ListCandidatesQuery extends Query<Page> {
  constructor(
    readonly auth: RequestAuth,
    readonly page: PageParams,
  ) {
    super();
  }
}

@QueryHandler(ListCandidatesQuery)
export class ListCandidatesHandler implements IQueryHandler<ListCandidatesQuery> {
  constructor(private readonly db: Db) {}

  execute({ auth, page }: ListCandidatesQuery) {
    assertCoordinates(auth);
    return this.db.inTenant(auth.principal.tenantId, (em) => candidatesPage(em, page));
  }
}

export class ListEscalationsQuery extends Query<Page> {
  constructor(
    readonly auth: RequestAuth,
    readonly page: PageParams,
  ) {
    super();
  }
}

@QueryHandler(ListEscalationsQuery)
export class ListEscalationsHandler implements IQueryHandler<ListEscalationsQuery> {
  constructor(private readonly db: Db) {}

  execute({ auth, page }: ListEscalationsQuery) {
    return this.db.inTenant(auth.principal.tenantId, (em) => escalationsPage(em, auth, page));
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
        plan: plan ? { version: plan.version, state: plan.state, goals: plan.goals, approvedInMeetingId: plan.approvedInMeetingId ?? null } : null,
        planVersions: (await em.find(SupportPlanSchema, { coordinationCaseId: found.id }, { orderBy: { version: 'asc' } })).map((p) => ({ version: p.version, state: p.state, goals: p.goals })),
        tasks: (await em.find(PlanTaskSchema, { coordinationCaseId: found.id }, { orderBy: { planVersion: 'asc', dueOn: 'asc' } })).map(taskView),
        reviews: (await em.find(MonitoringReviewSchema, { coordinationCaseId: found.id }, { orderBy: { createdAt: 'asc' } })).map((r) => ({
          id: r.id,
          heldOn: r.heldOn,
          notes: r.notes,
          replanGoalIds: r.replanGoalIds,
          createdBy: r.createdBy,
          createdAt: r.createdAt,
        })),
        evaluations: (await em.find(GoalEvaluationSchema, { coordinationCaseId: found.id }, { orderBy: { createdAt: 'asc' } })).map((e) => ({
          id: e.id,
          meetingId: e.meetingId ?? null,
          results: e.results,
          createdBy: e.createdBy,
          createdAt: e.createdAt,
        })),
        meetings: (await em.find(MeetingCaseSchema, { coordinationCaseId: found.id }, { orderBy: { sharedAt: 'asc' } })).map((m) => ({ meetingId: m.meetingId, legalBasis: m.legalBasis, sharedAt: m.sharedAt })),
      };
      return visibleCoordination(auth, found, view);
    });
  }
}

export class ListCoordinationCasesQuery extends Query<Page> {
  constructor(
    readonly auth: RequestAuth,
    readonly query: CoordinationCaseListQuery,
  ) {
    super();
  }
}

const COORDINATION_ORDER = new Keyset<CoordinationCase>('coordination-cases', { createdAt: 'created_at', id: 'id' });

/**
 * Coordination cases the caller may read, in the order they were opened: every case to the
 * coordinating department, its own escalated cases to a lead department (status only).
 */
@QueryHandler(ListCoordinationCasesQuery)
export class ListCoordinationCasesHandler implements IQueryHandler<ListCoordinationCasesQuery> {
  constructor(private readonly db: Db) {}

  execute({ auth, query }: ListCoordinationCasesQuery) {
    const where = accessibleWhere<CoordinationCase>(auth.ability, 'read', 'CoordinationCase');
    if (!where) return Promise.resolve({ items: [], next: null });
    const filters = {
      ...(query.state ? { state: query.state } : {}),
      ...(query.leadDepartmentId ? { leadDepartmentId: query.leadDepartmentId } : {}),
      ...(query.updatedSince ? { updatedAt: { $gte: new Date(query.updatedSince) } } : {}),
    };
    const after = COORDINATION_ORDER.decode(query.cursor);
    return this.db.inTenant(auth.principal.tenantId, async (em) => {
      const rows = await em.find(CoordinationCaseSchema, { $and: [where, filters, COORDINATION_ORDER.after(after)] }, { orderBy: COORDINATION_ORDER.orderBy, limit: query.limit + 1 });
      return COORDINATION_ORDER.page(rows, query.limit, (c) =>
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

export class ListTasksQuery extends Query<{ items: ReturnType<typeof taskView>[]; next: string | null }> {
  constructor(
    readonly auth: RequestAuth,
    readonly query: TaskListQuery,
  ) {
    super();
  }
}

/** The plan tasks the caller may read: their departments' (the coordinating department: every plan's), by due day. */
@QueryHandler(ListTasksQuery)
export class ListTasksHandler implements IQueryHandler<ListTasksQuery> {
  constructor(private readonly db: Db) {}

  execute({ auth, query }: ListTasksQuery) {
    return this.db.inTenant(auth.principal.tenantId, (em) => tasksPage(em, auth, query));
  }
}

const TASK_ORDER = new Keyset<PlanTask>('plan-tasks', { dueOn: 'due_on', id: 'id' });

async function tasksPage(em: EntityManager, auth: RequestAuth, query: Omit<TaskListQuery, 'limit'> & PageParams) {
  const where = accessibleWhere<PlanTask>(auth.ability, 'read', 'PlanTask');
  if (!where) return { items: [], next: null };
  const today = todayInJapan();
  const overdue = { status: 'open', dueOn: { $lt: today } } as const;
  const filters = [
    query.status ? { status: query.status } : { status: { $ne: 'cancelled' } },
    query.overdue === true ? overdue : query.overdue === false ? { $or: [{ status: { $ne: 'open' } }, { dueOn: { $gte: today } }] } : {},
    query.coordinationCaseId ? { coordinationCaseId: query.coordinationCaseId } : {},
    query.departmentId ? { departmentId: query.departmentId } : {},
  ];
  const rows = await em.find(PlanTaskSchema, { $and: [where, ...filters, TASK_ORDER.after(TASK_ORDER.decode(query.cursor))] } as FilterQuery<PlanTask>, { orderBy: TASK_ORDER.orderBy, limit: query.limit + 1 });
  return TASK_ORDER.page(rows, query.limit, taskView);
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

export const COORDINATION_QUERY_HANDLERS = [
  GetCriteriaHandler,
  CoordinatorQueueHandler,
  ListCandidatesHandler,
  ListEscalationsHandler,
  GetCoordinationHandler,
  ListCoordinationCasesHandler,
  ListTasksHandler,
];
