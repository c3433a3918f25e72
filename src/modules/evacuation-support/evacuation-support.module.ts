import { Module } from '@nestjs/common';
import { AuditModule } from '../audit/audit.module';
import { IMPORT_COMMAND_HANDLERS } from './commands/import-commands';
import { REGISTER_COMMAND_HANDLERS } from './commands/register-commands';
import { StartRenewalHandler } from './commands/start-renewal';
import { EvacuationSupportController } from './http/evacuation-support.controller';
import { RegisterQueryHandler } from './queries/register-queries';
import { RegisterBook } from './register-book';
import { RenewalRunner } from './renewal-runner';
import { Rosters } from './rosters';

/** 避難行動要支援者 (災害対策基本法49条の10–17): the register, rosters, disasters, 個別避難計画, renewal. */
@Module({
  imports: [AuditModule],
  controllers: [EvacuationSupportController],
  providers: [RegisterBook, Rosters, RenewalRunner, StartRenewalHandler, RegisterQueryHandler, ...REGISTER_COMMAND_HANDLERS, ...IMPORT_COMMAND_HANDLERS],
})
export class EvacuationSupportModule {}
