import { Controller, Get } from '@nestjs/common';
import { ApiBearerAuth, ApiOperation, ApiTags } from '@nestjs/swagger';
import { Db } from '../../../platform/database/db';
import { Auth, Can } from '../../access/access.decorators';
import type { RequestAuth } from '../../access/request-auth';
import { AuditLog } from '../audit-log.service';

@ApiTags('audit')
@ApiBearerAuth()
@Controller('audit')
export class AuditController {
  constructor(
    private readonly db: Db,
    private readonly auditLog: AuditLog,
  ) {}

  @Get('verify')
  @Can('verify', 'AuditLog')
  @ApiOperation({ summary: "Recompute the tenant's hash chain: ok, or the first sequence number where it breaks (auditors)" })
  verify(@Auth() auth: RequestAuth) {
    return this.db.inTenant(auth.principal.tenantId, async (em) => {
      const result = await this.auditLog.verify(em);
      await this.auditLog.append(em, auth.audit, {
        action: 'audit.verify',
        subjectType: 'AuditLog',
        outcome: 'allowed',
        detail: { ok: result.ok, checked: result.checked, brokenAtSeq: result.brokenAtSeq },
      });
      return result;
    });
  }
}
