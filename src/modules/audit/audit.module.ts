import { Module } from '@nestjs/common';
import { AuditAnomalies } from './audit-anomalies';
import { AuditLog } from './audit-log.service';
import { AuditReview } from './audit-review.service';
import { AuditSigner } from './audit-signer';
import { ChainVerifications } from './chain-verifications';
import { AuditController } from './http/audit.controller';

/** 監査 — the append-only, hash-chained audit log and its verification. */
@Module({
  controllers: [AuditController],
  providers: [AuditLog, AuditReview, AuditAnomalies, AuditSigner, ChainVerifications],
  exports: [AuditLog],
})
export class AuditModule {}
