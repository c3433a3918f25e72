import { Command, CommandHandler, type ICommandHandler } from '@nestjs/cqrs';
import { Db } from '../../../../platform/database/db';
import { AppError } from '../../../../platform/http/app-error';
import { assertCan } from '../../../access/assert-can';
import type { RequestAuth } from '../../../access/request-auth';
import { loadCase } from '../../../cases/case-access';
import { EscalationSchema } from '../../domain/coordination.entity';
import { CoordinationOpener } from '../../coordination-opener';

/** The coordinator takes up a case the criteria flagged (or one asked for), recording why. */
export class TakeUpCaseCommand extends Command<{ id: string; state: string; version: number }> {
  constructor(
    readonly auth: RequestAuth,
    readonly caseId: string,
    readonly reason: string,
  ) {
    super();
  }
}

@CommandHandler(TakeUpCaseCommand)
export class TakeUpCaseHandler implements ICommandHandler<TakeUpCaseCommand> {
  constructor(
    private readonly db: Db,
    private readonly opener: CoordinationOpener,
  ) {}

  execute({ auth, caseId, reason }: TakeUpCaseCommand) {
    assertCan(auth, 'create', 'CoordinationCase', { tenantId: auth.principal.tenantId });
    return this.db.inTenant(auth.principal.tenantId, async (em) => {
      const found = await loadCase(em, auth, caseId, 'read');
      if (!['candidate', 'pending'].includes(found.coordinationStatus)) {
        throw new AppError('guard_failed', {
          detail: { ja: 'このケースは多機関協働の候補でも依頼中でもありません。', en: 'This case is neither a candidate nor escalated.' },
          meta: { coordinationStatus: found.coordinationStatus },
        });
      }
      const pending = await em.findOne(EscalationSchema, { caseId, state: 'pending' });
      const escalation = pending ?? em.create(EscalationSchema, { tenantId: found.tenantId, caseId, source: 'criteria', reason, requestedBy: auth.principal.id, state: 'pending' });
      Object.assign(escalation, { state: 'accepted', decidedBy: auth.principal.id, decisionReason: reason });
      await em.flush();
      const opened = await this.opener.open(em, auth, caseId, escalation.id);
      return { id: opened.id, state: opened.state, version: opened.version };
    });
  }
}
