import { subject } from '@casl/ability';
import { Query, QueryHandler, type IQueryHandler } from '@nestjs/cqrs';
import type { EntityManager } from '@mikro-orm/postgresql';
import { Db } from '../../../platform/database/db';
import { z } from 'zod';
import { DomainEventSchema, type DomainEvent } from '../../../platform/events/domain-event.entity';
import { decodeCheckedKey, Keyset } from '../../../platform/http/api-contract/paging';
import { accessibleWhere } from '../../access/accessible-where';
import type { RequestAuth } from '../../access/request-auth';
import { DepartmentSchema } from '../../directory/domain/department.entity';
import { StaffSchema } from '../../directory/domain/staff.entity';
import { HouseholdSchema, PersonSchema } from '../../people/domain/person.entity';
import { AuditedPersonReader } from '../../people/audited-person-reader';
import { OWN_CASE_FIELDS } from '../../people/person-presenter';
import { ReferralSchema } from '../../referrals/domain/referral.entity';
import { departmentsReadingCase, loadCase } from '../case-access';
import { allowedCaseActions } from '../case-summary';
import { CaseNoteSchema, CasePersonSchema, CaseSchema, type Case } from '../domain/case.entity';
import { PersonConsentSchema, type PersonConsent } from '../../people/consents/person-consent.entity';
import { ISSUE_TAGS, type IssueTag } from '../domain/issue-tags';
import type { CaseListQuery, CaseTimelineInput } from '../domain/case.schemas';
import { describeEvent } from './describe-event';
import { EscalationEvaluationSchema } from '../../coordination/domain/coordination.entity';
import { GrantedReads, grantFor } from '../../audit/granted-reads';

export class GetCaseQuery extends Query<Record<string, unknown>> {
  constructor(
    readonly auth: RequestAuth,
    readonly caseId: string,
  ) {
    super();
  }
}

@QueryHandler(GetCaseQuery)
export class GetCaseHandler implements IQueryHandler<GetCaseQuery> {
  constructor(
    private readonly db: Db,
    private readonly reader: AuditedPersonReader,
    private readonly grantedReads: GrantedReads,
  ) {}

  execute({ auth, caseId }: GetCaseQuery) {
    return this.db.inTenant(auth.principal.tenantId, async (em) => {
      const found = await loadCase(em, auth, caseId, 'read');
      await this.grantedReads.record(em, auth, [caseId], 'case.read');
      // Each person read under an access grant names it too, so "who saw this person" shows why.
      const grant = grantFor(auth, caseId);
      const withSensitive = auth.ability.can('readSensitive', subject('Case', { ...found }));
      const links = await em.find(CasePersonSchema, { caseId });
      const people = await em.find(PersonSchema, { id: { $in: links.map((l) => l.personId) } });
      const views = await this.reader.readHeld(em, auth, people, departmentsReadingCase(auth, found), OWN_CASE_FIELDS(withSensitive), {
        action: 'case.read',
        subjectType: 'Case',
        subjectId: caseId,
        ...(grant ? { detail: { grantId: grant.grantId } } : {}),
      });
      const persons = links.map((link) => {
        const person = people.find((p) => p.id === link.personId)!;
        return { id: person.id, relation: link.relation, version: person.version, ...views.get(person.id)! };
      });
      return {
        ...(await caseHeader(em, found)),
        persons,
        // Recorded in this case or anywhere for one of its persons: what referrals, meetings and the
        // coordination's guards read (each person's own consents), so a screen can tell before it asks.
        consents: (
          await em.find(PersonConsentSchema, { $or: [{ contextCaseId: caseId }, { personId: { $in: links.map((l) => l.personId) } }] }, { orderBy: { createdAt: 'asc', id: 'asc' } })
        ).map((c) => caseConsentView(found, c)),
        notes: await em.find(CaseNoteSchema, { caseId }, { orderBy: { createdAt: 'asc' } }),
        referrals: (await em.find(ReferralSchema, { caseId }, { orderBy: { createdAt: 'asc' } })).map((r) => ({
          id: r.id,
          fromDepartmentId: r.fromDepartmentId,
          toDepartmentId: r.toDepartmentId,
          state: r.state,
          dueOn: r.dueOn,
          declineReason: r.declineReason ?? null,
          outcome: r.outcome ?? null,
          outcomeNote: r.outcomeNote ?? null,
          version: r.version,
        })),
        coordination: await coordinationOf(em, found),
        allowedActions: await allowedCaseActions(em, auth, found),
      };
    });
  }
}

/** Where the case stands toward 多機関協働, and the latest verdict of the criteria with its reasons. */
async function coordinationOf(em: EntityManager, found: Case) {
  const latest = await em.findOne(EscalationEvaluationSchema, { caseId: found.id }, { orderBy: { id: 'desc' } });
  return {
    status: found.coordinationStatus,
    evaluation: latest && { ruleSetVersion: latest.ruleSetVersion, candidate: latest.candidate, urgent: latest.urgent, matched: latest.matched, evaluatedAt: latest.evaluatedAt },
  };
}

async function caseHeader(em: EntityManager, found: Case) {
  const lead = await em.findOneOrFail(DepartmentSchema, { id: found.leadDepartmentId });
  const household = found.householdId ? await em.findOne(HouseholdSchema, { id: found.householdId }) : null;
  return {
    id: found.id,
    caseNumber: found.caseNumber,
    title: found.title,
    state: found.state,
    version: found.version,
    issues: found.issues.map((code) => ({ code, ja: ISSUE_TAGS[code as IssueTag]?.ja ?? code })),
    summary: found.summary ?? null,
    leadDepartment: { id: lead.id, code: lead.code, name: lead.name },
    household: household ? { id: household.id, name: household.name } : null,
    closureReason: found.closureReason ?? null,
    suspensionReason: found.suspensionReason ?? null,
    createdAt: found.createdAt,
    updatedAt: found.updatedAt,
  };
}

type Page<T> = { items: T[]; next: string | null };

export class ListCasesQuery extends Query<Page<Record<string, unknown>>> {
  constructor(
    readonly auth: RequestAuth,
    readonly query: CaseListQuery,
  ) {
    super();
  }
}

/**
 * Least recently changed first: paging with `updatedSince` follows changes, and a case changed while
 * paging moves to the end (seen again with its new version, never missed); a new case comes last.
 */
const CASE_ORDER = new Keyset<Case>('cases', { updatedAt: 'updated_at', id: 'id' });
const CASE_KEY = z.tuple([z.iso.datetime(), z.uuid()]);

@QueryHandler(ListCasesQuery)
export class ListCasesHandler implements IQueryHandler<ListCasesQuery> {
  constructor(
    private readonly db: Db,
    private readonly grantedReads: GrantedReads,
  ) {}

  /** The caller's department caseload; no personal data beyond the case title. */
  execute({ auth, query }: ListCasesQuery) {
    const after = decodeCheckedKey(CASE_ORDER, query.cursor, CASE_KEY);
    const where = accessibleWhere<Case>(auth.ability, 'read', 'Case');
    if (!where) return Promise.resolve({ items: [], next: null });
    const filters = {
      ...(query.state && { state: query.state }),
      ...(query.issue && { issues: { $contains: [query.issue] } }),
      ...(query.departmentId && { leadDepartmentId: query.departmentId }),
      ...(query.assigneeId && { openedBy: query.assigneeId }),
      ...(query.updatedSince && { updatedAt: { $gte: new Date(query.updatedSince) } }),
    };
    return this.db.inTenant(auth.principal.tenantId, async (em) => {
      const rows = await em.find(CaseSchema, { $and: [where, filters, CASE_ORDER.after(after)] }, { orderBy: CASE_ORDER.orderBy, limit: query.limit + 1 });
      const page = CASE_ORDER.page(rows, query.limit, (c) => ({
        id: c.id,
        caseNumber: c.caseNumber,
        title: c.title,
        state: c.state,
        version: c.version,
        issues: c.issues,
        leadDepartmentId: c.leadDepartmentId,
        assigneeId: c.openedBy,
        updatedAt: c.updatedAt,
      }));
      await this.grantedReads.record(em, auth, page.items.map((c) => c.id), 'case.list');
      return page;
    });
  }
}

export class CaseTimelineQuery extends Query<Page<Record<string, unknown>>> {
  constructor(
    readonly auth: RequestAuth,
    readonly caseId: string,
    readonly page: CaseTimelineInput,
  ) {
    super();
  }
}

/** In the order things happened (the event log's own order); a step recorded while paging comes last. */
const TIMELINE_ORDER = new Keyset<DomainEvent>('case-timeline', { id: 'id' });
const TIMELINE_KEY = z.tuple([z.int().min(1)]);

@QueryHandler(CaseTimelineQuery)
export class CaseTimelineHandler implements IQueryHandler<CaseTimelineQuery> {
  constructor(
    private readonly db: Db,
    private readonly grantedReads: GrantedReads,
  ) {}

  /** The event history as a person reads it: who did what, when, in both languages. */
  execute({ auth, caseId, page }: CaseTimelineQuery) {
    const after = decodeCheckedKey(TIMELINE_ORDER, page.cursor, TIMELINE_KEY);
    return this.db.inTenant(auth.principal.tenantId, async (em) => {
      await loadCase(em, auth, caseId, 'read');
      await this.grantedReads.record(em, auth, [caseId], 'case.timeline');
      const events = await em.find(DomainEventSchema, { $and: [{ caseId }, TIMELINE_ORDER.after(after)] }, { orderBy: TIMELINE_ORDER.orderBy, limit: page.limit + 1 });
      const staff = new Map((await em.find(StaffSchema, { id: { $in: events.flatMap((e) => (e.actorId ? [e.actorId] : [])) } })).map((s) => [s.id, s.displayName]));
      const departments = new Map((await em.find(DepartmentSchema, {})).map((d) => [d.id, d.name]));
      return TIMELINE_ORDER.page(events, page.limit, (e) => ({
        id: e.id,
        at: e.occurredAt,
        type: e.type,
        aggregate: { type: e.aggregateType, id: e.aggregateId, version: e.aggregateVersion },
        actor: { type: e.actorType, id: e.actorId ?? null, name: e.actorId ? (staff.get(e.actorId) ?? null) : null },
        department: e.actorDepartmentId ? (departments.get(e.actorDepartmentId) ?? null) : null,
        text: describeEvent(e, departments),
        payload: e.payload,
      }));
    });
  }
}

export const CASE_QUERY_HANDLERS = [GetCaseHandler, ListCasesHandler, CaseTimelineHandler];

/** A person's consent recorded in the case, in the case's words: its departments and field groups (scope). */
function caseConsentView(found: Case, c: PersonConsent) {
  return {
    id: c.id,
    tenantId: c.tenantId,
    caseId: found.id,
    personId: c.personId,
    scope: c.fieldGroups,
    recipientDepartmentIds: c.recipients.flatMap((r) => (r.type === 'department' ? [r.departmentId] : [])),
    purpose: c.purpose,
    givenOn: c.givenOn,
    endsOn: c.endsOn ?? null,
    method: c.method,
    recordedBy: c.recordedBy ?? null,
    withdrawnOn: c.withdrawnOn ?? null,
    withdrawalReason: c.withdrawalReason ?? null,
    version: c.version,
    createdAt: c.createdAt,
  };
}
