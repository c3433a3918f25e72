import { CommandHandler, type ICommandHandler } from '@nestjs/cqrs';
import { Db } from '../../../../platform/database/db';
import { fieldError } from '../../../../platform/http/app-error';
import { DepartmentSchema } from '../../../directory/domain/department.entity';
import { loadCase } from '../../case-access';
import { CaseChangeRecorder } from '../../case-change-recorder';
import { CasePersonSchema, ConsentSchema } from '../../domain/case.entity';
import { ConsentRecorded } from '../../domain/case-events';
import { RecordConsentCommand } from './record-consent.command';

@CommandHandler(RecordConsentCommand)
export class RecordConsentHandler implements ICommandHandler<RecordConsentCommand> {
  constructor(
    private readonly db: Db,
    private readonly recorder: CaseChangeRecorder,
  ) {}

  execute({ auth, caseId, input }: RecordConsentCommand) {
    return this.db.inTenant(auth.principal.tenantId, async (em) => {
      const found = await loadCase(em, auth, caseId, 'update');
      if (!(await em.count(CasePersonSchema, { caseId, personId: input.personId }))) {
        throw fieldError('body.personId', 'not_in_case', { ja: 'この人はケースに含まれていません。', en: 'This person is not part of the case.' });
      }
      const departments = new Set(input.recipientDepartmentIds);
      if ((await em.count(DepartmentSchema, { id: { $in: [...departments] } })) !== departments.size) {
        throw fieldError('body.recipientDepartmentIds', 'unknown_department', { ja: 'この自治体にない課が含まれています。', en: 'A department is not of this municipality.' });
      }
      const consent = em.create(ConsentSchema, { ...input, tenantId: found.tenantId, caseId, recordedBy: auth.principal.id });
      await em.flush();
      await this.recorder.record(em, auth, found, {
        aggregate: { type: 'Consent', id: consent.id, version: 1 },
        type: ConsentRecorded,
        action: 'consent.record',
        personId: input.personId,
        payload: { consentId: consent.id, scope: input.scope, recipientDepartmentIds: input.recipientDepartmentIds, method: input.method, givenOn: input.givenOn },
      });
      return { id: consent.id };
    });
  }
}
