import { randomUUID } from 'node:crypto';
import { Command, CommandHandler, type ICommandHandler } from '@nestjs/cqrs';
import type { EntityManager } from '@mikro-orm/postgresql';
import { todayInJapan } from '../../../platform/calendar/today';
import { Db } from '../../../platform/database/db';
import { EventLog } from '../../../platform/events/event-log';
import { assertVersion, transitionOrRefuse } from '../../../platform/workflow/versioned-transition';
import type { RequestAuth } from '../../access/request-auth';
import { AuditLog } from '../../audit/audit-log.service';
import { CaseChangeRecorder } from '../../cases/case-change-recorder';
import { PlanTaskSchema } from '../../coordination/domain/plan.entity';
import { PersonConsentSchema } from '../../people/consents/person-consent.entity';
import { PersonSchema } from '../../people/domain/person.entity';
import { PersonHoldings } from '../../people/person-holdings';
import { DisclosureSchema } from '../../referrals/domain/referral.entity';
import { assertMayShare } from '../connection-share';
import { connectionView, loadConnection, type ConnectionView } from '../connection-view';
import type { ParticipationConnection } from '../domain/connection.entity';
import { connectionMachine } from '../domain/connection.machine';
import { CONNECTION_ACTIONS, CONNECTION_EVENTS, type ConnectionAction, type ConnectionActionBody } from '../domain/participation.schemas';
import { ParticipationResourceSchema, type ParticipationResource } from '../domain/resource.entity';
import { assertTakesPeople } from './connect';

export class ActOnConnectionCommand extends Command<ConnectionView> {
  constructor(
    readonly auth: RequestAuth,
    readonly connectionId: string,
    readonly action: ConnectionAction,
    readonly expectedVersion: number,
    readonly body: ConnectionActionBody,
  ) {
    super();
  }
}

/** Audit actions by URL action, each labelled whole. */
const AUDIT_ACTIONS: Record<ConnectionAction, string> = {
  introduce: 'participation.introduce',
  start: 'participation.start',
  continue: 'participation.continue',
  'follow-up': 'participation.follow-up',
  end: 'participation.end',
};

/**
 * One step of a connection, in one transaction: introducing tells the host the agreed fields (a
 * disclosure receipt); starting completes the 参加支援 task it answers; ending needs a reason.
 */
@CommandHandler(ActOnConnectionCommand)
export class ActOnConnectionHandler implements ICommandHandler<ActOnConnectionCommand> {
  constructor(
    private readonly db: Db,
    private readonly holdings: PersonHoldings,
    private readonly audit: AuditLog,
    private readonly events: EventLog,
    private readonly recorder: CaseChangeRecorder,
  ) {}

  execute({ auth, connectionId, action, expectedVersion, body }: ActOnConnectionCommand) {
    return this.db.inTenant(auth.principal.tenantId, async (em) => {
      const connection = await loadConnection(em, auth, connectionId, 'update');
      assertVersion(connection, expectedVersion);
      const type = CONNECTION_ACTIONS[action];
      const from = connection.state;
      connection.state = transitionOrRefuse(connectionMachine, from, {}, { type, reason: body.reason });
      const on = body.on ?? todayInJapan();
      const resource = await em.findOneOrFail(ParticipationResourceSchema, { id: connection.resourceId });
      if (type === 'INTRODUCE') await this.disclose(em, auth, connection, resource);
      if (type === 'START') connection.startedOn = on;
      if (type === 'END') Object.assign(connection, { endedOn: on, endReason: body.reason, followUpOn: null });
      else if (body.followUpOn !== undefined) connection.followUpOn = body.followUpOn;
      if (body.note) connection.note = body.note;
      await em.flush();
      const payload = { from, to: connection.state, resourceId: resource.id, resourceName: resource.name, on, ...(type === 'INTRODUCE' ? { fields: connection.sharedFields } : {}), ...(body.reason ? { reason: body.reason } : {}), ...(body.note ? { note: body.note } : {}) };
      this.events.append(em, auth.audit, { aggregateType: 'ParticipationConnection', aggregateId: connection.id, aggregateVersion: connection.version, caseId: connection.caseId, type: CONNECTION_EVENTS[type], payload });
      await em.flush();
      await this.audit.append(em, auth.audit, {
        action: AUDIT_ACTIONS[action],
        subjectType: 'ParticipationConnection',
        subjectId: connection.id,
        personId: connection.personId,
        legalBasis: type === 'INTRODUCE' ? 'CONSENT' : null,
        outcome: 'allowed',
        detail: payload,
      });
      if (type === 'START' && connection.planTaskId) await this.completeTask(em, auth, connection, resource);
      return connectionView(auth, connection);
    });
  }

  /**
   * The host is told the agreed fields, checked again now: the person's consent may have been withdrawn
   * or ended (422, nothing told), or the person may have come under DV protection since.
   */
  private async disclose(em: EntityManager, auth: RequestAuth, connection: ParticipationConnection, resource: ParticipationResource): Promise<void> {
    assertTakesPeople(resource);
    const person = await em.findOneOrFail(PersonSchema, { id: connection.personId });
    const consent = await em.findOne(PersonConsentSchema, { id: connection.personConsentId });
    await assertMayShare(em, auth, this.holdings, { departmentId: connection.departmentId, person, resourceId: resource.id, fields: connection.sharedFields, consent });
    const receipt = em.create(DisclosureSchema, {
      id: randomUUID(),
      tenantId: connection.tenantId,
      referralId: null,
      informationRequestId: null,
      personId: person.id,
      subjectType: 'Person',
      subjectId: person.id,
      subjectVersion: person.version,
      fields: connection.sharedFields,
      recipientType: 'ParticipationResource',
      recipientId: resource.id,
      legalBasis: 'CONSENT',
      reason: resource.name,
      disclosedBy: auth.principal.id,
    });
    connection.disclosureId = receipt.id;
  }

  /** A 参加支援 task is done once its connection has started: the plan and the case timeline show it. */
  private async completeTask(em: EntityManager, auth: RequestAuth, connection: ParticipationConnection, resource: ParticipationResource): Promise<void> {
    const task = await em.findOne(PlanTaskSchema, { id: connection.planTaskId! });
    if (!task || task.status !== 'open') return;
    Object.assign(task, { status: 'done', report: `参加開始: ${resource.name}`, reportedAt: new Date() });
    await em.flush();
    await this.recorder.record(em, auth, { id: connection.caseId }, {
      aggregate: { type: 'PlanTask', id: task.id, version: task.version },
      type: 'PlanTaskCompleted',
      action: 'participation.task-done',
      payload: { taskId: task.id, title: task.title, departmentId: task.departmentId, report: task.report, connectionId: connection.id },
    });
  }
}
