import { useEffect, useState, type FormEvent } from 'react';
import { useMutation, useQuery, useQueryClient } from '@tanstack/react-query';
import { api, data } from '../api/client';
import type { components } from '../api/api';
import { useT } from '../i18n';
import { useLabels } from '../labels';
import { Status } from './Layout';

type ImportReport = components['schemas']['RegisterImportReport'];

/** 候補者の取込: upload a Shift_JIS or UTF-8 CSV, read the row-by-row report, confirm, watch the job until imported. */
function CandidateImport() {
  const { t, lang } = useT();
  const label = useLabels();
  const queryClient = useQueryClient();
  const [report, setReport] = useState<ImportReport | null>(null);
  const upload = useMutation({
    // The file goes as it is (its bytes): the service detects Shift_JIS or UTF-8 itself.
    mutationFn: (file: File) =>
      data(api.POST('/api/v1/evacuation-support/imports', { body: file as unknown as string, bodySerializer: (body) => body, headers: { 'Content-Type': 'text/csv' } })),
    onSuccess: setReport,
  });
  const act = useMutation({
    mutationFn: (action: 'confirm' | 'cancel') => data(api.POST('/api/v1/evacuation-support/imports/{id}/actions/{action}', { params: { path: { id: report!.id, action } } })),
    onSuccess: (answer) => setReport((current) => ({ ...current!, ...answer })),
  });
  // While the job runs: its progress, polled until it has imported (or failed).
  const job = useQuery({
    queryKey: ['register-import', report?.id],
    enabled: report?.state === 'importing',
    queryFn: () => data(api.GET('/api/v1/evacuation-support/imports/{id}', { params: { path: { id: report!.id } } })),
    refetchInterval: (query) => (query.state.data && query.state.data.state !== 'importing' ? false : 500),
  });
  const shown = report?.state === 'importing' && job.data ? job.data : report;
  useEffect(() => {
    if (!job.data || job.data.state === 'importing') return;
    setReport(job.data);
    void queryClient.invalidateQueries({ queryKey: ['register'] });
  }, [job.data, queryClient]);
  const submit = (event: FormEvent<HTMLFormElement>) => {
    event.preventDefault();
    const file = new FormData(event.currentTarget).get('file');
    if (file instanceof File && file.size > 0) upload.mutate(file);
  };
  return (
    <section aria-labelledby="import-title">
      <h2 id="import-title">{t('register.import')}</h2>
      <form className="filters" onSubmit={submit}>
        <label>
          {t('register.file')}
          <input type="file" name="file" accept=".csv,text/csv" required />
        </label>
        <button type="submit" disabled={upload.isPending}>
          {t('register.upload')}
        </button>
      </form>
      <p className="hint">{t('register.fileHint')}</p>
      <Status loading={upload.isPending} error={upload.error ?? act.error ?? job.error} />
      {shown && (
        <div className="stack import-report">
          <p role="status">
            {label('registerImportState', shown.state)} — {t('register.counts', { total: shown.totalRows, valid: shown.validRows, rejected: shown.rejectedRows, encoding: label('csvEncoding', shown.encoding) })}
          </p>
          {shown.rejected.length > 0 && (
            <table className="data-table">
              <caption>{t('register.rejected')}</caption>
              <thead>
                <tr>
                  <th scope="col">{t('register.line')}</th>
                  <th scope="col">{t('register.residentNumber')}</th>
                  <th scope="col">{t('register.problems')}</th>
                </tr>
              </thead>
              <tbody>
                {shown.rejected.map((row) => (
                  <tr key={row.line}>
                    <td>{row.line}</td>
                    <td>{row.residentNumber ?? '—'}</td>
                    <td>{row.problems.map((p) => `${p.column}: ${p[lang]}`).join(' / ')}</td>
                  </tr>
                ))}
              </tbody>
            </table>
          )}
          {shown.state === 'parsed' && (
            <div className="actions">
              <button type="button" onClick={() => act.mutate('confirm')} disabled={act.isPending || shown.validRows === 0}>
                {t('register.confirm', { n: shown.validRows })}
              </button>
              <button type="button" className="secondary" onClick={() => act.mutate('cancel')} disabled={act.isPending}>
                {t('register.cancel')}
              </button>
            </div>
          )}
          {(shown.state === 'importing' || shown.state === 'imported') && (
            <>
              <label htmlFor="import-progress">{t('register.progress')}</label>
              <progress id="import-progress" max={Math.max(shown.progress.total, 1)} value={shown.progress.done}>
                {shown.progress.done}
              </progress>
              <p>{t('register.done', { done: shown.progress.done, total: shown.progress.total, imported: shown.imported, skipped: shown.skippedRows })}</p>
            </>
          )}
          {shown.failure && <p role="alert" className="error">{shown.failure[lang]}</p>}
        </div>
      )}
    </section>
  );
}

/** 地区ごとの名簿: the national figures per 地区, and who of a 地区 is on the register, as its keepers read it. */
function DistrictRosters() {
  const { t } = useT();
  const label = useLabels();
  const [district, setDistrict] = useState('');
  const figures = useQuery({ queryKey: ['register', 'figures'], queryFn: () => data(api.GET('/api/v1/evacuation-support/figures')) });
  const entries = useQuery({
    queryKey: ['register', 'entries', district],
    enabled: !!district,
    queryFn: () => data(api.GET('/api/v1/evacuation-support/entries', { params: { query: { districtCode: district, limit: 100 } } })),
  });
  const districts = figures.data?.filter((f) => f.district !== 'all') ?? [];
  const percent = (value: number | null) => (value === null ? '—' : `${value}%`);
  return (
    <section aria-labelledby="districts-title">
      <h2 id="districts-title">{t('register.districts')}</h2>
      <Status loading={figures.isPending} error={figures.error} />
      {districts.length > 0 && (
        <table className="data-table">
          <thead>
            <tr>
              <th scope="col">{t('register.district')}</th>
              <th scope="col">{t('register.listed')}</th>
              <th scope="col">{t('register.shared')}</th>
              <th scope="col">{t('register.plans')}</th>
              <th scope="col">{t('register.pending')}</th>
            </tr>
          </thead>
          <tbody>
            {districts.map((f) => (
              <tr key={f.district}>
                <th scope="row">
                  <button type="button" className="link-button" aria-pressed={district === f.district} onClick={() => setDistrict(f.district)}>
                    {t('roster.district', { code: f.district })}
                  </button>
                </th>
                <td>{f.listed}</td>
                <td>
                  {f.sharedInNormalTimes}（{percent(f.sharedPercent)}）
                </td>
                <td>
                  {f.plansMade}（{percent(f.plansPercent)}）
                </td>
                <td>{f.pendingAnswers}</td>
              </tr>
            ))}
          </tbody>
        </table>
      )}
      {district && (
        <>
          <h3>{t('register.entriesOf', { district: t('roster.district', { code: district }) })}</h3>
          <Status loading={entries.isPending} error={entries.error} />
          {entries.data && (
            <table className="data-table">
              <thead>
                <tr>
                  <th scope="col">{t('field.name')}</th>
                  <th scope="col">{t('field.address')}</th>
                  <th scope="col">{t('inbox.state')}</th>
                </tr>
              </thead>
              <tbody>
                {entries.data.items.map((entry) => (
                  <tr key={entry.id}>
                    <td>{entry.name ? `${entry.name.family} ${entry.name.given}` : <span className="withheld">{t('case.withheld')}</span>}</td>
                    <td>{entry.contactWithheld || entry.withheldFields.includes('address') ? <span className="withheld">{t('case.withheld')}</span> : (entry.address ?? <span className="not-held">{t('case.notHeld')}</span>)}</td>
                    <td>{label('register.state', entry.state)}</td>
                  </tr>
                ))}
              </tbody>
            </table>
          )}
        </>
      )}
    </section>
  );
}

/** 避難行動要支援者名簿の管理 (福祉課): candidate import and the rosters per 地区. */
export function Register() {
  const { t } = useT();
  return (
    <section aria-labelledby="register-title">
      <h1 id="register-title">{t('register.title')}</h1>
      <CandidateImport />
      <DistrictRosters />
    </section>
  );
}
