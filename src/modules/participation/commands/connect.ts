import { subject } from '@casl/ability';
import { Command, CommandHandler, type ICommandHandler } from '@nestjs/cqrs';
import type { EntityManager } from '@mikro-orm/postgresql';
import { todayInJapan } from '../../../platform/calendar/today';
import { Db } from '../../../platform/database/db';
import { EventLog } from '../../../platform/events/event-log';
import { AppError, fieldError, notFound } from '../../../platform/http/app-error';
import { assertCan } from '../../access/assert-can';
import type { RequestAuth } from '../../access/request-auth';
import { AuditLog } from '../../audit/audit-log.service';
import { loadCase } from '../../cases/case-access';
import { CasePersonSchema } from '../../cases/domain/case.entity';
import { CoordinationCaseSchema } from '../../coordination/domain/coordination.entity';
import { PlanTaskSchema } from '../../coordination/domain/plan.entity';
import { PersonSchema, type Person } from '../../people/domain/person.entity';
import { PersonHoldings } from '../../people/person-holdings';
import { ConsentBook } from '../../people/consents/consent-book';
import { PersonConsentSchema, type PersonConsent } from '../../people/consents/person-consent.entity';
import { assertMayShare, consentRefused, groupsOf, type HostConsent } from '../connection-share';
import { VolunteerSchema } from '../domain/volunteer.entity';
import { connectionView, type ConnectionView } from '../connection-view';
import { ParticipationConnectionSchema } from '../domain/connection.entity';
import { connectionMachine } from '../domain/connection.machine';
import type { ConnectInput } from '../domain/participation.schemas';
import { isFull, KIND_WISH, type ParticipationResource } from '../domain/resource.entity';
import { loadResource } from '../resource-view';

/** Days to the first follow-up when none is given. */
export const FIRST_FOLLOW_UP_DAYS = 30;

export class ConnectCommand extends Command<ConnectionView> {
  constructor(
    readonly auth: RequestAuth,
    readonly input: ConnectInput,
  ) {
    super();
  }
}

const plusDays = (day: string, days: number) => new Date(Date.parse(`${day}T00:00:00Z`) + days * 86_400_000).toISOString().slice(0, 10);

/** A closed or full resource takes nobody: the counselor reads why. */
export function assertTakesPeople(resource: ParticipationResource): void {
  if (resource.state === 'closed') {
    throw new AppError('guard_failed', { detail: { ja: `このつなぎ先は終了しています: ${resource.closedReason ?? ''}`, en: `This resource is closed: ${resource.closedReason ?? ''}` }, meta: { field: 'body.resourceId', reason: 'closed' } });
  }
  if (isFull(resource)) {
    throw new AppError('guard_failed', { detail: { ja: 'このつなぎ先は満員です（空きがありません）。', en: 'This resource is full (no free places).' }, meta: { field: 'body.resourceId', reason: 'full' } });
  }
}

/**
 * The counselor picks a resource for a person of their case (or of the case behind a 参加支援 task):
 * recorded as proposed, with the person's consent to tell the host exactly the chosen fields. The host
 * is told (the disclosure) when the person is introduced.
 */
@CommandHandler(ConnectCommand)
export class ConnectHandler implements ICommandHandler<ConnectCommand> {
  constructor(
    private readonly db: Db,
    private readonly holdings: PersonHoldings,
    private readonly audit: AuditLog,
    private readonly events: EventLog,
    private readonly consents: ConsentBook,
  ) {}

  execute({ auth, input }: ConnectCommand) {
    const tenantId = auth.principal.tenantId;
    return this.db.inTenant(tenantId, async (em) => {
      const { caseId, departmentId } = await this.where(em, auth, input);
      assertCan(auth, 'create', 'ParticipationConnection', { tenantId, departmentId });
      const resource = await loadResource(em, auth, input.resourceId, 'read');
      assertTakesPeople(resource);
      if (!(await em.count(CasePersonSchema, { caseId, personId: input.personId }))) {
        throw fieldError('body.personId', 'not_in_case', { ja: 'この人はケースに含まれていません。', en: 'This person is not part of the case.' });
      }
      const person = await em.findOneOrFail(PersonSchema, { id: input.personId });
      const fields = [...new Set(input.share)];
      const volunteerIds = await this.volunteers(em, auth, input.volunteerIds ?? []);
      const consent = await this.consentOf(em, person, resource.id, fields, input.consent);
      await assertMayShare(em, auth, this.holdings, { departmentId, person, resourceId: resource.id, fields, consent });
      const personConsentId = 'id' in consent! ? consent.id : (await this.record(em, auth, person, resource, consent!, input, caseId)).id;
      const connection = em.create(ParticipationConnectionSchema, {
        tenantId,
        resourceId: resource.id,
        personId: person.id,
        caseId,
        planTaskId: input.planTaskId ?? null,
        departmentId,
        wish: input.wish ?? KIND_WISH[resource.kind],
        sharedFields: fields,
        personConsentId,
        volunteerIds,
        state: connectionMachine.config.initial as string,
        machine: connectionMachine.id,
        followUpOn: input.followUpOn ?? plusDays(todayInJapan(), FIRST_FOLLOW_UP_DAYS),
        note: input.note ?? null,
        createdBy: auth.principal.id,
      });
      await em.flush();
      const payload = { resourceId: resource.id, resourceName: resource.name, personId: person.id, fields, planTaskId: connection.planTaskId, personConsentId, volunteerIds };
      this.events.append(em, auth.audit, { aggregateType: 'ParticipationConnection', aggregateId: connection.id, aggregateVersion: connection.version, caseId, type: 'ParticipationProposed', payload });
      await em.flush();
      await this.audit.append(em, auth.audit, { action: 'participation.connect', subjectType: 'ParticipationConnection', subjectId: connection.id, personId: person.id, outcome: 'allowed', detail: payload });
      return connectionView(auth, connection);
    });
  }

  /**
   * The person's consent the host will be told on: a consent of theirs named by id, or the terms of one
   * to record (recipient: this host), which must include every shared field. None: refused by the rule.
   */
  private async consentOf(em: EntityManager, person: Person, resourceId: string, fields: string[], given: ConnectInput['consent']): Promise<PersonConsent | HostConsent | null> {
    if (!given) return null;
    if ('consentId' in given) {
      const found = await em.findOne(PersonConsentSchema, { id: given.consentId, personId: person.id });
      if (!found) throw fieldError('body.consent.consentId', 'unknown_consent', { ja: 'この人の同意記録が見つかりません。', en: 'No such consent of this person.' });
      return found;
    }
    if (!fields.every((f) => (given.fields as string[]).includes(f))) throw consentRefused();
    return { recipients: [{ type: 'participationHost', resourceId }], fieldGroups: groupsOf(given.fields), givenOn: given.givenOn, endsOn: given.endsOn ?? null, withdrawnOn: null };
  }

  /** The consent given at the connection, recorded as the person's own through the one writer of consents. */
  private record(em: EntityManager, auth: RequestAuth, person: Person, resource: ParticipationResource, terms: HostConsent, input: ConnectInput, caseId: string) {
    const given = input.consent as { givenOn: string; method: PersonConsent['method']; purpose?: string; endsOn?: string };
    const purpose = given.purpose ?? `参加支援のつなぎ先（${resource.name}）への紹介のため`;
    return this.consents.record(em, auth.audit, person.id, { recipients: terms.recipients, fieldGroups: terms.fieldGroups, purpose, givenOn: given.givenOn, endsOn: given.endsOn ?? null, method: given.method }, caseId);
  }

  /** 人財 named to accompany or host: listed ones the caller may see, else 422 naming the field. */
  private async volunteers(em: EntityManager, auth: RequestAuth, ids: string[]): Promise<string[]> {
    if (!ids.length) return [];
    const rows = await em.find(VolunteerSchema, { id: { $in: ids }, state: 'listed' });
    if (rows.length !== ids.length || rows.some((v) => !auth.ability.can('read', subject('Volunteer', { ...v })))) {
      throw new AppError('guard_failed', { detail: { ja: '掲載中（本人同意あり）の人財ではありません。', en: 'Not a listed volunteer (listed with their consent).' }, meta: { field: 'body.volunteerIds' } });
    }
    return ids;
  }

  /** The case and the connecting department: the 参加支援 task's, else the case's lead department. */
  private async where(em: EntityManager, auth: RequestAuth, input: ConnectInput): Promise<{ caseId: string; departmentId: string }> {
    if (input.planTaskId) {
      const task = await loadParticipationTask(em, auth, input.planTaskId, 'body.planTaskId');
      const coordination = await em.findOneOrFail(CoordinationCaseSchema, { id: task.coordinationCaseId });
      if (input.caseId && input.caseId !== coordination.caseId) {
        throw fieldError('body.caseId', 'not_the_task_case', { ja: 'タスクのケースと異なります。', en: 'Not the case of the task.' });
      }
      return { caseId: coordination.caseId, departmentId: task.departmentId };
    }
    const found = await loadCase(em, auth, input.caseId!, 'update');
    return { caseId: found.id, departmentId: found.leadDepartmentId };
  }
}

/** An open 参加支援 task of the caller's department (a task they may not see answers 404). */
export async function loadParticipationTask(em: EntityManager, auth: RequestAuth, taskId: string, field: string) {
  const task = await em.findOne(PlanTaskSchema, { id: taskId });
  if (!task) throw notFound({ ja: 'タスクが見つかりません。', en: 'No such task.' });
  assertCan(auth, 'report', 'PlanTask', task, { hide: !auth.ability.can('read', subject('PlanTask', { ...task })) });
  if (task.kind !== 'participation' || task.status !== 'open') {
    throw fieldError(field, 'not_open_participation_task', { ja: '対応中の参加支援タスクではありません。', en: 'Not an open participation task.' });
  }
  return task;
}
