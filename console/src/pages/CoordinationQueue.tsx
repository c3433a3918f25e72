import { useState } from 'react';
import { useMutation, useQueryClient } from '@tanstack/react-query';
import { Link, useNavigate } from '@tanstack/react-router';
import { api, data } from '../api/client';
import type { components } from '../api/api';
import { useT } from '../i18n';
import { useDepartmentNames, useLabels } from '../labels';
import { Status } from './Layout';
import { MoreButton, MutationError, ReasonForm, usePagedList } from './coordination-shared';

type Candidate = components['schemas']['CoordinationCandidate'];
type Escalation = components['schemas']['Escalation'];

/** 地域共生推進課's work list: the criteria's candidates and why, requests to decide, the cases it coordinates. */
export function CoordinationQueue() {
  const { t } = useT();
  return (
    <section aria-labelledby="coord-title">
      <h1 id="coord-title">{t('coord.title')}</h1>
      <Candidates />
      <Escalations />
      <CoordinationCases />
    </section>
  );
}

function Candidates() {
  const { t, lang } = useT();
  const label = useLabels();
  const { query, items } = usePagedList<Candidate>(['coordination', 'candidates'], (cursor) =>
    data(api.GET('/api/v1/coordination/candidates', { params: { query: { limit: 50, ...(cursor && { cursor }) } } })),
  );
  return (
    <section aria-labelledby="candidates-title">
      <h2 id="candidates-title">{t('coord.candidates')}</h2>
      <Status loading={query.isPending} error={query.error} />
      {query.isSuccess && items.length === 0 && <p>{t('coord.noCandidates')}</p>}
      {items.length > 0 && (
        <table className="data-table">
          <thead>
            <tr>
              <th scope="col">{t('cases.number')}</th>
              <th scope="col">{t('cases.caseTitle')}</th>
              <th scope="col">{t('cases.issues')}</th>
              <th scope="col">{t('coord.matched')}</th>
              <th scope="col">{t('inbox.actions')}</th>
            </tr>
          </thead>
          <tbody>
            {items.map((candidate) => (
              <tr key={candidate.caseId}>
                <td>{candidate.caseNumber}</td>
                <td>{candidate.title}</td>
                <td>{candidate.issues.map((code) => label('issueTag', code)).join('、')}</td>
                <td>
                  <ul className="plain-list">
                    {candidate.matched.map((match) => (
                      <li key={match.code}>
                        <strong>{match.label[lang]}</strong>: {match.because[lang]}
                      </li>
                    ))}
                  </ul>
                  {candidate.ruleSetVersion !== null && <span className="hint">{t('coord.ruleSet', { v: candidate.ruleSetVersion })}</span>}
                </td>
                <td>
                  <TakeUp candidate={candidate} />
                </td>
              </tr>
            ))}
          </tbody>
        </table>
      )}
      <MoreButton query={query} />
    </section>
  );
}

/** 引き受ける: opens the coordination case (スクリーニング) and goes to it. */
function TakeUp({ candidate }: { candidate: Candidate }) {
  const { t } = useT();
  const navigate = useNavigate();
  const queryClient = useQueryClient();
  const [asking, setAsking] = useState(false);
  const takeUp = useMutation({
    mutationFn: (reason: string) => data(api.POST('/api/v1/coordination/cases', { body: { caseId: candidate.caseId, reason } })),
    onSuccess: (opened) => {
      void queryClient.invalidateQueries({ queryKey: ['coordination'] });
      void navigate({ to: '/coordination/cases/$coordinationId', params: { coordinationId: opened.id } });
    },
  });
  const title = t('coord.takeUpFor', { title: candidate.title });
  if (asking) return <ReasonForm title={title} label={t('coord.takeUpReason')} pending={takeUp.isPending} onSend={(reason) => takeUp.mutate(reason)} onCancel={() => setAsking(false)} />;
  return (
    <>
      <button type="button" aria-label={title} onClick={() => setAsking(true)}>
        {t('coord.takeUp')}
      </button>
      <MutationError error={takeUp.error} />
    </>
  );
}

function Escalations() {
  const { t } = useT();
  const label = useLabels();
  const { query, items } = usePagedList<Escalation>(['coordination', 'escalations'], (cursor) =>
    data(api.GET('/api/v1/coordination/escalations', { params: { query: { limit: 50, ...(cursor && { cursor }) } } })),
  );
  return (
    <section aria-labelledby="escalations-title">
      <h2 id="escalations-title">{t('coord.escalations')}</h2>
      <Status loading={query.isPending} error={query.error} />
      {query.isSuccess && items.length === 0 && <p>{t('coord.noEscalations')}</p>}
      {items.length > 0 && (
        <table className="data-table">
          <thead>
            <tr>
              <th scope="col">{t('coord.requestedAt')}</th>
              <th scope="col">{t('coord.source')}</th>
              <th scope="col">{t('coord.reason')}</th>
              <th scope="col">{t('inbox.actions')}</th>
            </tr>
          </thead>
          <tbody>
            {items.map((escalation) => (
              <tr key={escalation.id}>
                <td>
                  <time dateTime={escalation.createdAt}>{new Date(escalation.createdAt).toLocaleString('ja-JP')}</time>
                </td>
                <td>{label('escalationSource', escalation.source)}</td>
                <td>{escalation.reason}</td>
                <td>
                  <Decide escalation={escalation} />
                </td>
              </tr>
            ))}
          </tbody>
        </table>
      )}
      <MoreButton query={query} />
    </section>
  );
}

/** 受理 opens the coordination case; 差し戻す needs a reason. */
function Decide({ escalation }: { escalation: Escalation }) {
  const { t } = useT();
  const navigate = useNavigate();
  const queryClient = useQueryClient();
  const [returning, setReturning] = useState(false);
  const decide = useMutation({
    mutationFn: ({ action, reason }: { action: 'accept' | 'return'; reason?: string }) =>
      data(api.POST('/api/v1/coordination/escalations/{id}/actions/{action}', { params: { path: { id: escalation.id, action } }, body: { version: escalation.version, reason } })),
    onSuccess: (decided) => {
      void queryClient.invalidateQueries({ queryKey: ['coordination'] });
      if (decided.coordinationCaseId) void navigate({ to: '/coordination/cases/$coordinationId', params: { coordinationId: decided.coordinationCaseId } });
    },
  });
  if (returning) {
    return <ReasonForm title={t('coord.return')} label={t('coord.returnReason')} pending={decide.isPending} onSend={(reason) => decide.mutate({ action: 'return', reason })} onCancel={() => setReturning(false)} />;
  }
  return (
    <div className="actions">
      <button type="button" disabled={decide.isPending} aria-label={`${t('coord.accept')}（${escalation.reason}）`} onClick={() => decide.mutate({ action: 'accept' })}>
        {t('coord.accept')}
      </button>
      <button type="button" className="secondary" aria-label={`${t('coord.return')}（${escalation.reason}）`} onClick={() => setReturning(true)}>
        {t('coord.return')}
      </button>
      <MutationError error={decide.error} />
    </div>
  );
}

function CoordinationCases() {
  const { t } = useT();
  const label = useLabels();
  const department = useDepartmentNames();
  const { query, items } = usePagedList<components['schemas']['CoordinationCaseListItem']>(['coordination', 'cases'], (cursor) =>
    data(api.GET('/api/v1/coordination/cases', { params: { query: { limit: 50, ...(cursor && { cursor }) } } })),
  );
  return (
    <section aria-labelledby="coord-cases-title">
      <h2 id="coord-cases-title">{t('coord.cases')}</h2>
      <Status loading={query.isPending} error={query.error} />
      {query.isSuccess && items.length === 0 && <p>{t('coord.noCases')}</p>}
      {items.length > 0 && (
        <table className="data-table">
          <thead>
            <tr>
              <th scope="col">{t('coord.stage')}</th>
              <th scope="col">{t('case.lead')}</th>
              <th scope="col">{t('cases.updated')}</th>
              <th scope="col">{t('inbox.case')}</th>
            </tr>
          </thead>
          <tbody>
            {items.map((item) => (
              <tr key={item.id}>
                <td>{label('coordination.state', item.state)}</td>
                <td>{department(item.leadDepartmentId)}</td>
                <td>
                  <time dateTime={item.updatedAt}>{new Date(item.updatedAt).toLocaleString('ja-JP')}</time>
                </td>
                <td>
                  <Link to="/coordination/cases/$coordinationId" params={{ coordinationId: item.id }} aria-label={`${t('coord.open')}（${department(item.leadDepartmentId)}、${new Date(item.updatedAt).toLocaleString('ja-JP')}）`}>
                    {t('coord.open')}
                  </Link>
                </td>
              </tr>
            ))}
          </tbody>
        </table>
      )}
      <MoreButton query={query} />
    </section>
  );
}
