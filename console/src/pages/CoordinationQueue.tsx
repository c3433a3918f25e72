import { useState } from 'react';
import { useMutation, useQueryClient } from '@tanstack/react-query';
import { Link, useNavigate } from '@tanstack/react-router';
import { api, data } from '../api/client';
import type { components } from '../api/api';
import { useT } from '../i18n';
import { useDepartmentNames, useLabels } from '../labels';
import { MutationError, PagedTable, ReasonForm, usePagedList } from './coordination-shared';

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
  const list = usePagedList<Candidate>(['coordination', 'candidates'], (cursor) =>
    data(api.GET('/api/v1/coordination/candidates', { params: { query: { limit: 50, ...(cursor && { cursor }) } } })),
  );
  return (
    <PagedTable
      id="candidates-title"
      title={t('coord.candidates')}
      empty={t('coord.noCandidates')}
      columns={[t('cases.number'), t('cases.caseTitle'), t('cases.issues'), t('coord.matched'), t('inbox.actions')]}
      list={list}
      row={(candidate) => (
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
      )}
    />
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
  const list = usePagedList<Escalation>(['coordination', 'escalations'], (cursor) =>
    data(api.GET('/api/v1/coordination/escalations', { params: { query: { limit: 50, ...(cursor && { cursor }) } } })),
  );
  return (
    <PagedTable
      id="escalations-title"
      title={t('coord.escalations')}
      empty={t('coord.noEscalations')}
      columns={[t('coord.requestedAt'), t('coord.source'), t('coord.reason'), t('inbox.actions')]}
      list={list}
      row={(escalation) => (
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
      )}
    />
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
  const list = usePagedList<components['schemas']['CoordinationCaseListItem']>(['coordination', 'cases'], (cursor) =>
    data(api.GET('/api/v1/coordination/cases', { params: { query: { limit: 50, ...(cursor && { cursor }) } } })),
  );
  return (
    <PagedTable
      id="coord-cases-title"
      title={t('coord.cases')}
      empty={t('coord.noCases')}
      columns={[t('coord.stage'), t('case.lead'), t('cases.updated'), t('inbox.case')]}
      list={list}
      row={(item) => (
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
      )}
    />
  );
}
