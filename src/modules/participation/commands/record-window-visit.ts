import { Command, CommandHandler, type ICommandHandler } from '@nestjs/cqrs';
import type { EntityManager } from '@mikro-orm/postgresql';
import { todayInJapan } from '../../../platform/calendar/today';
import { Db } from '../../../platform/database/db';
import { EventLog } from '../../../platform/events/event-log';
import { fieldError } from '../../../platform/http/app-error';
import { assertCan } from '../../access/assert-can';
import type { RequestAuth } from '../../access/request-auth';
import { AuditLog } from '../../audit/audit-log.service';
import { loadCase } from '../../cases/case-access';
import { CasePersonSchema } from '../../cases/domain/case.entity';
import { WindowVisitSchema } from '../domain/window-visit.entity';
import type { RecordWindowVisitInput } from '../domain/window-visit.schemas';
import { assertKnownPlaces } from '../resource-view';
import { windowVisitView, type WindowVisitView } from '../window-visit-view';

/** 相談窓口の利用を記録する: a visit to the window, connected or not. */
export class RecordWindowVisitCommand extends Command<WindowVisitView> {
  constructor(
    readonly auth: RequestAuth,
    readonly input: RecordWindowVisitInput,
  ) {
    super();
  }
}

/**
 * A counselor of the receiving department records a visit: the day (not in the future), a known 地区,
 * and either a resident of a case they work (the person must be part of it) or a count of anonymous
 * visitors. One transaction: the visit, its event, its audit record.
 */
@CommandHandler(RecordWindowVisitCommand)
export class RecordWindowVisitHandler implements ICommandHandler<RecordWindowVisitCommand> {
  constructor(
    private readonly db: Db,
    private readonly audit: AuditLog,
    private readonly events: EventLog,
  ) {}

  execute({ auth, input }: RecordWindowVisitCommand) {
    const tenantId = auth.principal.tenantId;
    return this.db.inTenant(tenantId, async (em) => {
      assertCan(auth, 'create', 'WindowVisit', { tenantId, departmentId: input.departmentId });
      const visitedOn = input.visitedOn ?? todayInJapan();
      if (visitedOn > todayInJapan()) throw fieldError('body.visitedOn', 'in_future', { ja: '来所日が未来の日付です。', en: 'The visit day is in the future.' });
      await assertKnownPlaces(em, { districtCode: input.districtCode });
      if (input.personId) await this.assertInCase(em, auth, input.caseId!, input.personId);
      const visit = em.create(WindowVisitSchema, {
        tenantId,
        departmentId: input.departmentId,
        visitedOn,
        districtCode: input.districtCode,
        personId: input.personId ?? null,
        caseId: input.caseId ?? null,
        visitors: input.visitors ?? 1,
        wishes: input.wishes,
        outcome: input.outcome,
        note: input.note ?? null,
        createdBy: auth.principal.id,
      });
      await em.flush();
      const payload = { departmentId: visit.departmentId, visitedOn, districtCode: visit.districtCode, personId: visit.personId, visitors: visit.visitors, wishes: visit.wishes, outcome: visit.outcome };
      this.events.append(em, auth.audit, { aggregateType: 'WindowVisit', aggregateId: visit.id, aggregateVersion: visit.version, caseId: visit.caseId ?? null, type: 'WindowVisitRecorded', payload });
      await em.flush();
      await this.audit.append(em, auth.audit, { action: 'participation.window-visit-record', subjectType: 'WindowVisit', subjectId: visit.id, personId: visit.personId ?? null, outcome: 'allowed', detail: payload });
      return windowVisitView(visit);
    });
  }

  /** The resident must be a person of a case the caller works; a case they may not see answers 404. */
  private async assertInCase(em: EntityManager, auth: RequestAuth, caseId: string, personId: string): Promise<void> {
    await loadCase(em, auth, caseId, 'update');
    if (!(await em.count(CasePersonSchema, { caseId, personId }))) {
      throw fieldError('body.personId', 'not_in_case', { ja: 'この人はケースに含まれていません。', en: 'This person is not part of the case.' });
    }
  }
}
