import { Command, CommandHandler, type ICommandHandler } from '@nestjs/cqrs';
import { Db } from '../../../../platform/database/db';
import { notFound } from '../../../../platform/http/app-error';
import { assertCan } from '../../../access/assert-can';
import type { RequestAuth } from '../../../access/request-auth';
import { AuditLog } from '../../../audit/audit-log.service';
import { ReturnTaskSchema } from '../../domain/register.entity';

export class CompleteReturnTaskCommand extends Command<{ id: string; state: string }> {
  constructor(
    readonly auth: RequestAuth,
    readonly taskId: string,
  ) {
    super();
  }
}

/** The supporter confirms the removed person's copy was returned or destroyed. */
@CommandHandler(CompleteReturnTaskCommand)
export class CompleteReturnTaskHandler implements ICommandHandler<CompleteReturnTaskCommand> {
  constructor(
    private readonly db: Db,
    private readonly audit: AuditLog,
  ) {}

  execute({ auth, taskId }: CompleteReturnTaskCommand) {
    return this.db.inTenant(auth.principal.tenantId, async (em) => {
      const task = await em.findOne(ReturnTaskSchema, { id: taskId });
      if (!task) throw notFound({ ja: 'タスクが見つかりません。', en: 'No such task.' });
      assertCan(auth, 'update', 'ReturnTask', task, { hide: true });
      Object.assign(task, { state: 'done', doneAt: new Date() });
      await em.flush();
      await this.audit.append(em, auth.audit, { action: 'register.return-done', subjectType: 'ReturnTask', subjectId: task.id, personId: task.personId, outcome: 'allowed' });
      return { id: task.id, state: task.state };
    });
  }
}
