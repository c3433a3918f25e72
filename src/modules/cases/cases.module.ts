import { Module } from '@nestjs/common';
import { AuditModule } from '../audit/audit.module';
import { PeopleModule } from '../people/people.module';
import { CaseChangeRecorder } from './case-change-recorder';
import { CasePeople } from './case-people';
import { ChangeIssuesHandler } from './commands/change-issues/change-issues';
import { AddCasePersonHandler, RemoveCasePersonHandler } from './commands/change-members/change-members';
import { ActOnCaseHandler } from './commands/act-on-case/act-on-case.handler';
import { AddNoteHandler } from './commands/add-note/add-note.handler';
import { OpenCaseHandler } from './commands/open-case/open-case.handler';
import { RecordConsentHandler } from './commands/record-consent/record-consent.handler';
import { WithdrawConsentHandler } from './commands/withdraw-consent/withdraw-consent.handler';
import { CasesController } from './http/cases.controller';
import { CASE_QUERY_HANDLERS } from './queries/case-queries';

/** 包括的相談支援 — cases opened at any window, with people, consents and progress notes. */
@Module({
  imports: [AuditModule, PeopleModule],
  controllers: [CasesController],
  exports: [CaseChangeRecorder],
  providers: [
    CaseChangeRecorder,
    CasePeople,
    AddCasePersonHandler,
    RemoveCasePersonHandler,
    ChangeIssuesHandler,
    OpenCaseHandler, ActOnCaseHandler, AddNoteHandler, RecordConsentHandler, WithdrawConsentHandler, ...CASE_QUERY_HANDLERS],
})
export class CasesModule {}
