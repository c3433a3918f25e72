import { Module } from '@nestjs/common';
import { AuditModule } from '../audit/audit.module';
import { AuditedPersonReader } from './audited-person-reader';
import { CheckIntakeHandler } from './commands/check-intake/check-intake';
import { CorrectPersonHandler } from './commands/correct-person/correct-person';
import { ActOnDvMeasureHandler } from './commands/dv-measures/act-on-dv-measure';
import { RequestDvMeasureHandler } from './commands/dv-measures/request-dv-measure';
import { DvMeasureSweepScheduler, SweepDvMeasuresHandler } from './commands/dv-measures/sweep-dv-measures';
import { DvMeasures } from './dv-measures';
import { DvMeasuresController } from './http/dv-measures.controller';
import { PeopleController } from './http/people.controller';
import { PersonHoldings } from './person-holdings';
import { DV_MEASURE_QUERY_HANDLERS } from './queries/dv-measure-queries';
import { FindPeopleHandler } from './queries/find-people';
import { GetPersonHandler, PersonHistoryHandler } from './queries/get-person';

/**
 * People and households: one person model across cases, referrals, meetings and the register; found, checked
 * and corrected here, and protected by DV等支援措置 (dv_measures, the one rule in dv-protection.ts).
 */
@Module({
  imports: [AuditModule],
  controllers: [PeopleController, DvMeasuresController],
  providers: [
    AuditedPersonReader,
    PersonHoldings,
    DvMeasures,
    FindPeopleHandler,
    GetPersonHandler,
    PersonHistoryHandler,
    CheckIntakeHandler,
    CorrectPersonHandler,
    RequestDvMeasureHandler,
    ActOnDvMeasureHandler,
    SweepDvMeasuresHandler,
    DvMeasureSweepScheduler,
    ...DV_MEASURE_QUERY_HANDLERS,
  ],
  exports: [AuditedPersonReader, PersonHoldings, DvMeasures],
})
export class PeopleModule {}
