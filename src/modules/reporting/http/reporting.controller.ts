import { Controller, Get, Header, HttpCode, Post, Query } from '@nestjs/common';
import { ApiBearerAuth, ApiOperation, ApiTags } from '@nestjs/swagger';
import { z } from 'zod';
import { Db } from '../../../platform/database/db';
import { toCsv } from '../../../platform/http/csv';
import { validate } from '../../../platform/http/zod-validation.pipe';
import { Auth, Can } from '../../access/access.decorators';
import type { RequestAuth } from '../../access/request-auth';
import { AuditLog } from '../../audit/audit-log.service';
import { Dashboard } from '../dashboard';
import { ReferralProjector } from '../referral-projector';

const periodQuery = z.strictObject({
  from: z.iso.datetime({ offset: true }).default('2000-01-01T00:00:00Z'),
  to: z.iso.datetime({ offset: true }).default('2100-01-01T00:00:00Z'),
  departmentId: z.uuid().optional(),
});
const overviewQuery = z.strictObject({ stuckDays: z.coerce.number().int().min(1).max(365).default(30) });

@ApiTags('reporting')
@ApiBearerAuth()
@Controller('reporting')
export class ReportingController {
  constructor(
    private readonly db: Db,
    private readonly dashboard: Dashboard,
    private readonly projector: ReferralProjector,
    private readonly audit: AuditLog,
  ) {}

  @Get('referrals')
  @Can('read', 'Dashboard')
  @ApiOperation({ summary: 'Referrals by sending × receiving department: counts, acceptance rate, p50/p90 hours to accept and complete, overdue now' })
  referrals(@Auth() auth: RequestAuth, @Query(validate(periodQuery)) query: z.infer<typeof periodQuery>) {
    return this.db.inTenant(auth.principal.tenantId, (em) => this.dashboard.referrals(em, query));
  }

  @Get('referrals.csv')
  @Can('read', 'Dashboard')
  @Header('Content-Type', 'text/csv; charset=utf-8')
  @ApiOperation({ summary: 'The same, as CSV (UTF-8 with BOM, so Excel opens Japanese correctly)' })
  async referralsCsv(@Auth() auth: RequestAuth, @Query(validate(periodQuery)) query: z.infer<typeof periodQuery>) {
    const rows = await this.db.inTenant(auth.principal.tenantId, (em) => this.dashboard.referrals(em, query));
    return toCsv(
      ['依頼元', '依頼先', '件数', '受理', '辞退', '受理率(%)', '受理までの時間 中央値(h)', '受理までの時間 90%(h)', '完了までの時間 中央値(h)', '完了までの時間 90%(h)', '期限超過'],
      rows.map((r) => [r.fromDepartment, r.toDepartment, r.total, r.accepted, r.declined, r.acceptanceRate, r.hoursToAccept.p50, r.hoursToAccept.p90, r.hoursToComplete.p50, r.hoursToComplete.p90, r.overdueNow]),
    );
  }

  @Get('overview')
  @Can('read', 'Dashboard')
  @ApiOperation({ summary: '多機関協働 cases by stage and age, overdue tasks by department, stuck cases, top escalation criteria' })
  overview(@Auth() auth: RequestAuth, @Query(validate(overviewQuery)) query: z.infer<typeof overviewQuery>) {
    return this.db.inTenant(auth.principal.tenantId, (em) => this.dashboard.overview(em, query.stuckDays));
  }

  @Post('projections/rebuild')
  @HttpCode(200)
  @Can('update', 'Dashboard')
  @ApiOperation({ summary: 'Rebuild the read models from the event history (administrators)' })
  rebuild(@Auth() auth: RequestAuth) {
    return this.db.inTenant(auth.principal.tenantId, async (em) => {
      const referrals = await this.projector.rebuild(em, auth.principal.tenantId);
      await this.audit.append(em, auth.audit, { action: 'reporting.rebuild', subjectType: 'Dashboard', outcome: 'allowed', detail: { referrals } });
      return { referrals };
    });
  }
}
