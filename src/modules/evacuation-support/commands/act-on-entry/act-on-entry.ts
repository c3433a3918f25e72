import { Command, CommandHandler, type ICommandHandler } from '@nestjs/cqrs';
import { Db } from '../../../../platform/database/db';
import { notFound } from '../../../../platform/http/app-error';
import { assertVersion } from '../../../../platform/workflow/versioned-transition';
import { assertCan } from '../../../access/assert-can';
import type { RequestAuth } from '../../../access/request-auth';
import { RegisterEntrySchema } from '../../domain/register.entity';
import { REGISTER_ACTIONS } from '../../domain/register.machine';
import { RegisterBook } from '../../register-book';

export class ActOnEntryCommand extends Command<{ id: string; state: string; version: number; provision: string | null }> {
  constructor(
    readonly auth: RequestAuth,
    readonly entryId: string,
    readonly action: keyof typeof REGISTER_ACTIONS,
    readonly expectedVersion: number,
    readonly body: { provision?: string; reason?: string },
  ) {
    super();
  }
}

@CommandHandler(ActOnEntryCommand)
export class ActOnEntryHandler implements ICommandHandler<ActOnEntryCommand> {
  constructor(
    private readonly db: Db,
    private readonly book: RegisterBook,
  ) {}

  execute({ auth, entryId, action, expectedVersion, body }: ActOnEntryCommand) {
    return this.db.inTenant(auth.principal.tenantId, async (em) => {
      const entry = await em.findOne(RegisterEntrySchema, { id: entryId });
      if (!entry) throw notFound({ ja: '名簿の登録が見つかりません。', en: 'No such register entry.' });
      assertCan(auth, 'update', 'RegisterEntry', entry);
      assertVersion(entry, expectedVersion);
      await this.book.transition(em, auth.audit, entry, { type: REGISTER_ACTIONS[action], ...body });
      return { id: entry.id, state: entry.state, version: entry.version, provision: entry.provision ?? null };
    });
  }
}
