import { Controller, Header } from '@nestjs/common';
import { ApiBearerAuth } from '@nestjs/swagger';
import { z } from 'zod';
import { Db } from '../../../platform/database/db';
import { ApiTag } from '../../../platform/http/api-contract/api-tags';
import { Input, Operation } from '../../../platform/http/api-contract/operation.decorator';
import { pageOf, pageParams } from '../../../platform/http/api-contract/paging';
import { csvFile } from '../../../platform/http/csv';
import { isoDate, isoMonth } from '../../../platform/http/input';
import { bilingual } from '../../../platform/http/zod-validation.pipe';
import { Auth, Can } from '../../access/access.decorators';
import type { RequestAuth } from '../../access/request-auth';
import { AuditLog } from '../../audit/audit-log.service';
import { Dashboard } from '../dashboard';
import { Projector } from '../projector';
import { OVERVIEW_SECTIONS, overviewCsv, type OverviewSection } from './overview-csv';
import { ProjectionCountsSchema, ReferralFlowSchema, ReportingOverviewSchema } from './reporting.responses';

/** Whole months in Japan, both ends included. */
const period = z.strictObject({ from: isoMonth.default('2000-01'), to: isoMonth.default('2099-12'), departmentId: z.uuid().optional() });
const monthsInOrder = bilingual({ ja: '開始月は終了月以前にしてください。', en: 'from must not be after to.' }, ['to']);
const periodQuery = period.refine((p) => p.from <= p.to, monthsInOrder);
const pagedPeriodQuery = period.extend(pageParams).refine((p) => p.from <= p.to, monthsInOrder);
/** Calendar days in Japan, `to` exclusive. */
const overviewQuery = z.strictObject({
  from: isoDate.default('2000-01-01'),
  to: isoDate.default('2100-01-01'),
  departmentId: z.uuid().optional(),
  stuckDays: z.coerce.number().int().min(1).max(365).default(30),
});
const CSV_TYPE = 'text/csv; charset=utf-8';
const CSV = { media: 'text/csv', description: 'UTF-8 with BOM (Excel opens Japanese correctly), Japanese headers and values, ids beside names' } as const;

@ApiTag('reporting', { ja: '管理者向けの集計（個人情報を含まない）', en: "Managers' figures: aggregates only, no personal data" })
@ApiBearerAuth()
@Controller('reporting')
export class ReportingController {
  constructor(
    private readonly db: Db,
    private readonly dashboard: Dashboard,
    private readonly projector: Projector,
    private readonly audit: AuditLog,
  ) {}

  @Operation({
    route: 'GET referrals',
    id: 'getReferralMatrix',
    summary: { ja: '依頼元課 × 依頼先課の依頼件数・受理率・受理と完了までの時間・期限超過', en: 'Referrals by sending × receiving department: counts, acceptance rate, p50/p90 hours to accept and complete, overdue now' },
    description: 'By sending, then receiving department name. Paged: pass `next` as `cursor`.',
    query: pagedPeriodQuery,
    response: { schema: pageOf(ReferralFlowSchema) },
  })
  @Can('read', 'Dashboard')
  referrals(@Auth() auth: RequestAuth, @Input.query() query: z.infer<typeof pagedPeriodQuery>) {
    return this.db.inTenant(auth.principal.tenantId, (em) => this.dashboard.referrals(em, query, query));
  }

  @Operation({
    route: 'GET referrals.csv',
    id: 'exportReferralMatrix',
    summary: { ja: '依頼の集計を CSV で出力する', en: 'The referral matrix as CSV, every pair' },
    query: periodQuery,
    response: CSV,
  })
  @Can('read', 'Dashboard')
  @Header('Content-Type', CSV_TYPE)
  async referralsCsv(@Auth() auth: RequestAuth, @Input.query() query: z.infer<typeof periodQuery>) {
    const { items } = await this.db.inTenant(auth.principal.tenantId, (em) => this.dashboard.referrals(em, query));
    return csvFile(
      'referrals.csv',
      ['依頼元', '依頼先', '件数', '受理', '辞退', '受理率(%)', '受理までの時間 中央値(h)', '受理までの時間 90%(h)', '完了までの時間 中央値(h)', '完了までの時間 90%(h)', '期限超過', '依頼元ID', '依頼先ID'],
      items.map((r) => [r.fromDepartment, r.toDepartment, r.total, r.accepted, r.declined, r.acceptanceRate, r.hoursToAccept.p50, r.hoursToAccept.p90, r.hoursToComplete.p50, r.hoursToComplete.p90, r.overdueNow, r.fromDepartmentId, r.toDepartmentId]),
    );
  }

  @Operation({
    route: 'GET overview',
    id: 'getReportingOverview',
    summary: {
      ja: '多機関協働の段階別件数と経過日数、課別の期限超過タスク、停滞ケース、よく該当する基準',
      en: 'Multi-agency coordination cases by stage and age (opened in from–to), overdue tasks by department, stuck cases (by lead department), top escalation criteria (evaluated in from–to)',
    },
    query: overviewQuery,
    response: { schema: ReportingOverviewSchema },
  })
  @Can('read', 'Dashboard')
  overview(@Auth() auth: RequestAuth, @Input.query() query: z.infer<typeof overviewQuery>) {
    return this.db.inTenant(auth.principal.tenantId, (em) => this.dashboard.overview(em, query));
  }

  @Operation({
    route: 'GET overview/:section.csv',
    id: 'exportReportingOverviewSection',
    summary: { ja: '概要の 1 区分を CSV で出力する（coordination, tasks-overdue, stuck-cases, criteria）', en: 'One section of the overview as CSV: coordination, tasks-overdue, stuck-cases or criteria' },
    params: { section: z.enum(OVERVIEW_SECTIONS) },
    query: overviewQuery,
    response: CSV,
  })
  @Can('read', 'Dashboard')
  @Header('Content-Type', CSV_TYPE)
  overviewSectionCsv(@Auth() auth: RequestAuth, @Input.param('section') section: OverviewSection, @Input.query() query: z.infer<typeof overviewQuery>) {
    return this.db.inTenant(auth.principal.tenantId, (em) => overviewCsv(this.dashboard, em, section, query));
  }

  @Operation({
    route: 'POST projections/rebuild',
    id: 'rebuildProjections',
    summary: { ja: '集計用の読み取りモデルをイベント履歴から作り直す（管理者）', en: 'Rebuild every read model from the event history (administrators); answers the number of facts of each' },
    response: { status: 200, schema: ProjectionCountsSchema },
    errors: [413, 415], // a body sent anyway is read (and refused) before the handler
  })
  @Can('update', 'Dashboard')
  async rebuild(@Auth() auth: RequestAuth) {
    const counts = await this.projector.rebuild(auth.principal.tenantId);
    await this.db.inTenant(auth.principal.tenantId, (em) => this.audit.append(em, auth.audit, { action: 'reporting.rebuild', subjectType: 'Dashboard', outcome: 'allowed', detail: counts }));
    return counts;
  }
}
