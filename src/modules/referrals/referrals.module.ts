import { Module } from '@nestjs/common';
import { AuditModule } from '../audit/audit.module';
import { PeopleModule } from '../people/people.module';
import { ActOnReferralHandler } from './commands/act-on-referral/act-on-referral.handler';
import { ReferCaseHandler } from './commands/refer-case/refer-case.handler';
import { SweepReferralDeadlinesHandler } from './commands/sweep-referral-deadlines/sweep-referral-deadlines.handler';
import { ReferralsController } from './http/referrals.controller';
import { REFERRAL_QUERY_HANDLERS } from './queries/referral-queries';
import { ReferralDeadlineScheduler } from './referral-deadline.scheduler';

/** つなぎ — referrals between departments that close the loop. */
@Module({
  imports: [AuditModule, PeopleModule],
  controllers: [ReferralsController],
  providers: [ReferCaseHandler, ActOnReferralHandler, SweepReferralDeadlinesHandler, ReferralDeadlineScheduler, ...REFERRAL_QUERY_HANDLERS],
})
export class ReferralsModule {}
