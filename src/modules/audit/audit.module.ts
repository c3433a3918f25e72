import { Module } from '@nestjs/common';
import { AuditLog } from './audit-log.service';
import { AuditController } from './http/audit.controller';

/** 監査 — the append-only, hash-chained audit log and its verification. */
@Module({
  controllers: [AuditController],
  providers: [AuditLog],
  exports: [AuditLog],
})
export class AuditModule {}
