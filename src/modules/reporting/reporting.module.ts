import { Module } from '@nestjs/common';
import { AuditModule } from '../audit/audit.module';
import { Dashboard } from './dashboard';
import { ReportingController } from './http/reporting.controller';
import { ReferralProjector } from './referral-projector';

/** Managers' read models and figures. */
@Module({ imports: [AuditModule], controllers: [ReportingController], providers: [Dashboard, ReferralProjector], exports: [ReferralProjector] })
export class ReportingModule {}
