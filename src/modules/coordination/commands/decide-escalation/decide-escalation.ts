import { Command, CommandHandler, type ICommandHandler } from '@nestjs/cqrs';
import { Db } from '../../../../platform/database/db';
import { AppError, fieldError, notFound } from '../../../../platform/http/app-error';
import { assertVersion } from '../../../../platform/workflow/versioned-transition';
import { assertCan } from '../../../access/assert-can';
import type { RequestAuth } from '../../../access/request-auth';
import { CaseChangeRecorder } from '../../../cases/case-change-recorder';
import { CaseSchema } from '../../../cases/domain/case.entity';
import { EscalationSchema } from '../../domain/coordination.entity';
import { CoordinationOpener } from '../../coordination-opener';

/** The coordinator takes an escalated case up, or returns it to the department with a reason. */
export class DecideEscalationCommand extends Command<{ id: string; state: string; coordinationCaseId: string | null }> {
  constructor(
    readonly auth: RequestAuth,
    readonly escalationId: string,
    readonly decision: 'accept' | 'return',
    readonly expectedVersion: number,
    readonly reason: string | undefined,
  ) {
    super();
  }
}

@CommandHandler(DecideEscalationCommand)
export class DecideEscalationHandler implements ICommandHandler<DecideEscalationCommand> {
  constructor(
    private readonly db: Db,
    private readonly recorder: CaseChangeRecorder,
    private readonly opener: CoordinationOpener,
  ) {}

  execute({ auth, escalationId, decision, expectedVersion, reason }: DecideEscalationCommand) {
    if (decision === 'return' && !reason) {
      throw fieldError('body.reason', 'required', { ja: '差し戻しの理由を記入してください。', en: 'Give the reason for returning it.' });
    }
    return this.db.inTenant(auth.principal.tenantId, async (em) => {
      const escalation = await em.findOne(EscalationSchema, { id: escalationId });
      if (!escalation) throw notFound({ ja: '依頼が見つかりません。', en: 'No such escalation.' });
      assertCan(auth, 'decide', 'Escalation', escalation);
      assertVersion(escalation, expectedVersion);
      if (escalation.state !== 'pending') throw new AppError('transition_not_allowed', { meta: { state: escalation.state } });
      Object.assign(escalation, { state: decision === 'accept' ? 'accepted' : 'returned', decidedBy: auth.principal.id, decisionReason: reason ?? null });
      let coordinationCaseId: string | null = null;
      if (decision === 'accept') {
        coordinationCaseId = (await this.opener.open(em, auth, escalation.caseId, escalation.id)).id;
      } else {
        await em.nativeUpdate(CaseSchema, { id: escalation.caseId }, { coordinationStatus: 'returned' });
      }
      await em.flush();
      await this.recorder.record(em, auth, { id: escalation.caseId }, {
        aggregate: { type: 'Escalation', id: escalation.id, version: escalation.version },
        type: decision === 'accept' ? 'EscalationAccepted' : 'EscalationReturned',
        action: `coordination.escalation-${decision}`,
        payload: { escalationId, reason: reason ?? null },
      });
      return { id: escalation.id, state: escalation.state, coordinationCaseId };
    });
  }
}
