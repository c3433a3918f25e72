import { Command, CommandHandler, type ICommandHandler } from '@nestjs/cqrs';
import { Db } from '../../../../platform/database/db';
import { assertCan } from '../../../access/assert-can';
import type { RequestAuth } from '../../../access/request-auth';
import { RegisterEntrySchema } from '../../domain/register.entity';
import { RegisterBook } from '../../register-book';

export class SendNoticesCommand extends Command<{ sent: number }> {
  constructor(
    readonly auth: RequestAuth,
    readonly step: 'send' | 'mailed',
    readonly entryIds?: string[],
  ) {
    super();
  }
}

/** 登録案内: notices to eligible candidates (send), then the mail merge went out (mailed). */
@CommandHandler(SendNoticesCommand)
export class SendNoticesHandler implements ICommandHandler<SendNoticesCommand> {
  constructor(
    private readonly db: Db,
    private readonly book: RegisterBook,
  ) {}

  execute({ auth, step, entryIds }: SendNoticesCommand) {
    assertCan(auth, 'update', 'RegisterEntry', { tenantId: auth.principal.tenantId });
    return this.db.inTenant(auth.principal.tenantId, async (em) => {
      const from = step === 'send' ? { state: 'candidate', eligible: true } : { state: 'notice_sent' };
      const entries = await em.find(RegisterEntrySchema, { ...from, ...(entryIds ? { id: { $in: entryIds } } : {}) }, { orderBy: { createdAt: 'asc' } });
      for (const entry of entries) await this.book.transition(em, auth.audit, entry, { type: step === 'send' ? 'SEND_NOTICE' : 'MARK_MAILED' });
      return { sent: entries.length };
    });
  }
}
