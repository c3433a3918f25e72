import { Command, CommandHandler, type ICommandHandler } from '@nestjs/cqrs';
import { Db } from '../../../../platform/database/db';
import { AppError } from '../../../../platform/http/app-error';
import type { RequestAuth } from '../../../access/request-auth';
import { loadCase } from '../../../cases/case-access';
import { CaseChangeRecorder } from '../../../cases/case-change-recorder';
import { CaseSchema } from '../../../cases/domain/case.entity';
import { EscalationSchema } from '../../domain/coordination.entity';

/** A counselor asks, by hand and with a reason, for 多機関協働 on a case of their department. */
export class EscalateCaseCommand extends Command<{ id: string; state: string }> {
  constructor(
    readonly auth: RequestAuth,
    readonly caseId: string,
    readonly reason: string,
  ) {
    super();
  }
}

@CommandHandler(EscalateCaseCommand)
export class EscalateCaseHandler implements ICommandHandler<EscalateCaseCommand> {
  constructor(
    private readonly db: Db,
    private readonly recorder: CaseChangeRecorder,
  ) {}

  execute({ auth, caseId, reason }: EscalateCaseCommand) {
    return this.db.inTenant(auth.principal.tenantId, async (em) => {
      const found = await loadCase(em, auth, caseId, 'escalate');
      if (['pending', 'coordinating'].includes(found.coordinationStatus) || ['closed', 'suspended'].includes(found.state)) {
        throw new AppError('transition_not_allowed', {
          detail: { ja: 'このケースは既に多機関協働の依頼中か対応中、または終結しています。', en: 'This case is already escalated, coordinated, or closed.' },
          meta: { coordinationStatus: found.coordinationStatus, state: found.state },
        });
      }
      const escalation = em.create(EscalationSchema, { tenantId: found.tenantId, caseId, source: 'manual', reason, requestedBy: auth.principal.id, state: 'pending' });
      await em.nativeUpdate(CaseSchema, { id: caseId }, { coordinationStatus: 'pending' });
      await em.flush();
      await this.recorder.record(em, auth, found, {
        aggregate: { type: 'Escalation', id: escalation.id, version: 1 },
        type: 'CaseEscalated',
        action: 'coordination.escalate',
        payload: { escalationId: escalation.id, reason },
      });
      return { id: escalation.id, state: escalation.state };
    });
  }
}
