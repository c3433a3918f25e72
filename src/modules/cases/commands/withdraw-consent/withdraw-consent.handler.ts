import { CommandHandler, type ICommandHandler } from '@nestjs/cqrs';
import { Db } from '../../../../platform/database/db';
import { ConsentBook } from '../../../people/consents/consent-book';
import { loadCase } from '../../case-access';
import { WithdrawConsentCommand } from './withdraw-consent.command';

/** Withdraws a person's consent recorded in this case (see ConsentBook.withdraw). */
@CommandHandler(WithdrawConsentCommand)
export class WithdrawConsentHandler implements ICommandHandler<WithdrawConsentCommand> {
  constructor(
    private readonly db: Db,
    private readonly book: ConsentBook,
  ) {}

  execute({ auth, caseId, consentId, withdrawnOn, reason }: WithdrawConsentCommand) {
    return this.db.inTenant(auth.principal.tenantId, async (em) => {
      await loadCase(em, auth, caseId, 'update');
      const consent = await this.book.withdraw(em, auth.audit, { id: consentId, contextCaseId: caseId }, { withdrawnOn, reason });
      return { id: consent.id };
    });
  }
}
