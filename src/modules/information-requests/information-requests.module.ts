import { Module } from '@nestjs/common';
import { AuditModule } from '../audit/audit.module';
import { PeopleModule } from '../people/people.module';
import { ActOnInformationRequestHandler } from './commands/act-on-information-request';
import { RequestInformationHandler } from './commands/request-information';
import { InformationRequestExpiryScheduler, SweepInformationRequestsHandler } from './commands/sweep-information-requests';
import { InformationRequestsController } from './http/information-requests.controller';
import { INFORMATION_REQUEST_QUERY_HANDLERS } from './queries/information-request-queries';

/**
 * 情報照会 — its own context, beside referrals: a request about a person rather than a case, with its own
 * lifecycle and parties; it writes disclosure receipts that the people context's PersonHoldings counts.
 */
@Module({
  imports: [AuditModule, PeopleModule],
  controllers: [InformationRequestsController],
  providers: [RequestInformationHandler, ActOnInformationRequestHandler, SweepInformationRequestsHandler, InformationRequestExpiryScheduler, ...INFORMATION_REQUEST_QUERY_HANDLERS],
})
export class InformationRequestsModule {}
