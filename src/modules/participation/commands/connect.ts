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
import { PersonSchema } from '../../people/domain/person.entity';
import { PersonHoldings } from '../../people/person-holdings';
import { assertMayShare } from '../connection-share';
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
      await assertMayShare(em, auth, this.holdings, { departmentId, person, fields, consent: input.consent });
      const connection = em.create(ParticipationConnectionSchema, {
        tenantId,
        resourceId: resource.id,
        personId: person.id,
        caseId,
        planTaskId: input.planTaskId ?? null,
        departmentId,
        wish: input.wish ?? KIND_WISH[resource.kind],
        sharedFields: fields,
        consent: { ...input.consent!, fields: [...new Set(input.consent!.fields)] },
        state: connectionMachine.config.initial as string,
        machine: connectionMachine.id,
        followUpOn: input.followUpOn ?? plusDays(todayInJapan(), FIRST_FOLLOW_UP_DAYS),
        note: input.note ?? null,
        createdBy: auth.principal.id,
      });
      await em.flush();
      const payload = { resourceId: resource.id, resourceName: resource.name, personId: person.id, fields, planTaskId: connection.planTaskId };
      this.events.append(em, auth.audit, { aggregateType: 'ParticipationConnection', aggregateId: connection.id, aggregateVersion: connection.version, caseId, type: 'ParticipationProposed', payload });
      await em.flush();
      await this.audit.append(em, auth.audit, { action: 'participation.connect', subjectType: 'ParticipationConnection', subjectId: connection.id, personId: person.id, outcome: 'allowed', detail: payload });
      return connectionView(auth, connection);
    });
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
