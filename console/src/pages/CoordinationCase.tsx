import { useId, useState, type FormEvent } from 'react';
import { useMutation, useQuery, useQueryClient } from '@tanstack/react-query';
import { Link, useNavigate, useParams } from '@tanstack/react-router';
import { api, data } from '../api/client';
import type { components } from '../api/api';
import { useT } from '../i18n';
import { useDepartmentNames, useLabels } from '../labels';
import { Status } from './Layout';
import { PlanEditor, PlanView } from './CoordinationPlan';
import { Evaluations, Reviews } from './CoordinationReview';
import { liveConsents, MutationError, ReasonForm, todayInJapan, useCodes } from './coordination-shared';

export type CoordinationDetail = components['schemas']['CoordinationCaseDetail'];
type Action = CoordinationDetail['allowedActions'][number];
type MeetingKind = components['schemas']['MeetingSummary']['kind'];
/** Actions the server refuses without a reason (the machine's hasReason guard). */
const NEEDS_REASON: Action[] = ['return-plan', 'replan', 'close', 'suspend', 'reopen'];
const EDITABLE = ['planning', 'replanning'];

export const coordinationQueryKey = (id: string) => ['coordination', 'case', id];

/** A coordination case: where it stands, the buttons the server allows, the 支援プラン, monitoring, evaluation, meetings. */
export function CoordinationCase() {
  const { t } = useT();
  const label = useLabels();
  const department = useDepartmentNames();
  const { coordinationId } = useParams({ from: '/signed-in/coordination/cases/$coordinationId' });
  const detail = useQuery({ queryKey: coordinationQueryKey(coordinationId), queryFn: () => data(api.GET('/api/v1/coordination/cases/{id}', { params: { path: { id: coordinationId } } })) });
  // The coordinating department reads flagged and coordinated cases: the title, persons and consents.
  const caseId = detail.data?.caseId;
  const record = useQuery({ queryKey: ['case', caseId], enabled: !!caseId, queryFn: () => data(api.GET('/api/v1/cases/{id}', { params: { path: { id: caseId! } } })) });
  if (!detail.data) return <Status loading={detail.isPending} error={detail.error} />;
  const c = detail.data;
  const canUpdate = c.allowedActions.length > 0;
  return (
    <article aria-labelledby="coord-case-title">
      <h1 id="coord-case-title">{t('coord.caseTitle', { number: record.data?.caseNumber ?? '', title: record.data?.title ?? '' })}</h1>
      <dl className="facts">
        <dt>{t('coord.stage')}</dt>
        <dd>{label('coordination.state', c.state)}</dd>
        <dt>{t('case.lead')}</dt>
        <dd>{department(c.leadDepartmentId)}</dd>
        {record.data && (
          <>
            <dt>{t('case.issues')}</dt>
            <dd>{record.data.issues.map((issue) => label('issueTag', issue.code)).join('、')}</dd>
            <dt>{t('coord.caseOf')}</dt>
            <dd>
              <Link to="/cases/$caseId" params={{ caseId: c.caseId }}>
                {record.data.caseNumber}
              </Link>
            </dd>
          </>
        )}
        {c.closureReason && (
          <>
            <dt>{t('coord.closure')}</dt>
            <dd>{c.closureReason}</dd>
          </>
        )}
      </dl>
      <Consents record={record.data} />
      <Actions c={c} />
      <section aria-labelledby="plan-title">
        <h2 id="plan-title">{t('coord.plan')}</h2>
        {canUpdate && EDITABLE.includes(c.state) ? <PlanEditor c={c} /> : <PlanView c={c} />}
      </section>
      {c.reviews && <Reviews c={c} canRecord={canUpdate && ['support', 'monitoring', 'replanning'].includes(c.state)} />}
      {c.evaluations && <Evaluations c={c} canRecord={canUpdate && c.state === 'evaluation'} />}
      {c.meetings && <Meetings c={c} canConvene={canUpdate} />}
    </article>
  );
}

function Consents({ record }: { record?: components['schemas']['CaseDetail'] }) {
  const { t } = useT();
  const label = useLabels();
  if (!record) return null;
  const live = liveConsents(record);
  const relation = (personId: string) => record.persons.find((p) => p.id === personId)?.relation ?? '';
  return (
    <section aria-labelledby="consent-title">
      <h2 id="consent-title">{t('coord.consent')}</h2>
      {live.length === 0 ? (
        <p className="notice">{t('coord.noConsent')}</p>
      ) : (
        <ul className="plain-list">
          {live.map((consent) => (
            <li key={consent.id}>{t('coord.consentOf', { relation: relation(consent.personId), date: consent.givenOn, method: label('consentMethod', consent.method) })}</li>
          ))}
        </ul>
      )}
    </section>
  );
}

/** One button per action the server allows now; the ones that need words ask for them first. */
function Actions({ c }: { c: CoordinationDetail }) {
  const { t } = useT();
  const label = useLabels();
  const queryClient = useQueryClient();
  const [asking, setAsking] = useState<Action | null>(null);
  const act = useMutation({
    mutationFn: ({ action, reason, meetingId }: { action: Action; reason?: string; meetingId?: string }) =>
      data(api.POST('/api/v1/coordination/cases/{id}/actions/{action}', { params: { path: { id: c.id, action } }, body: { version: c.version, reason, meetingId } })),
    onSuccess: () => {
      setAsking(null);
      void queryClient.invalidateQueries({ queryKey: ['coordination'] });
    },
  });
  const actionLabel = (action: Action) => label('coordination.event', action.toUpperCase().replace(/-/g, '_'));
  const jusoMeetings = (c.meetings ?? []).filter((m) => m.legalBasis === 'SWA_JUSO_KAIGI');
  // 支援決定 names the 重層的支援会議 that had the case: without one, the server would refuse it.
  const offered = c.allowedActions.filter((action) => action !== 'approve-plan' || jusoMeetings.length > 0);
  return (
    <section aria-labelledby="actions-title">
      <h2 id="actions-title">{t('coord.actions')}</h2>
      {asking && NEEDS_REASON.includes(asking) ? (
        <ReasonForm title={actionLabel(asking)} label={t('coord.actionReason', { action: actionLabel(asking) })} pending={act.isPending} onSend={(reason) => act.mutate({ action: asking, reason })} onCancel={() => setAsking(null)} />
      ) : asking === 'approve-plan' ? (
        <ApproveForm title={actionLabel(asking)} meetings={jusoMeetings} pending={act.isPending} onSend={(meetingId) => act.mutate({ action: 'approve-plan', meetingId })} onCancel={() => setAsking(null)} />
      ) : offered.length === 0 ? (
        <p>{t('coord.noActions')}</p>
      ) : (
        <div className="actions">
          {offered.map((action) => (
            <button
              key={action}
              type="button"
              className={action === 'suspend' || action === 'return-plan' ? 'secondary' : undefined}
              disabled={act.isPending}
              onClick={() => (NEEDS_REASON.includes(action) || action === 'approve-plan' ? setAsking(action) : act.mutate({ action }))}
            >
              {actionLabel(action)}
            </button>
          ))}
        </div>
      )}
      {c.allowedActions.includes('approve-plan') && jusoMeetings.length === 0 && <p className="hint">{t('coord.noJuso')}</p>}
      <MutationError error={act.error} />
    </section>
  );
}

function ApproveForm({ title, meetings, pending, onSend, onCancel }: { title: string; meetings: NonNullable<CoordinationDetail['meetings']>; pending: boolean; onSend: (meetingId: string) => void; onCancel: () => void }) {
  const { t } = useT();
  const id = useId();
  const [meetingId, setMeetingId] = useState(meetings[0].meetingId);
  const submit = (event: FormEvent) => {
    event.preventDefault();
    onSend(meetingId);
  };
  return (
    <form onSubmit={submit} className="inline-form" aria-label={title}>
      <label htmlFor={id}>{t('coord.approveMeeting')}</label>
      <select id={id} value={meetingId} onChange={(e) => setMeetingId(e.target.value)}>
        {meetings.map((m) => (
          <option key={m.meetingId} value={m.meetingId}>
            {new Date(m.sharedAt).toLocaleDateString('ja-JP')}
          </option>
        ))}
      </select>
      <button type="submit" disabled={pending}>
        {title} — {t('coord.send')}
      </button>
      <button type="button" className="secondary" onClick={onCancel}>
        {t('coord.cancel')}
      </button>
    </form>
  );
}

function Meetings({ c, canConvene }: { c: CoordinationDetail; canConvene: boolean }) {
  const { t } = useT();
  const label = useLabels();
  return (
    <section aria-labelledby="meetings-title">
      <h2 id="meetings-title">{t('coord.meetings')}</h2>
      {c.meetings!.length === 0 ? (
        <p>{t('coord.noMeetings')}</p>
      ) : (
        <ul className="plain-list">
          {c.meetings!.map((m) => (
            <li key={m.meetingId}>
              <Link to="/coordination/meetings/$meetingId" params={{ meetingId: m.meetingId }} search={{ coordinationId: c.id }}>
                {label('legalBasis', m.legalBasis)}
              </Link>{' '}
              <span className="hint">{t('coord.sharedAt', { time: new Date(m.sharedAt).toLocaleString('ja-JP') })}</span>
            </li>
          ))}
        </ul>
      )}
      {canConvene && <ConveneForm coordinationId={c.id} />}
    </section>
  );
}

/** 招集: the meeting is created, then its page adds members and shares this case with it. */
function ConveneForm({ coordinationId }: { coordinationId: string }) {
  const { t } = useT();
  const label = useLabels();
  const id = useId();
  const navigate = useNavigate();
  const kinds = useCodes<MeetingKind>('meetingKind');
  const [kind, setKind] = useState<MeetingKind>('shien_kaigi');
  const [title, setTitle] = useState('');
  const [heldOn, setHeldOn] = useState(todayInJapan());
  const [accessDays, setAccessDays] = useState(60);
  const convene = useMutation({
    mutationFn: () => data(api.POST('/api/v1/meetings', { body: { kind, title, heldOn, accessDays } })),
    onSuccess: (meeting) => void navigate({ to: '/coordination/meetings/$meetingId', params: { meetingId: meeting.id }, search: { coordinationId } }),
  });
  const submit = (event: FormEvent) => {
    event.preventDefault();
    convene.mutate();
  };
  return (
    <form onSubmit={submit} className="stack" aria-labelledby={`${id}-title`}>
      <h3 id={`${id}-title`}>{t('coord.convene')}</h3>
      <label htmlFor={`${id}-kind`}>{t('coord.kind')}</label>
      <select id={`${id}-kind`} value={kind} onChange={(e) => setKind(e.target.value as MeetingKind)}>
        {kinds.map((code) => (
          <option key={code} value={code}>
            {label('meetingKind', code)}
          </option>
        ))}
      </select>
      <label htmlFor={`${id}-name`}>{t('coord.meetingTitle')}</label>
      <input id={`${id}-name`} required maxLength={200} value={title} onChange={(e) => setTitle(e.target.value)} />
      <label htmlFor={`${id}-held`}>{t('coord.heldOn')}</label>
      <input id={`${id}-held`} type="date" required value={heldOn} onChange={(e) => setHeldOn(e.target.value)} />
      <label htmlFor={`${id}-days`}>{t('coord.accessDays')}</label>
      <input id={`${id}-days`} type="number" min={1} max={365} required value={accessDays} onChange={(e) => setAccessDays(Number(e.target.value))} />
      <button type="submit" disabled={convene.isPending || !title.trim()}>
        {t('coord.conveneSend')}
      </button>
      <MutationError error={convene.error} />
    </form>
  );
}
