import { Module } from '@nestjs/common';
import { PeopleModule } from '../people/people.module';
import { AuditModule } from '../audit/audit.module';
import { ActOnEntryHandler } from './commands/act-on-entry/act-on-entry';
import { AddEntryHandler } from './commands/add-entry/add-entry';
import { CompleteReturnTaskHandler } from './commands/complete-return-task/complete-return-task';
import { ConfigureRegisterHandler } from './commands/configure-register/configure-register';
import { DisasterHandler } from './commands/declare-or-close-disaster/declare-or-close-disaster';
import { IMPORT_COMMAND_HANDLERS } from './commands/import-candidates/import-candidates';
import { SavePlanForEntryHandler } from './commands/save-evacuation-plan/save-evacuation-plan';
import { SendNoticesHandler } from './commands/send-notices/send-notices';
import { StartRenewalHandler } from './commands/start-renewal/start-renewal';
import { EvacuationSupportController } from './http/evacuation-support.controller';
import { RegisterQueryHandler } from './queries/register-queries';
import { RegisterBook } from './register-book';
import { RenewalRunner } from './renewal-runner';
import { ImportRunner } from './import-runner';
import { EnterCandidates } from './commands/import-candidates/enter-candidates';
import { Rosters } from './rosters';

/** 避難行動要支援者 (災害対策基本法49条の10–17): the register, rosters, disasters, 個別避難計画, renewal. */
@Module({
  imports: [AuditModule, PeopleModule],
  controllers: [EvacuationSupportController],
  providers: [
    RegisterBook,
    Rosters,
    RenewalRunner,
    ImportRunner,
    EnterCandidates,
    RegisterQueryHandler,
    ConfigureRegisterHandler,
    AddEntryHandler,
    ActOnEntryHandler,
    SendNoticesHandler,
    DisasterHandler,
    SavePlanForEntryHandler,
    CompleteReturnTaskHandler,
    StartRenewalHandler,
    ...IMPORT_COMMAND_HANDLERS,
  ],
})
export class EvacuationSupportModule {}
