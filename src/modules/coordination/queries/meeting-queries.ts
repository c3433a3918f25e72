import { subject } from '@casl/ability';
import { Query, QueryHandler, type IQueryHandler } from '@nestjs/cqrs';
import { Db } from '../../../platform/database/db';
import { Keyset } from '../../../platform/http/api-contract/paging';
import { notFound } from '../../../platform/http/app-error';
import { accessibleWhere } from '../../access/accessible-where';
import { pickPermitted } from '../../access/permitted-fields';
import type { RequestAuth } from '../../access/request-auth';
import { AuditLog } from '../../audit/audit-log.service';
import { AuditedPersonReader } from '../../people/audited-person-reader';
import type { MeetingListQuery } from '../domain/coordination.schemas';
import { MeetingCaseSchema, MeetingMemberSchema, MeetingSchema, type Meeting } from '../domain/meeting.entity';
import { loadMeeting } from '../meeting-access';

export class GetMeetingQuery extends Query<Record<string, unknown>> {
  constructor(
    readonly auth: RequestAuth,
    readonly id: string,
  ) {
    super();
  }
}

/** The meeting record; auditors see it (metadata and minutes), members see it while their access lasts. */
@QueryHandler(GetMeetingQuery)
export class GetMeetingHandler implements IQueryHandler<GetMeetingQuery> {
  constructor(
    private readonly db: Db,
    private readonly audit: AuditLog,
  ) {}

  execute({ auth, id }: GetMeetingQuery) {
    return this.db.inTenant(auth.principal.tenantId, async (em) => {
      const { meeting, members } = await loadMeeting(em, auth, id, 'read');
      const cases = await em.find(MeetingCaseSchema, { meetingId: id });
      const view = {
        id: meeting.id,
        kind: meeting.kind,
        title: meeting.title,
        heldOn: meeting.heldOn,
        accessUntil: meeting.accessUntil,
        version: meeting.version,
        members: members.map((m) => ({ id: m.id, staffId: m.staffId ?? null, departmentId: m.departmentId ?? null, externalName: m.externalName ?? null, externalOrganization: m.externalOrganization ?? null, confidentialityAcknowledgedAt: m.confidentialityAcknowledgedAt ?? null })),
        cases: cases.map((c) => ({ caseId: c.caseId, coordinationCaseId: c.coordinationCaseId, legalBasis: c.legalBasis, sharedAt: c.sharedAt })),
        decisions: meeting.decisions,
        minutes: meeting.minutes ?? null,
        memberStaffIds: members.flatMap((m) => (m.staffId ? [m.staffId] : [])),
        tenantId: meeting.tenantId,
      };
      const { memberStaffIds: _ids, tenantId: _tenant, ...visible } = pickPermitted(auth.ability, 'read', 'Meeting', view);
      // The record and its closed minutes: who read them is kept like any other read.
      await this.audit.append(em, auth.audit, { action: 'meeting.read-record', subjectType: 'Meeting', subjectId: id, outcome: 'allowed', detail: { fields: Object.keys(visible) } });
      return visible;
    });
  }
}

export class GetMeetingCaseQuery extends Query<Record<string, unknown>> {
  constructor(
    readonly auth: RequestAuth,
    readonly meetingId: string,
    readonly caseId: string,
  ) {
    super();
  }
}

/** What was shared about one case at the meeting: members only, until access lapses; every read audited with its basis. */
@QueryHandler(GetMeetingCaseQuery)
export class GetMeetingCaseHandler implements IQueryHandler<GetMeetingCaseQuery> {
  constructor(
    private readonly db: Db,
    private readonly audit: AuditLog,
    private readonly reader: AuditedPersonReader,
  ) {}

  execute({ auth, meetingId, caseId }: GetMeetingCaseQuery) {
    return this.db.inTenant(auth.principal.tenantId, async (em) => {
      await loadMeeting(em, auth, meetingId, 'readShared');
      const item = await em.findOne(MeetingCaseSchema, { meetingId, caseId });
      if (!item) throw notFound({ ja: 'この会議でこのケースは共有されていません。', en: 'This case was not shared at this meeting.' });
      const entry = { action: 'meeting.read', subjectType: 'Meeting', subjectId: meetingId, legalBasis: item.legalBasis, detail: { caseId } } as const;
      const persons = await this.reader.readShared(em, auth, item.shared.persons, entry);
      if (persons.length === 0) await this.audit.append(em, auth.audit, { ...entry, outcome: 'allowed' });
      return { meetingId, caseId, legalBasis: item.legalBasis, sharedAt: item.sharedAt, case: item.shared.case.values, persons };
    });
  }
}

export class ListMeetingsQuery extends Query<{ items: Record<string, unknown>[]; next: string | null }> {
  constructor(
    readonly auth: RequestAuth,
    readonly query: MeetingListQuery,
  ) {
    super();
  }
}

const MEETING_ORDER = new Keyset<Meeting>('meetings', { heldOn: 'held_on', id: 'id' });

/**
 * The meetings this caller may see, by the day held: the ability's read rules as the SQL filter (a
 * member's rule names `memberStaffIds`, which is read from the members table), each record checked
 * again, and only the fields the caller may read.
 */
@QueryHandler(ListMeetingsQuery)
export class ListMeetingsHandler implements IQueryHandler<ListMeetingsQuery> {
  constructor(private readonly db: Db) {}

  execute({ auth, query }: ListMeetingsQuery) {
    const after = MEETING_ORDER.decode(query.cursor);
    return this.db.inTenant(auth.principal.tenantId, async (em) => {
      const attended = (await em.find(MeetingMemberSchema, { staffId: auth.principal.id }, { fields: ['meetingId'] })).map((m) => m.meetingId);
      const where = accessibleWhere<Meeting>(auth.ability, 'read', 'Meeting', {
        // The only member the rules ever name is the caller; anyone else matches nothing (fail closed).
        memberStaffIds: (staffId) => ({ id: { $in: staffId === auth.principal.id ? attended : [] } }),
      });
      if (!where) return { items: [], next: null };
      const rows = await em.find(MeetingSchema, { $and: [where, query.kind ? { kind: query.kind } : {}, MEETING_ORDER.after(after)] }, { orderBy: MEETING_ORDER.orderBy, limit: query.limit + 1 });
      const { items: meetings, next } = MEETING_ORDER.page(rows, query.limit, (meeting) => meeting);
      const members = await em.find(MeetingMemberSchema, { meetingId: { $in: meetings.map((m) => m.id) } });
      const items = meetings.flatMap((meeting) => {
        const record = { ...meeting, memberStaffIds: members.flatMap((m) => (m.meetingId === meeting.id && m.staffId ? [m.staffId] : [])) };
        if (!auth.ability.can('read', subject('Meeting', record))) return [];
        const view = { id: meeting.id, kind: meeting.kind, title: meeting.title, heldOn: meeting.heldOn, accessUntil: meeting.accessUntil, version: meeting.version, tenantId: meeting.tenantId, memberStaffIds: record.memberStaffIds };
        const { tenantId: _tenant, memberStaffIds: _ids, ...visible } = pickPermitted(auth.ability, 'read', 'Meeting', view);
        return [visible];
      });
      return { items, next };
    });
  }
}

export const MEETING_QUERY_HANDLERS = [GetMeetingHandler, GetMeetingCaseHandler, ListMeetingsHandler];
