import { Command, CommandHandler, type ICommandHandler } from '@nestjs/cqrs';
import { Db } from '../../../../platform/database/db';
import { AppError, notFound } from '../../../../platform/http/app-error';
import type { RequestAuth } from '../../../access/request-auth';
import { loadCaseToChange } from '../../case-access';
import { CaseChangeRecorder } from '../../case-change-recorder';
import { CasePeople } from '../../case-people';
import { caseSummary, type CaseSummary } from '../../case-summary';
import { CasePersonSchema } from '../../domain/case.entity';
import { CasePersonAdded, CasePersonRemoved } from '../../domain/case-events';
import type { CasePersonInput } from '../../domain/case.schemas';

export class AddCasePersonCommand extends Command<CaseSummary> {
  constructor(
    readonly auth: RequestAuth,
    readonly caseId: string,
    readonly expectedVersion: number,
    readonly person: CasePersonInput,
  ) {
    super();
  }
}

export class RemoveCasePersonCommand extends Command<CaseSummary> {
  constructor(
    readonly auth: RequestAuth,
    readonly caseId: string,
    readonly personId: string,
    readonly expectedVersion: number,
    readonly reason: string,
  ) {
    super();
  }
}

/** A household member joins a case later: named as at intake (known by id, by 宛名番号, or new). */
@CommandHandler(AddCasePersonCommand)
export class AddCasePersonHandler implements ICommandHandler<AddCasePersonCommand> {
  constructor(
    private readonly db: Db,
    private readonly people: CasePeople,
    private readonly recorder: CaseChangeRecorder,
  ) {}

  execute({ auth, caseId, expectedVersion, person }: AddCasePersonCommand) {
    return this.db.inTenant(auth.principal.tenantId, async (em) => {
      const found = await loadCaseToChange(em, auth, caseId, expectedVersion);
      const [{ person: added, relation }] = await this.people.resolve(em, auth, [person], found.householdId ?? null, found.leadDepartmentId, () => 'body.person');
      if (await em.count(CasePersonSchema, { caseId, personId: added.id })) {
        throw new AppError('already_exists', { detail: { ja: 'この人は既にケースに含まれています。', en: 'This person is already part of the case.' } });
      }
      em.create(CasePersonSchema, { tenantId: found.tenantId, caseId, personId: added.id, relation });
      found.updatedAt = new Date();
      await em.flush();
      await this.recorder.record(em, auth, found, {
        aggregate: { type: 'Case', id: found.id, version: found.version },
        type: CasePersonAdded,
        action: 'case.add-person',
        personId: added.id,
        payload: { personId: added.id, relation },
      });
      return caseSummary(em, auth, found);
    });
  }
}

/** A household member leaves a case (moved out, named by mistake): the event keeps who and why. */
@CommandHandler(RemoveCasePersonCommand)
export class RemoveCasePersonHandler implements ICommandHandler<RemoveCasePersonCommand> {
  constructor(
    private readonly db: Db,
    private readonly recorder: CaseChangeRecorder,
  ) {}

  execute({ auth, caseId, personId, expectedVersion, reason }: RemoveCasePersonCommand) {
    return this.db.inTenant(auth.principal.tenantId, async (em) => {
      const found = await loadCaseToChange(em, auth, caseId, expectedVersion);
      const link = await em.findOne(CasePersonSchema, { caseId, personId });
      if (!link) throw notFound({ ja: 'この人はケースに含まれていません。', en: 'This person is not part of the case.' });
      if ((await em.count(CasePersonSchema, { caseId })) === 1) {
        throw new AppError('guard_failed', { detail: { ja: 'ケースには1人以上が必要です。', en: 'A case needs at least one person.' } });
      }
      em.remove(link);
      found.updatedAt = new Date();
      await em.flush();
      await this.recorder.record(em, auth, found, {
        aggregate: { type: 'Case', id: found.id, version: found.version },
        type: CasePersonRemoved,
        action: 'case.remove-person',
        personId,
        payload: { personId, relation: link.relation, reason },
      });
      return caseSummary(em, auth, found);
    });
  }
}
