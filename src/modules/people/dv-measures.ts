import { Injectable } from '@nestjs/common';
import type { EntityManager } from '@mikro-orm/postgresql';
import { todayInJapan } from '../../platform/calendar/today';
import { EventLog } from '../../platform/events/event-log';
import { AppError, fieldError } from '../../platform/http/app-error';
import type { RequestAuth } from '../access/request-auth';
import { AuditLog } from '../audit/audit-log.service';
import type { AuditContext } from '../audit/domain/audit-entry';
import { StaffSchema } from '../directory/domain/staff.entity';
import { DvMeasureSchema, type DvMeasure } from './domain/dv-measure.entity';
import { dvMeasureMachine } from './domain/dv-measure.machine';
import { addToDate, DV_MEASURE_EVENTS } from './domain/dv-measure.schemas';
import { PersonSchema } from './domain/person.entity';

/** Covering a household nobody recorded would protect no one else while seeming to: refused instead. */
const NO_HOUSEHOLD = {
  ja: 'この人の世帯が記録されていないため、世帯を対象にできません。世帯を記録したケースに世帯員を加えてから申請してください。',
  en: 'No household is recorded for this person, so the measure cannot cover one: add the members to a case with a household first.',
};

export interface NewDvMeasure {
  personId: string;
  departmentId: string;
  reason: string;
  startsOn?: string;
  endsOn?: string;
  coversHousehold: boolean;
  /** Besides the requester, who is always one. */
  protectorIds: readonly string[];
}

/**
 * Writes DV等支援措置 records and their history: every step appends a domain event and an audit row in the
 * caller's transaction. Opening one is shared by the request route and case intake (which asks for it while
 * collecting the person); either way it protects at once and waits for the manager's approval.
 */
@Injectable()
export class DvMeasures {
  constructor(
    private readonly events: EventLog,
    private readonly audit: AuditLog,
  ) {}

  /** `field` names an input in a refusal: the route's body, or case intake's own names for them. */
  async open(em: EntityManager, auth: RequestAuth, input: NewDvMeasure, field: (name: keyof NewDvMeasure) => string = (name) => `body.${name}`): Promise<DvMeasure> {
    const today = todayInJapan();
    const startsOn = input.startsOn ?? today;
    const endsOn = input.endsOn ?? addToDate(startsOn, { years: 1, days: -1 });
    if (startsOn > today) throw fieldError(field('startsOn'), 'in_future', { ja: '開始日は今日以前にしてください（保護は申請時から始まります）。', en: 'The start date cannot be in the future: protection starts with the request.' });
    if (endsOn < today) throw fieldError(field('endsOn'), 'in_past', { ja: '終了日が過ぎています。', en: 'The end date has passed.' });
    if (input.coversHousehold && !(await em.findOne(PersonSchema, { id: input.personId }))?.householdId) {
      throw new AppError('guard_failed', { detail: NO_HOUSEHOLD, meta: { field: field('coversHousehold'), guards: ['householdRecorded'] } });
    }
    const protectorIds = [...new Set([auth.principal.id, ...input.protectorIds])];
    if ((await em.count(StaffSchema, { id: { $in: protectorIds } })) !== protectorIds.length) {
      throw fieldError(field('protectorIds'), 'unknown_staff', { ja: '支援措置の保護担当者が職員にいません。', en: 'A named protector is not a staff member.' });
    }
    const measure = em.create(DvMeasureSchema, {
      tenantId: auth.principal.tenantId,
      personId: input.personId,
      departmentId: input.departmentId,
      state: dvMeasureMachine.config.initial as string,
      machine: dvMeasureMachine.id,
      startsOn,
      endsOn,
      coversHousehold: input.coversHousehold,
      protectorIds,
      reason: input.reason,
      requestedBy: auth.principal.id,
      pendingRequest: 'set',
      pendingRequestedBy: auth.principal.id,
    });
    await em.flush();
    await this.record(em, auth.audit, measure, {
      type: DV_MEASURE_EVENTS.REQUEST,
      action: 'dv-measure.request',
      payload: { departmentId: measure.departmentId, startsOn, endsOn, coversHousehold: measure.coversHousehold, protectorIds },
    });
    return measure;
  }

  /** One step of a measure's history: the event (outbox) and the audit row, after the measure is flushed. */
  async record(em: EntityManager, context: AuditContext, measure: DvMeasure, step: { type: string; action: string; payload: Record<string, unknown> }): Promise<void> {
    this.events.append(em, context, {
      aggregateType: 'DvMeasure',
      aggregateId: measure.id,
      aggregateVersion: measure.version,
      caseId: null,
      type: step.type,
      payload: { state: measure.state, ...step.payload },
    });
    await em.flush();
    await this.audit.append(em, context, {
      action: step.action,
      subjectType: 'DvMeasure',
      subjectId: measure.id,
      personId: measure.personId,
      outcome: 'allowed',
      detail: { state: measure.state, version: measure.version, ...step.payload },
    });
  }
}
