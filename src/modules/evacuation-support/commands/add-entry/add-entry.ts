import { Command, CommandHandler, type ICommandHandler } from '@nestjs/cqrs';
import { Db } from '../../../../platform/database/db';
import { assertCan } from '../../../access/assert-can';
import type { RequestAuth } from '../../../access/request-auth';
import { staffDepartments } from '../../../directory/domain/principal';
import { PersonHoldings } from '../../../people/person-holdings';
import type { AddEntryInput } from '../../domain/register.schemas';
import { RegisterBook } from '../../register-book';

export class AddEntryCommand extends Command<{ id: string; state: string; eligible: boolean; version: number }> {
  constructor(
    readonly auth: RequestAuth,
    readonly input: AddEntryInput,
  ) {
    super();
  }
}

@CommandHandler(AddEntryCommand)
export class AddEntryHandler implements ICommandHandler<AddEntryCommand> {
  constructor(
    private readonly db: Db,
    private readonly book: RegisterBook,
    private readonly people: PersonHoldings,
  ) {}

  execute({ auth, input }: AddEntryCommand) {
    assertCan(auth, 'create', 'RegisterEntry', { tenantId: auth.principal.tenantId });
    return this.db.inTenant(auth.principal.tenantId, async (em) => {
      const departments = staffDepartments(auth.principal);
      const named = input.personId
        ? await this.people.knownTo(em, auth, departments, input.personId, 'body.personId', 'register')
        : await this.people.onFile(em, auth, departments, input.person?.residentNumber, 'body.person.residentNumber', 'register');
      const entry = await this.book.add(em, auth.audit, {
        person: named ?? input.person!,
        collectedByDepartmentId: departments[0] ?? null,
        districtCode: input.districtCode,
        source: input.source,
        facts: { birthDate: input.person?.birthDate ?? null, careLevel: null, physicalHandbookGrade: null, ryoikuGrade: null, mentalHandbookGrade: null, ...input.facts },
        needsHelpReason: input.needsHelpReason,
        householdSituation: input.householdSituation,
      });
      return { id: entry.id, state: entry.state, eligible: entry.eligible, version: entry.version };
    });
  }
}
