import { CommandHandler, type ICommandHandler } from '@nestjs/cqrs';
import { Db } from '../../../../platform/database/db';
import { AppError, notFound } from '../../../../platform/http/app-error';
import { assertCan } from '../../../access/assert-can';
import { CaseSchema } from '../../../cases/domain/case.entity';
import { AccessGrantRecorder } from '../../access-grant-recorder';
import { accessGrantViews } from '../../access-grant-view';
import { AccessGrantSchema } from '../../domain/access-grant.entity';
import { accessGrantMachine } from '../../domain/access-grant.machine';
import { RequestAccessGrantCommand } from './request-access-grant.command';

const NO_SUCH_CASE = { ja: 'ケースが見つかりません。', en: 'No such case.' };
const ALREADY_OPEN = {
  ja: 'このケースには審査中または有効な閲覧特例が既にあります。',
  en: 'You already have a pending or live access grant for this case.',
};

@CommandHandler(RequestAccessGrantCommand)
export class RequestAccessGrantHandler implements ICommandHandler<RequestAccessGrantCommand> {
  constructor(
    private readonly db: Db,
    private readonly recorder: AccessGrantRecorder,
  ) {}

  execute({ auth, input }: RequestAccessGrantCommand) {
    const tenantId = auth.principal.tenantId;
    assertCan(auth, 'create', 'AccessGrant', { tenantId });
    return this.db.inTenant(tenantId, async (em) => {
      // Only that the case exists in this tenant: the auditor learns nothing of its contents here.
      if (!(await em.count(CaseSchema, { id: input.caseId }))) throw notFound(NO_SUCH_CASE);
      // Two identical requests at once: the second waits here, then finds the first.
      await em.execute(`select pg_advisory_xact_lock(hashtext(?))`, [`access-grant:${auth.principal.id}:${input.caseId}`]);
      const open = await em.count(AccessGrantSchema, {
        caseId: input.caseId,
        requestedBy: auth.principal.id,
        $or: [{ state: 'requested' }, { state: 'granted', expiresAt: { $gt: new Date() } }],
      });
      if (open) throw new AppError('already_exists', { detail: ALREADY_OPEN });
      const grant = em.create(AccessGrantSchema, {
        tenantId,
        caseId: input.caseId,
        requestedBy: auth.principal.id,
        reason: input.reason,
        hours: input.hours,
        includeSensitive: input.includeSensitive,
        state: accessGrantMachine.config.initial as string,
        machine: accessGrantMachine.id,
      });
      await em.flush();
      await this.recorder.record(em, auth, grant, 'REQUEST', { reason: input.reason, hours: input.hours, includeSensitive: input.includeSensitive });
      const [view] = await accessGrantViews(em, auth, [grant]);
      return view;
    });
  }
}
