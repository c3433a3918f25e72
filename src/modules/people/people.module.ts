import { Module } from '@nestjs/common';
import { AuditModule } from '../audit/audit.module';
import { AuditedPersonReader } from './audited-person-reader';
import { CheckIntakeHandler } from './commands/check-intake/check-intake';
import { CorrectPersonHandler } from './commands/correct-person/correct-person';
import { ConsentBook } from './consents/consent-book';
import { RecordPersonConsentHandler, WithdrawPersonConsentHandler } from './consents/consent-commands';
import { ListPersonConsentsHandler, ListPersonDisclosuresHandler } from './consents/consent-queries';
import { PersonConsentsController } from './consents/consents.controller';
import { ActOnDvMeasureHandler } from './commands/dv-measures/act-on-dv-measure';
import { RequestDvMeasureHandler } from './commands/dv-measures/request-dv-measure';
import { DvMeasureSweepScheduler, SweepDvMeasuresHandler } from './commands/dv-measures/sweep-dv-measures';
import { MergePersonHandler } from './commands/merge-person/merge-person';
import { UndoMergeHandler } from './commands/merge-person/undo-merge';
import { DvMeasures } from './dv-measures';
import { DvMeasuresController } from './http/dv-measures.controller';
import { PeopleController } from './http/people.controller';
import { PersonHoldings } from './person-holdings';
import { DV_MEASURE_QUERY_HANDLERS } from './queries/dv-measure-queries';
import { FindPeopleHandler } from './queries/find-people';
import { GetPersonHandler, PersonHistoryHandler } from './queries/get-person';
import { ListMergesHandler } from './queries/list-merges';

/**
 * People and households: one person model across cases, referrals, meetings and the register; found, checked
 * and corrected here, protected by DV等支援措置 (dv_measures, the one rule in dv-protection.ts), and their
 * 本人同意 kept per person (consents/).
 */
@Module({
  imports: [AuditModule],
  controllers: [PeopleController, DvMeasuresController, PersonConsentsController],
  providers: [
    AuditedPersonReader,
    PersonHoldings,
    DvMeasures,
    ConsentBook,
    FindPeopleHandler,
    GetPersonHandler,
    PersonHistoryHandler,
    CheckIntakeHandler,
    CorrectPersonHandler,
    MergePersonHandler,
    UndoMergeHandler,
    ListMergesHandler,
    RequestDvMeasureHandler,
    ActOnDvMeasureHandler,
    SweepDvMeasuresHandler,
    DvMeasureSweepScheduler,
    ...DV_MEASURE_QUERY_HANDLERS,
    RecordPersonConsentHandler,
    WithdrawPersonConsentHandler,
    ListPersonConsentsHandler,
    ListPersonDisclosuresHandler,
  ],
  exports: [AuditedPersonReader, PersonHoldings, DvMeasures, ConsentBook],
})
export class PeopleModule {}
