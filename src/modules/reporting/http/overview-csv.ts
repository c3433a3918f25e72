import type { EntityManager } from '@mikro-orm/postgresql';
import { toCsv } from '../../../platform/http/csv';
import type { Dashboard, OverviewFilter } from '../dashboard';

/** Times as read in the city hall: `2026-11-02 09:00`, Japan time. */
const JAPAN_TIME = new Intl.DateTimeFormat('sv-SE', { timeZone: 'Asia/Tokyo', dateStyle: 'short', timeStyle: 'short' });

export const OVERVIEW_SECTIONS = ['coordination', 'tasks-overdue', 'stuck-cases', 'criteria'] as const;
export type OverviewSection = (typeof OVERVIEW_SECTIONS)[number];

/** Each section of the overview as a CSV with Japanese headers, for Excel. */
export async function overviewCsv(dashboard: Dashboard, em: EntityManager, section: OverviewSection, filter: OverviewFilter): Promise<string> {
  switch (section) {
    case 'coordination':
      return toCsv(['段階', '件数', '平均経過日数'], (await dashboard.coordinationByStage(em, filter)).map((r) => [r.state, r.cases, r.average_age_days]));
    case 'tasks-overdue':
      return toCsv(['課', '期限超過タスク'], (await dashboard.overdueTasks(em, filter)).map((r) => [r.department, r.overdue]));
    case 'stuck-cases':
      return toCsv(
        ['ケース番号', '担当課', '状態', '最終記録日時'],
        (await dashboard.stuckCases(em, filter)).map((r) => [r.case_number, r.lead_department, r.state, JAPAN_TIME.format(new Date(r.last_event_at))]),
      );
    case 'criteria':
      return toCsv(['コード', '基準', '件数'], (await dashboard.topCriteria(em, filter)).map((r) => [r.code, r.label, r.cases]));
  }
}
