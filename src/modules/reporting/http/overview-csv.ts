import type { EntityManager } from '@mikro-orm/postgresql';
import type { StreamableFile } from '@nestjs/common';
import { csvFile, type CsvRows } from '../../../platform/http/csv';
import { CASE_LABELS } from '../../cases/domain/case.machine';
import { COORDINATION_LABELS } from '../../coordination/domain/coordination.machine';
import type { Dashboard, OverviewFilter } from '../dashboard';

export const OVERVIEW_SECTIONS = ['coordination', 'tasks-overdue', 'stuck-cases', 'criteria'] as const;
export type OverviewSection = (typeof OVERVIEW_SECTIONS)[number];

/** Each section of the overview as a CSV with Japanese headers and values, for Excel; ids beside names. */
export async function overviewCsv(dashboard: Dashboard, em: EntityManager, section: OverviewSection, filter: OverviewFilter): Promise<StreamableFile> {
  const file = (headers: readonly string[], rows: CsvRows) => csvFile(`overview-${section}.csv`, headers, rows);
  switch (section) {
    case 'coordination':
      return file(['段階', '件数', '平均経過日数'], (await dashboard.coordinationByStage(em, filter)).map((r) => [COORDINATION_LABELS.states.label(r.state, 'ja'), r.cases, r.average_age_days]));
    case 'tasks-overdue':
      return file(['課', '期限超過タスク', '課ID'], (await dashboard.overdueTasks(em, filter)).map((r) => [r.department, r.overdue, r.department_id]));
    case 'stuck-cases':
      return file(
        ['ケース番号', '担当課', '状態', '最終記録日時', 'ケースID', '担当課ID'],
        (await dashboard.stuckCases(em, filter)).map((r) => [r.case_number, r.lead_department, CASE_LABELS.states.label(r.state, 'ja'), new Date(r.last_event_at), r.case_id, r.lead_department_id]),
      );
    case 'criteria':
      return file(['コード', '基準', '件数'], (await dashboard.topCriteria(em, filter)).map((r) => [r.code, r.label, r.cases]));
  }
}
