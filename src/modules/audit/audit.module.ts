import { Module } from '@nestjs/common';
import { AccessGrantRecorder } from './access-grant-recorder';
import { AuditAnomalies } from './audit-anomalies';
import { AuditLog } from './audit-log.service';
import { AuditReview } from './audit-review.service';
import { AuditSigner } from './audit-signer';
import { ChainVerifications } from './chain-verifications';
import { ActOnAccessGrantHandler } from './commands/act-on-access-grant/act-on-access-grant.handler';
import { RequestAccessGrantHandler } from './commands/request-access-grant/request-access-grant.handler';
import { GrantedReads } from './granted-reads';
import { AccessGrantsController } from './http/access-grants.controller';
import { AuditController } from './http/audit.controller';
import { ACCESS_GRANT_QUERY_HANDLERS } from './queries/access-grant-queries';
import { Refusals } from './refusals';

/** 監査 — the append-only, hash-chained audit log, its verification, and auditors' access grants. */
@Module({
  controllers: [AuditController, AccessGrantsController],
  providers: [AuditLog, AuditReview, AuditAnomalies, AuditSigner, ChainVerifications, AccessGrantRecorder, GrantedReads, Refusals, RequestAccessGrantHandler, ActOnAccessGrantHandler, ...ACCESS_GRANT_QUERY_HANDLERS],
  exports: [AuditLog, GrantedReads, Refusals],
})
export class AuditModule {}
