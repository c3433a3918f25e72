import { Module } from '@nestjs/common';
import { AuditModule } from '../audit/audit.module';
import { AuditedPersonReader } from './audited-person-reader';
import { CheckIntakeHandler } from './commands/check-intake/check-intake';
import { CorrectPersonHandler } from './commands/correct-person/correct-person';
import { ConsentBook } from './consents/consent-book';
import { RecordPersonConsentHandler, WithdrawPersonConsentHandler } from './consents/consent-commands';
import { ListPersonConsentsHandler, ListPersonDisclosuresHandler } from './consents/consent-queries';
import { PersonConsentsController } from './consents/consents.controller';
import { PeopleController } from './http/people.controller';
import { PersonHoldings } from './person-holdings';
import { FindPeopleHandler } from './queries/find-people';
import { GetPersonHandler, PersonHistoryHandler } from './queries/get-person';

/** People and households: one person model across cases, referrals, meetings and the register; found, checked, corrected and consented here. */
@Module({
  imports: [AuditModule],
  controllers: [PeopleController, PersonConsentsController],
  providers: [
    AuditedPersonReader,
    PersonHoldings,
    ConsentBook,
    FindPeopleHandler,
    GetPersonHandler,
    PersonHistoryHandler,
    CheckIntakeHandler,
    CorrectPersonHandler,
    RecordPersonConsentHandler,
    WithdrawPersonConsentHandler,
    ListPersonConsentsHandler,
    ListPersonDisclosuresHandler,
  ],
  exports: [AuditedPersonReader, PersonHoldings, ConsentBook],
})
export class PeopleModule {}
