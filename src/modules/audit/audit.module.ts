import { Module } from '@nestjs/common';
import { APP_CONFIG, type AppConfig } from '../../config/config';
import { AccessGrantRecorder } from './access-grant-recorder';
import { AppendedAuditRows } from './appended-rows';
import { AuditAnomalies } from './audit-anomalies';
import { AuditLog } from './audit-log.service';
import { AuditReview } from './audit-review.service';
import { AuditSealer } from './audit-sealer';
import { AuditSigner } from './audit-signer';
import { ChainVerifications } from './chain-verifications';
import { AuditCheckpoints } from './checkpoints/audit-checkpoints';
import { CheckpointCheck } from './checkpoints/checkpoint-check';
import { CHECKPOINT_SINK } from './checkpoints/checkpoint-sink';
import { CheckpointStore } from './checkpoints/checkpoint-store';
import { FileCheckpointSink } from './checkpoints/file-checkpoint-sink';
import { ActOnAccessGrantHandler } from './commands/act-on-access-grant/act-on-access-grant.handler';
import { RequestAccessGrantHandler } from './commands/request-access-grant/request-access-grant.handler';
import { GrantedReads } from './granted-reads';
import { AccessGrantsController } from './http/access-grants.controller';
import { AuditController } from './http/audit.controller';
import { ACCESS_GRANT_QUERY_HANDLERS } from './queries/access-grant-queries';
import { Refusals } from './refusals';

/** 監査 — the append-only, hash-chained audit log, its signed checkpoints and verification, and auditors' access grants. */
@Module({
  controllers: [AuditController, AccessGrantsController],
  providers: [
    // Another sink (a WORM bucket, a log service) is one more class behind the same token.
    { provide: CHECKPOINT_SINK, inject: [APP_CONFIG], useFactory: (config: AppConfig) => new FileCheckpointSink(config.auditCheckpoints.file) },
    CheckpointStore,
    CheckpointCheck,
    AuditCheckpoints,
    AuditLog,
    AppendedAuditRows,
    AuditSealer,
    AuditReview,
    AuditAnomalies,
    AuditSigner,
    ChainVerifications,
    AccessGrantRecorder,
    GrantedReads,
    Refusals,
    RequestAccessGrantHandler,
    ActOnAccessGrantHandler,
    ...ACCESS_GRANT_QUERY_HANDLERS,
  ],
  exports: [AuditLog, GrantedReads, Refusals],
})
export class AuditModule {}
