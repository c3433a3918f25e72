import { useQuery } from '@tanstack/react-query';
import { Link } from '@tanstack/react-router';
import { api, ApiError, data } from '../api/client';
import type { components } from '../api/api';
import { useT } from '../i18n';
import { useLabels } from '../labels';
import { Status } from './Layout';

type Flow = components['schemas']['ReferralFlow'];
type Section = 'coordination' | 'tasks-overdue' | 'stuck-cases' | 'criteria';

/** 概要 (managers, coordinators): the reporting API's figures as charts, each with the CSV behind it. */
export function Overview() {
  const { t } = useT();
  const label = useLabels();
  const flows = useQuery({ queryKey: ['reporting', 'referrals'], queryFn: () => data(api.GET('/api/v1/reporting/referrals', { params: { query: { limit: 200 } } })) });
  const overview = useQuery({ queryKey: ['reporting', 'overview'], queryFn: () => data(api.GET('/api/v1/reporting/overview', { params: { query: {} } })) });
  const o = overview.data;
  return (
    <section aria-labelledby="overview-title">
      <h1 id="overview-title">{t('overview.title')}</h1>
      <Status loading={flows.isPending || overview.isPending} error={flows.error ?? overview.error} />
      {flows.data && (
        <>
          <Chart title={t('overview.heatmap')} csv={{ kind: 'referrals' }}>
            <HeatMap flows={flows.data.items} />
          </Chart>
          <Chart title={t('overview.answerTimes')} csv={{ kind: 'referrals' }}>
            <Bars
              unit={t('overview.hours')}
              rows={flows.data.items
                .filter((f) => f.hoursToAccept.p50 !== null)
                .map((f) => ({ key: `${f.fromDepartmentId}-${f.toDepartmentId}`, label: `${f.fromDepartment} → ${f.toDepartment}`, values: [f.hoursToAccept.p50 ?? 0, f.hoursToAccept.p90 ?? 0] }))}
              series={['p50', 'p90']}
            />
          </Chart>
        </>
      )}
      {o && (
        <>
          <Chart title={t('overview.overdueTasks')} csv={{ kind: 'overview', section: 'tasks-overdue' }}>
            <Bars unit={t('overview.items')} rows={o.overdueTasksByDepartment.map((d) => ({ key: d.department_id, label: d.department, values: [d.overdue] }))} series={[t('overview.overdue')]} />
          </Chart>
          <Chart title={t('overview.coordination')} csv={{ kind: 'overview', section: 'coordination' }}>
            <Bars unit={t('overview.items')} rows={o.coordinationByStage.map((s) => ({ key: s.state, label: label('coordination.state', s.state), values: [s.cases] }))} series={[t('overview.cases')]} />
          </Chart>
          <Chart title={t('overview.criteria')} csv={{ kind: 'overview', section: 'criteria' }}>
            <Bars unit={t('overview.items')} rows={o.topCriteria.map((c) => ({ key: c.code, label: c.label, values: [c.cases] }))} series={[t('overview.cases')]} />
          </Chart>
          <Chart title={t('overview.stuck')} csv={{ kind: 'overview', section: 'stuck-cases' }}>
            {o.stuckCases.length === 0 ? (
              <p>{t('overview.none')}</p>
            ) : (
              <ul className="plain-list">
                {o.stuckCases.map((c) => (
                  <li key={c.case_id}>
                    <Link to="/cases/$caseId" params={{ caseId: c.case_id }}>
                      {c.case_number}
                    </Link>{' '}
                    {c.lead_department}・{label('case.state', c.state)}（{t('overview.lastEvent')} {new Date(c.last_event_at).toLocaleDateString('ja-JP')}）
                  </li>
                ))}
              </ul>
            )}
          </Chart>
        </>
      )}
    </section>
  );
}

function Chart({ title, csv, children }: { title: string; csv: { kind: 'referrals' } | { kind: 'overview'; section: Section }; children: React.ReactNode }) {
  const { t } = useT();
  const download = async () => {
    const call =
      csv.kind === 'referrals'
        ? api.GET('/api/v1/reporting/referrals.csv', { params: { query: {} }, parseAs: 'blob' })
        : api.GET('/api/v1/reporting/overview/{section}.csv', { params: { path: { section: csv.section }, query: {} }, parseAs: 'blob' });
    const { data: blob, response } = await call;
    if (!blob) throw new ApiError({ status: response.status });
    // The CSV needs the bearer token, so it is fetched, then handed to the browser as a file.
    const url = URL.createObjectURL(blob as Blob);
    const a = document.createElement('a');
    a.href = url;
    a.download = csv.kind === 'referrals' ? 'referrals.csv' : `${csv.section}.csv`;
    a.click();
    URL.revokeObjectURL(url);
  };
  return (
    <figure className="chart">
      <figcaption>
        <h2>{title}</h2>
        <button type="button" className="secondary" onClick={() => void download()}>
          {t('overview.csv', { title })}
        </button>
      </figcaption>
      {children}
    </figure>
  );
}

/** Referrals between department pairs: rows send, columns receive; the darker, the more. */
function HeatMap({ flows }: { flows: Flow[] }) {
  const { t } = useT();
  if (flows.length === 0) return <p>{t('overview.none')}</p>;
  const senders = [...new Map(flows.map((f) => [f.fromDepartmentId, f.fromDepartment])).entries()];
  const receivers = [...new Map(flows.map((f) => [f.toDepartmentId, f.toDepartment])).entries()];
  const max = Math.max(...flows.map((f) => f.total));
  const cell = (from: string, to: string) => flows.find((f) => f.fromDepartmentId === from && f.toDepartmentId === to);
  return (
    <table className="heatmap">
      <caption className="hint">{t('overview.heatmapHint')}</caption>
      <thead>
        <tr>
          <td />
          {receivers.map(([id, name]) => (
            <th key={id} scope="col">
              {name}
            </th>
          ))}
        </tr>
      </thead>
      <tbody>
        {senders.map(([fromId, fromName]) => (
          <tr key={fromId}>
            <th scope="row">{fromName}</th>
            {receivers.map(([toId]) => {
              const flow = cell(fromId, toId);
              const level = flow ? Math.ceil((flow.total / max) * 4) : 0;
              return (
                <td key={toId} className={`heat heat-${level}`}>
                  {flow ? flow.total : ''}
                  {flow && flow.overdueNow > 0 && <span className="badge badge-error">{t('overview.overdueCount', { n: flow.overdueNow })}</span>}
                </td>
              );
            })}
          </tr>
        ))}
      </tbody>
    </table>
  );
}

/** Horizontal bars, one row per item, one bar per series; the figures are printed too (no colour-only meaning). */
function Bars({ rows, series, unit }: { rows: { key: string; label: string; values: number[] }[]; series: string[]; unit: string }) {
  const { t } = useT();
  if (rows.length === 0) return <p>{t('overview.none')}</p>;
  const max = Math.max(1, ...rows.flatMap((r) => r.values));
  return (
    <table className="bars">
      <thead>
        <tr>
          <th scope="col">{t('overview.item')}</th>
          {series.map((s) => (
            <th key={s} scope="col">
              {s}（{unit}）
            </th>
          ))}
        </tr>
      </thead>
      <tbody>
        {rows.map((row) => (
          <tr key={row.key}>
            <th scope="row">{row.label}</th>
            {row.values.map((value, i) => (
              <td key={series[i]}>
                <span className={`bar bar-${i}`} style={{ width: `${(value / max) * 12}rem` }} aria-hidden="true" />
                {Math.round(value * 10) / 10}
              </td>
            ))}
          </tr>
        ))}
      </tbody>
    </table>
  );
}
