import { Command, CommandHandler, type ICommandHandler } from '@nestjs/cqrs';
import { Db } from '../../../../platform/database/db';
import { AppError, notFound } from '../../../../platform/http/app-error';
import { assertCan } from '../../../access/assert-can';
import type { RequestAuth } from '../../../access/request-auth';
import { AuditLog } from '../../../audit/audit-log.service';
import { EventLog } from '../../../../platform/events/event-log';
import { DisasterSchema } from '../../domain/register.entity';
import { RegisterBook } from '../../register-book';

export class DisasterCommand extends Command<{ id: string; closedAt: Date | null }> {
  constructor(
    readonly auth: RequestAuth,
    readonly declare: { kind: string; title: string; districtCodes: string[] } | null,
    readonly closeId?: string,
  ) {
    super();
  }
}

/** 災害の宣言・終了 (安心安全課): while open, supporters in its districts see everyone listed there. */
@CommandHandler(DisasterCommand)
export class DisasterHandler implements ICommandHandler<DisasterCommand> {
  constructor(
    private readonly db: Db,
    private readonly book: RegisterBook,
    private readonly events: EventLog,
    private readonly audit: AuditLog,
  ) {}

  execute({ auth, declare, closeId }: DisasterCommand) {
    const tenantId = auth.principal.tenantId;
    assertCan(auth, declare ? 'create' : 'update', 'Disaster', { tenantId });
    return this.db.inTenant(tenantId, async (em) => {
      let disaster;
      if (declare) {
        const known = await this.book.districtCodes(em);
        const unknown = declare.districtCodes.filter((d) => !known.includes(d));
        if (unknown.length) throw new AppError('validation_failed', { errors: [{ field: 'body.districtCodes', code: 'unknown_district', message: { ja: `その地区はありません: ${unknown.join(', ')}`, en: `No such district: ${unknown.join(', ')}` } }] });
        disaster = em.create(DisasterSchema, { ...declare, tenantId, declaredBy: auth.principal.id });
      } else {
        disaster = await em.findOne(DisasterSchema, { id: closeId });
        if (!disaster) throw notFound({ ja: '災害が見つかりません。', en: 'No such disaster.' });
        if (disaster.closedAt) throw new AppError('transition_not_allowed', { detail: { ja: 'この災害は既に終了しています。', en: 'This disaster is already closed.' } });
        Object.assign(disaster, { closedAt: new Date(), closedBy: auth.principal.id });
      }
      await em.flush();
      this.events.append(em, auth.audit, { aggregateType: 'Disaster', aggregateId: disaster.id, aggregateVersion: disaster.version, caseId: null, type: declare ? 'DisasterDeclared' : 'DisasterClosed', payload: { districtCodes: disaster.districtCodes } });
      await em.flush();
      await this.audit.append(em, auth.audit, { action: declare ? 'disaster.declare' : 'disaster.close', subjectType: 'Disaster', subjectId: disaster.id, outcome: 'allowed', detail: { districtCodes: disaster.districtCodes, kind: disaster.kind } });
      return { id: disaster.id, closedAt: disaster.closedAt ?? null };
    });
  }
}
