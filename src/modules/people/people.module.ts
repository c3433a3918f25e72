import { Module } from '@nestjs/common';
import { AuditModule } from '../audit/audit.module';
import { AuditedPersonReader } from './audited-person-reader';
import { PersonHoldings } from './person-holdings';

/** People and households: one person model across cases, referrals, meetings and the register. */
@Module({ imports: [AuditModule], providers: [AuditedPersonReader, PersonHoldings], exports: [AuditedPersonReader, PersonHoldings] })
export class PeopleModule {}
