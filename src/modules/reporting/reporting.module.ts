import { Module } from '@nestjs/common';
import { AuditModule } from '../audit/audit.module';
import { Dashboard } from './dashboard';
import { ReportingController } from './http/reporting.controller';
import { Projector } from './projector';

/** Managers' read models and figures. */
@Module({ imports: [AuditModule], controllers: [ReportingController], providers: [Dashboard, Projector], exports: [Projector] })
export class ReportingModule {}
