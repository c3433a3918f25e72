import { Module } from '@nestjs/common';
import { AuditModule } from '../audit/audit.module';
import { AuditedPersonReader } from './audited-person-reader';
import { CheckIntakeHandler } from './commands/check-intake/check-intake';
import { CorrectPersonHandler } from './commands/correct-person/correct-person';
import { MergePersonHandler } from './commands/merge-person/merge-person';
import { UndoMergeHandler } from './commands/merge-person/undo-merge';
import { PeopleController } from './http/people.controller';
import { PersonHoldings } from './person-holdings';
import { FindPeopleHandler } from './queries/find-people';
import { GetPersonHandler, PersonHistoryHandler } from './queries/get-person';
import { ListMergesHandler } from './queries/list-merges';

/** People and households: one person model across cases, referrals, meetings and the register; found, checked and corrected here. */
@Module({
  imports: [AuditModule],
  controllers: [PeopleController],
  providers: [AuditedPersonReader, PersonHoldings, FindPeopleHandler, GetPersonHandler, PersonHistoryHandler, ListMergesHandler, CheckIntakeHandler, CorrectPersonHandler, MergePersonHandler, UndoMergeHandler],
  exports: [AuditedPersonReader, PersonHoldings],
})
export class PeopleModule {}
