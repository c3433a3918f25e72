import { Module } from '@nestjs/common';
import { AuditModule } from '../audit/audit.module';
import { PeopleModule } from '../people/people.module';
import { CasesModule } from '../cases/cases.module';
import { ActOnCoordinationHandler } from './commands/act-on-coordination/act-on-coordination';
import { AddMemberHandler } from './commands/add-member/add-member';
import { ConfigureCriteriaHandler } from './commands/configure-criteria/configure-criteria';
import { ConveneMeetingHandler } from './commands/convene-meeting/convene-meeting';
import { DecideEscalationHandler } from './commands/decide-escalation/decide-escalation';
import { EscalateCaseHandler } from './commands/escalate-case/escalate-case';
import { RecordDecisionHandler } from './commands/record-decision/record-decision';
import { RecordEvaluationHandler } from './commands/record-evaluation/record-evaluation';
import { RecordMinutesHandler } from './commands/record-minutes/record-minutes';
import { RecordReviewHandler } from './commands/record-review/record-review';
import { ReportTaskHandler } from './commands/report-task/report-task';
import { SavePlanHandler } from './commands/save-plan/save-plan';
import { ShareWithMeetingHandler } from './commands/share-with-meeting/share-with-meeting';
import { TakeUpCaseHandler } from './commands/take-up-case/take-up-case';
import { CoordinationOpener } from './coordination-opener';
import { CandidateWatcher } from './criteria/candidate-watcher';
import { EscalationCriteriaService } from './criteria/escalation-criteria.service';
import { CoordinationController } from './http/coordination.controller';
import { MeetingsController } from './http/meetings.controller';
import { COORDINATION_QUERY_HANDLERS } from './queries/coordination-queries';
import { MEETING_QUERY_HANDLERS } from './queries/meeting-queries';

/** 多機関協働 — escalation criteria, coordination cases, 支援会議 and 重層的支援会議, 支援プラン. */
@Module({
  imports: [AuditModule, PeopleModule, CasesModule],
  controllers: [CoordinationController, MeetingsController],
  providers: [
    EscalationCriteriaService,
    CandidateWatcher,
    CoordinationOpener,
    EscalateCaseHandler,
    DecideEscalationHandler,
    TakeUpCaseHandler,
    ActOnCoordinationHandler,
    SavePlanHandler,
    ReportTaskHandler,
    RecordReviewHandler,
    RecordEvaluationHandler,
    ConfigureCriteriaHandler,
    ConveneMeetingHandler,
    AddMemberHandler,
    ShareWithMeetingHandler,
    RecordDecisionHandler,
    RecordMinutesHandler,
    ...COORDINATION_QUERY_HANDLERS,
    ...MEETING_QUERY_HANDLERS,
  ],
})
export class CoordinationModule {}
