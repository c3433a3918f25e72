import { CommandHandler, type ICommandHandler } from '@nestjs/cqrs';
import { Db } from '../../../../platform/database/db';
import { fieldError } from '../../../../platform/http/app-error';
import { ConsentBook } from '../../../people/consents/consent-book';
import { loadCase } from '../../case-access';
import { CasePersonSchema } from '../../domain/case.entity';
import { RecordConsentCommand } from './record-consent.command';

/** The case's way in to 本人同意: the person's own consent, naming departments, with the case as its context. */
@CommandHandler(RecordConsentCommand)
export class RecordConsentHandler implements ICommandHandler<RecordConsentCommand> {
  constructor(
    private readonly db: Db,
    private readonly book: ConsentBook,
  ) {}

  execute({ auth, caseId, input }: RecordConsentCommand) {
    return this.db.inTenant(auth.principal.tenantId, async (em) => {
      await loadCase(em, auth, caseId, 'update');
      if (!(await em.count(CasePersonSchema, { caseId, personId: input.personId }))) {
        throw fieldError('body.personId', 'not_in_case', { ja: 'この人はケースに含まれていません。', en: 'This person is not part of the case.' });
      }
      const consent = await this.book.record(
        em,
        auth.audit,
        input.personId,
        {
          recipients: input.recipientDepartmentIds.map((departmentId) => ({ type: 'department' as const, departmentId })),
          fieldGroups: input.scope,
          purpose: input.purpose ?? 'ケースの支援のため',
          givenOn: input.givenOn,
          endsOn: input.endsOn ?? null,
          method: input.method,
        },
        caseId,
      );
      return { id: consent.id };
    });
  }
}
