import { useState, type FormEvent } from 'react';
import { useMutation, useQuery } from '@tanstack/react-query';
import { Link, useNavigate, useSearch } from '@tanstack/react-router';
import { api, data } from '../api/client';
import type { components } from '../api/api';
import { useT } from '../i18n';
import { useLabels } from '../labels';
import { auditPersonSearch, auditSearch } from './audit-search';
import { Status } from './Layout';

type Verification = components['schemas']['AuditVerification'];
const PAGE = 20;
/** The log's times in Japan time, as its date filters and its CSV read them. */
const when = (at: string) => <time dateTime={at}>{new Date(at).toLocaleString('ja-JP', { timeZone: 'Asia/Tokyo' })}</time>;
/** The audit pages' own menu (監査): search, a person's report, chain and anomalies, access grants. */
export function AuditNav() {
  const { t } = useT();
  return (
    <nav aria-label={t('audit.nav')} className="actions sub-nav">
      <Link to="/audit" activeOptions={{ exact: true }}>{t('audit.search')}</Link>
      <Link to="/audit/person">{t('audit.person')}</Link>
      <Link to="/audit/chain">{t('audit.chain')}</Link>
      <Link to="/audit/grants">{t('grant.nav')}</Link>
    </nav>
  );
}

/** An audit action in words: the whole code's label, else its subject's, else the code. */
function useActionLabel() {
  const label = useLabels();
  return (action: string) => {
    const whole = label('auditAction', action);
    return whole !== action ? whole : `${label('auditActionSubject', action.split('.')[0])}（${action}）`;
  };
}

/** 監査ログ検索: filters as a form, one keyset page at a time (次へ / 最初へ). */
export function AuditSearch() {
  const { t } = useT();
  const label = useLabels();
  const actionLabel = useActionLabel();
  const filter = useSearch({ from: '/signed-in/audit' });
  const navigate = useNavigate({ from: '/audit' });
  // The cursors of the pages walked through (次へ), for this search only.
  const [walked, setWalked] = useState<{ filter: string; cursors: string[] }>({ filter: '', cursors: [] });
  const cursors = walked.filter === JSON.stringify(filter) ? walked.cursors : [];
  const setCursors = (next: string[]) => setWalked({ filter: JSON.stringify(filter), cursors: next });
  const cursor = cursors.at(-1);
  const entries = useQuery({
    queryKey: ['audit', 'entries', filter, cursor],
    queryFn: () => data(api.GET('/api/v1/audit/entries', { params: { query: { ...filter, limit: PAGE, ...(cursor && { cursor }) } } })),
  });
  const submit = (event: FormEvent<HTMLFormElement>) => {
    event.preventDefault();
    const form = new FormData(event.currentTarget);
    const value = (name: string) => (String(form.get(name) ?? '').trim() || undefined) as string | undefined;
    void navigate({ search: auditSearch({ actorId: value('actorId'), action: value('action'), personId: value('personId'), from: value('from'), to: value('to') }) });
  };
  return (
    <section aria-labelledby="audit-title">
      <h1 id="audit-title">{t('audit.title')}</h1>
      <AuditNav />
      <form className="filters" onSubmit={submit} aria-label={t('audit.filters')}>
        <label>
          {t('audit.actorId')}
          <input key={filter.actorId} defaultValue={filter.actorId} name="actorId" size={38} />
        </label>
        <label>
          {t('audit.action')}
          <input key={filter.action} defaultValue={filter.action} name="action" placeholder="person.read" />
        </label>
        <label>
          {t('audit.personId')}
          <input key={filter.personId} defaultValue={filter.personId} name="personId" size={38} />
        </label>
        <label>
          {t('audit.from')}
          <input key={filter.from} defaultValue={filter.from} name="from" type="date" />
        </label>
        <label>
          {t('audit.to')}
          <input key={filter.to} defaultValue={filter.to} name="to" type="date" />
        </label>
        <button type="submit">{t('audit.doSearch')}</button>
      </form>
      <Status loading={entries.isPending} error={entries.error} />
      {entries.isSuccess && entries.data.items.length === 0 && <p>{t('audit.empty')}</p>}
      {entries.isSuccess && entries.data.items.length > 0 && (
        <table className="data-table">
          <caption className="hint">{t('audit.page', { n: cursors.length + 1 })}</caption>
          <thead>
            <tr>
              <th scope="col">{t('audit.seq')}</th>
              <th scope="col">{t('audit.at')}</th>
              <th scope="col">{t('audit.actor')}</th>
              <th scope="col">{t('audit.action')}</th>
              <th scope="col">{t('audit.personId')}</th>
              <th scope="col">{t('audit.basis')}</th>
              <th scope="col">{t('audit.outcome')}</th>
            </tr>
          </thead>
          <tbody>
            {entries.data.items.map((entry) => (
              <tr key={entry.id}>
                <td>{entry.id}</td>
                <td>{when(entry.occurredAt)}</td>
                <td>
                  {entry.actorName ?? label('actorType', entry.actorType)}
                  {entry.actorId && <div className="hint mono">{entry.actorId}</div>}
                </td>
                <td>{actionLabel(entry.action)}</td>
                <td className="mono">
                  {entry.personId ? (
                    <Link to="/audit/person" search={{ personId: entry.personId }} aria-label={t('audit.reportOf', { id: entry.personId })}>
                      {entry.personId}
                    </Link>
                  ) : (
                    '—'
                  )}
                </td>
                <td>{entry.legalBasis ? label('legalBasis', entry.legalBasis) : '—'}</td>
                <td>{label('auditOutcome', entry.outcome)}</td>
              </tr>
            ))}
          </tbody>
        </table>
      )}
      <div className="actions">
        {cursors.length > 0 && (
          <button type="button" className="secondary" onClick={() => setCursors([])}>
            {t('audit.first')}
          </button>
        )}
        {entries.data?.next && (
          <button type="button" className="secondary" onClick={() => setCursors([...cursors, entries.data.next!])}>
            {t('audit.next')}
          </button>
        )}
      </div>
    </section>
  );
}

/** 本人ごとの報告: who saw the person's data, on which basis; what was disclosed and provided. */
export function AuditPerson() {
  const { t } = useT();
  const label = useLabels();
  const actionLabel = useActionLabel();
  const personId = useSearch({ from: '/signed-in/audit/person' }).personId ?? '';
  const navigate = useNavigate({ from: '/audit/person' });
  const report = useQuery({
    queryKey: ['audit', 'person', personId],
    enabled: !!personId,
    queryFn: () => data(api.GET('/api/v1/audit/persons/{personId}', { params: { path: { personId }, query: { limit: 100 } } })),
  });
  const submit = (event: FormEvent<HTMLFormElement>) => {
    event.preventDefault();
    void navigate({ search: auditPersonSearch({ personId: String(new FormData(event.currentTarget).get('personId') ?? '').trim() }) });
  };
  return (
    <section aria-labelledby="audit-person-title">
      <h1 id="audit-person-title">{t('audit.personTitle')}</h1>
      <AuditNav />
      <form className="filters" onSubmit={submit}>
        <label>
          {t('audit.personId')}
          <input key={personId} defaultValue={personId} name="personId" size={38} required />
        </label>
        <button type="submit">{t('audit.showReport')}</button>
      </form>
      <Status loading={!!personId && report.isPending} error={report.error} />
      {report.isSuccess && (
        <>
          <h2>{t('audit.reads')}</h2>
          {report.data.reads.items.length === 0 ? (
            <p>{t('audit.empty')}</p>
          ) : (
            <table className="data-table">
              <thead>
                <tr>
                  <th scope="col">{t('audit.at')}</th>
                  <th scope="col">{t('audit.actor')}</th>
                  <th scope="col">{t('audit.action')}</th>
                  <th scope="col">{t('audit.basis')}</th>
                  <th scope="col">{t('audit.outcome')}</th>
                </tr>
              </thead>
              <tbody>
                {report.data.reads.items.map((read) => (
                  <tr key={read.id}>
                    <td>{when(read.occurredAt)}</td>
                    <td>{read.actorName ?? label('actorType', read.actorType)}</td>
                    <td>{actionLabel(read.action)}</td>
                    <td>{read.legalBasis ? label('legalBasis', read.legalBasis) : t('audit.noBasis')}</td>
                    <td>{label('auditOutcome', read.outcome)}</td>
                  </tr>
                ))}
              </tbody>
            </table>
          )}
          <h2>{t('audit.disclosures')}</h2>
          {report.data.disclosures.items.length === 0 ? (
            <p>{t('audit.empty')}</p>
          ) : (
            <ul className="plain-list">
              {report.data.disclosures.items.map((d) => (
                <li key={d.id}>
                  {when(d.createdAt)} — {label('legalBasis', d.legalBasis)}: {d.fields.join('、')}
                  {d.reason && `（${d.reason}）`}
                </li>
              ))}
            </ul>
          )}
          <h2>{t('audit.provisions')}</h2>
          {report.data.provisions.items.length === 0 ? (
            <p>{t('audit.empty')}</p>
          ) : (
            <ul className="plain-list">
              {report.data.provisions.items.map((p) => (
                <li key={p.id}>
                  {when(p.createdAt)} — {p.organizationName} {p.supporterName ?? ''}: {label('legalBasis', p.basis)}（{p.receiptNumber}）
                </li>
              ))}
            </ul>
          )}
        </>
      )}
    </section>
  );
}

/** チェーン検証: start a verification, watch its progress bar until done; the anomalies below. */
export function AuditChain() {
  const { t } = useT();
  const label = useLabels();
  const [started, setStarted] = useState<Verification | null>(null);
  const start = useMutation({
    mutationFn: () => data(api.POST('/api/v1/audit/verifications', { body: {} })),
    onSuccess: setStarted,
  });
  const progress = useQuery({
    queryKey: ['audit', 'verification', started?.id],
    enabled: !!started,
    queryFn: () => data(api.GET('/api/v1/audit/verifications/{id}', { params: { path: { id: started!.id } } })),
    refetchInterval: (query) => (query.state.data?.state === 'running' || !query.state.data ? 500 : false),
  });
  const shown = progress.data ?? started;
  const anomalies = useQuery({ queryKey: ['audit', 'anomalies'], queryFn: () => data(api.GET('/api/v1/audit/anomalies', { params: { query: { limit: 50 } } })) });
  return (
    <section aria-labelledby="audit-chain-title">
      <h1 id="audit-chain-title">{t('audit.chainTitle')}</h1>
      <AuditNav />
      <p className="hint">{t('audit.chainHint')}</p>
      <button type="button" onClick={() => start.mutate()} disabled={start.isPending || shown?.state === 'running'}>
        {t('audit.verify')}
      </button>
      <Status loading={false} error={start.error ?? progress.error} />
      {shown && (
        <div className="stack verification">
          <label htmlFor="verification-progress">{t('audit.progress')}</label>
          <progress id="verification-progress" max={100} value={shown.progress}>
            {shown.progress}%
          </progress>
          <p role="status">
            {label('auditVerificationState', shown.state)} — {t('audit.checked', { checked: shown.checked, total: shown.total, percent: Math.round(shown.progress) })}
            {shown.brokenAtSeq !== null && ` ${t('audit.brokenAt', { seq: shown.brokenAtSeq, reason: shown.reason ? label('auditChainFinding', shown.reason) : '' })}`}
          </p>
        </div>
      )}
      <h2>{t('audit.anomalies')}</h2>
      <Status loading={anomalies.isPending} error={anomalies.error} />
      {anomalies.isSuccess && anomalies.data.items.length === 0 && <p>{t('audit.noAnomalies')}</p>}
      {anomalies.isSuccess && anomalies.data.items.length > 0 && (
        <table className="data-table">
          <thead>
            <tr>
              <th scope="col">{t('audit.kind')}</th>
              <th scope="col">{t('audit.actor')}</th>
              <th scope="col">{t('audit.count')}</th>
              <th scope="col">{t('audit.period')}</th>
              <th scope="col">{t('audit.seq')}</th>
            </tr>
          </thead>
          <tbody>
            {anomalies.data.items.map((a) => (
              <tr key={`${a.kind}-${a.seqs[0]}`}>
                <td>{label('auditAnomalyKind', a.kind)}</td>
                <td className="mono">
                  {a.actorId ? (
                    <Link to="/audit" search={{ actorId: a.actorId }} aria-label={t('audit.logOf', { id: a.actorId })}>
                      {a.actorId}
                    </Link>
                  ) : (
                    '—'
                  )}
                </td>
                <td>{a.count}</td>
                <td>
                  {when(a.firstAt)} – {when(a.lastAt)}
                </td>
                <td>{a.seqs.join(', ')}</td>
              </tr>
            ))}
          </tbody>
        </table>
      )}
    </section>
  );
}
