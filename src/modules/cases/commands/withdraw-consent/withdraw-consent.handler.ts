import { CommandHandler, type ICommandHandler } from '@nestjs/cqrs';
import { Db } from '../../../../platform/database/db';
import { AppError, notFound } from '../../../../platform/http/app-error';
import { loadCase } from '../../case-access';
import { CaseChangeRecorder } from '../../case-change-recorder';
import { ConsentSchema } from '../../domain/case.entity';
import { ConsentWithdrawn } from '../../domain/case-events';
import { WithdrawConsentCommand } from './withdraw-consent.command';

@CommandHandler(WithdrawConsentCommand)
export class WithdrawConsentHandler implements ICommandHandler<WithdrawConsentCommand> {
  constructor(
    private readonly db: Db,
    private readonly recorder: CaseChangeRecorder,
  ) {}

  execute({ auth, caseId, consentId, withdrawnOn, reason }: WithdrawConsentCommand) {
    return this.db.inTenant(auth.principal.tenantId, async (em) => {
      const found = await loadCase(em, auth, caseId, 'update');
      const consent = await em.findOne(ConsentSchema, { id: consentId, caseId });
      if (!consent) throw notFound({ ja: '同意記録が見つかりません。', en: 'No such consent record.' });
      if (consent.withdrawnOn) throw new AppError('transition_not_allowed', { detail: { ja: 'この同意は既に撤回されています。', en: 'This consent was already withdrawn.' } });
      Object.assign(consent, { withdrawnOn, withdrawalReason: reason });
      await em.flush();
      await this.recorder.record(em, auth, found, {
        aggregate: { type: 'Consent', id: consent.id, version: 2 },
        type: ConsentWithdrawn,
        action: 'consent.withdraw',
        personId: consent.personId,
        payload: { consentId, withdrawnOn, reason },
      });
      return { id: consent.id };
    });
  }
}
