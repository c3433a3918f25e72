import { Module } from '@nestjs/common';
import { AuditModule } from '../audit/audit.module';
import { AuditedPersonReader } from './audited-person-reader';

/** People and households: one person model across cases, referrals, meetings and the register. */
@Module({ imports: [AuditModule], providers: [AuditedPersonReader], exports: [AuditedPersonReader] })
export class PeopleModule {}
