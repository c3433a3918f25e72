import { Controller, Get, Header, HttpCode, Param, Post, Query } from '@nestjs/common';
import { ApiBearerAuth, ApiOperation, ApiTags } from '@nestjs/swagger';
import { z } from 'zod';
import { Db } from '../../../platform/database/db';
import { csvFile } from '../../../platform/http/csv';
import { bilingual, validate } from '../../../platform/http/zod-validation.pipe';
import { Auth, Can } from '../../access/access.decorators';
import type { RequestAuth } from '../../access/request-auth';
import { AuditLog } from '../../audit/audit-log.service';
import { Dashboard } from '../dashboard';
import { Projector } from '../projector';
import { OVERVIEW_SECTIONS, overviewCsv } from './overview-csv';
import { isoDate, isoMonth } from '../../../platform/http/input';

/** Whole months in Japan, both ends included. */
const periodQuery = z
  .strictObject({ from: isoMonth.default('2000-01'), to: isoMonth.default('2099-12'), departmentId: z.uuid().optional() })
  .refine((p) => p.from <= p.to, bilingual({ ja: '開始月は終了月以前にしてください。', en: 'from must not be after to.' }, ['to']));
/** Calendar days in Japan, `to` exclusive. */
const overviewQuery = z.strictObject({
  from: isoDate.default('2000-01-01'),
  to: isoDate.default('2100-01-01'),
  departmentId: z.uuid().optional(),
  stuckDays: z.coerce.number().int().min(1).max(365).default(30),
});
const sectionParam = z.enum(OVERVIEW_SECTIONS);

@ApiTags('reporting')
@ApiBearerAuth()
@Controller('reporting')
export class ReportingController {
  constructor(
    private readonly db: Db,
    private readonly dashboard: Dashboard,
    private readonly projector: Projector,
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
    return csvFile(
      ['依頼元', '依頼先', '件数', '受理', '辞退', '受理率(%)', '受理までの時間 中央値(h)', '受理までの時間 90%(h)', '完了までの時間 中央値(h)', '完了までの時間 90%(h)', '期限超過', '依頼元ID', '依頼先ID'],
      rows.map((r) => [r.fromDepartment, r.toDepartment, r.total, r.accepted, r.declined, r.acceptanceRate, r.hoursToAccept.p50, r.hoursToAccept.p90, r.hoursToComplete.p50, r.hoursToComplete.p90, r.overdueNow, r.fromDepartmentId, r.toDepartmentId]),
    );
  }

  @Get('overview')
  @Can('read', 'Dashboard')
  @ApiOperation({ summary: '多機関協働 cases by stage and age (opened in from–to), overdue tasks by department, stuck cases (by lead department), top escalation criteria (evaluated in from–to)' })
  overview(@Auth() auth: RequestAuth, @Query(validate(overviewQuery)) query: z.infer<typeof overviewQuery>) {
    return this.db.inTenant(auth.principal.tenantId, (em) => this.dashboard.overview(em, query));
  }

  @Get('overview/:section.csv')
  @Can('read', 'Dashboard')
  @Header('Content-Type', 'text/csv; charset=utf-8')
  @ApiOperation({ summary: 'One section of the overview as CSV (UTF-8 with BOM): coordination, tasks-overdue, stuck-cases or criteria' })
  async overviewSectionCsv(@Auth() auth: RequestAuth, @Param('section', validate(sectionParam)) section: z.infer<typeof sectionParam>, @Query(validate(overviewQuery)) query: z.infer<typeof overviewQuery>) {
    return this.db.inTenant(auth.principal.tenantId, (em) => overviewCsv(this.dashboard, em, section, query));
  }

  @Post('projections/rebuild')
  @HttpCode(200)
  @Can('update', 'Dashboard')
  @ApiOperation({ summary: 'Rebuild every read model from the event history (administrators); answers the number of facts of each' })
  async rebuild(@Auth() auth: RequestAuth) {
    const counts = await this.projector.rebuild(auth.principal.tenantId);
    await this.db.inTenant(auth.principal.tenantId, (em) => this.audit.append(em, auth.audit, { action: 'reporting.rebuild', subjectType: 'Dashboard', outcome: 'allowed', detail: counts }));
    return counts;
  }
}
