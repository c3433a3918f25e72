import { Command, CommandHandler, type ICommandHandler } from '@nestjs/cqrs';
import { Db } from '../../../../platform/database/db';
import { assertVersion, transitionOrRefuse } from '../../../../platform/workflow/versioned-transition';
import type { RequestAuth } from '../../../access/request-auth';
import { CaseChangeRecorder } from '../../../cases/case-change-recorder';
import { coordinationContext, currentPlan, loadCoordination } from '../../coordination-access';
import { COORDINATION_ACTIONS, COORDINATION_EVENTS, coordinationMachine } from '../../domain/coordination.machine';
import { MeetingCaseSchema, MeetingSchema } from '../../domain/meeting.entity';
import { coordinationSummary } from '../../coordination-summary';

type Action = keyof typeof COORDINATION_ACTIONS;

export class ActOnCoordinationCommand extends Command<Awaited<ReturnType<typeof coordinationSummary>>> {
  constructor(
    readonly auth: RequestAuth,
    readonly id: string,
    readonly action: Action,
    readonly expectedVersion: number,
    readonly body: { reason?: string; meetingId?: string },
  ) {
    super();
  }
}

@CommandHandler(ActOnCoordinationCommand)
export class ActOnCoordinationHandler implements ICommandHandler<ActOnCoordinationCommand> {
  constructor(
    private readonly db: Db,
    private readonly recorder: CaseChangeRecorder,
  ) {}

  execute({ auth, id, action, expectedVersion, body }: ActOnCoordinationCommand) {
    return this.db.inTenant(auth.principal.tenantId, async (em) => {
      const found = await loadCoordination(em, auth, id, 'update');
      assertVersion(found, expectedVersion);
      const type = COORDINATION_ACTIONS[action];
      // 支援決定 needs a 重層的支援会議 that had this case before it.
      const approvedAt =
        type === 'APPROVE_PLAN' && body.meetingId
          ? await em.findOne(MeetingSchema, { id: body.meetingId, kind: 'juso_kaigi' }).then(async (m) => (m && (await em.count(MeetingCaseSchema, { meetingId: m.id, caseId: found.caseId })) ? m : null))
          : null;
      const context = await coordinationContext(em, found, !!approvedAt);
      const from = found.state;
      found.state = transitionOrRefuse(coordinationMachine, from, context, { type, reason: body.reason ?? '' });
      if (type === 'CLOSE') found.closureReason = body.reason ?? null;
      if (type === 'SUSPEND') found.suspensionReason = body.reason ?? null;
      const plan = await currentPlan(em, found.id);
      if (plan && type === 'SUBMIT_PLAN') plan.state = 'submitted';
      if (plan && type === 'RETURN_PLAN') plan.state = 'draft';
      if (plan && type === 'APPROVE_PLAN') Object.assign(plan, { state: 'approved', approvedInMeetingId: approvedAt!.id });
      await em.flush();
      await this.recorder.record(em, auth, { id: found.caseId }, {
        aggregate: { type: 'CoordinationCase', id: found.id, version: found.version },
        type: COORDINATION_EVENTS[type],
        action: `coordination.${action}`,
        payload: { from, to: found.state, ...(body.reason ? { reason: body.reason } : {}), ...(approvedAt ? { meetingId: approvedAt.id, planVersion: plan?.version } : {}) },
      });
      return coordinationSummary(em, auth, found);
    });
  }
}
