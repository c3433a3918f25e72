import { useId, useState, type FormEvent } from 'react';
import { useInfiniteQuery, useMutation, useQueryClient } from '@tanstack/react-query';
import { Link } from '@tanstack/react-router';
import { api, data } from '../api/client';
import type { components } from '../api/api';
import { useT } from '../i18n';
import { useDepartmentNames, useLabels } from '../labels';
import { Status } from './Layout';

type Referral = components['schemas']['ReferralSummary'];
type Action = Referral['allowedActions'][number];
type Outcome = NonNullable<Referral['outcome']>;
const OUTCOMES: Outcome[] = ['resolved', 'continuing', 're_referred', 'unreachable', 'out_of_scope', 'cannot_accept', 'person_declined'];
/** Actions that need words from the counselor before they are sent. */
const ASKS: Partial<Record<Action, 'reason' | 'outcome'>> = { decline: 'reason', complete: 'outcome' };

/** 受信した依頼: what other departments asked of mine, deadlines first, buttons only for what the server allows. */
export function Inbox() {
  const { t } = useT();
  const label = useLabels();
  const department = useDepartmentNames();
  const referrals = useInfiniteQuery({
    queryKey: ['referrals', 'incoming'],
    queryFn: ({ pageParam }) => data(api.GET('/api/v1/referrals', { params: { query: { box: 'incoming', limit: 50, ...(pageParam && { cursor: pageParam }) } } })),
    initialPageParam: '',
    getNextPageParam: (page) => page.next ?? undefined,
    // New and answered referrals show up without a reload; the time of the last look is on the page.
    refetchInterval: 30_000,
  });
  const items = referrals.data?.pages.flatMap((page) => page.items) ?? [];
  return (
    <section aria-labelledby="inbox-title">
      <h1 id="inbox-title">{t('inbox.title')}</h1>
      {referrals.dataUpdatedAt > 0 && (
        <p className="hint">
          {t('inbox.updated', { time: new Date(referrals.dataUpdatedAt).toLocaleTimeString('ja-JP') })}
        </p>
      )}
      <Status loading={referrals.isPending} error={referrals.error} />
      {referrals.isSuccess && items.length === 0 && <p>{t('inbox.empty')}</p>}
      {items.length > 0 && (
        <table className="data-table">
          <thead>
            <tr>
              <th scope="col">{t('inbox.due')}</th>
              <th scope="col">{t('inbox.from')}</th>
              <th scope="col">{t('inbox.purpose')}</th>
              <th scope="col">{t('inbox.state')}</th>
              <th scope="col">{t('inbox.case')}</th>
              <th scope="col">{t('inbox.actions')}</th>
            </tr>
          </thead>
          <tbody>
            {items.map((referral) => (
              <tr key={referral.id} className={referral.overdue ? 'overdue' : undefined}>
                <td>
                  <time dateTime={referral.dueOn}>{referral.dueOn}</time>
                  {referral.overdue && <span className="badge badge-error">{t('inbox.overdue')}</span>}
                </td>
                <td>{department(referral.fromDepartmentId)}</td>
                <td>{referral.purpose}</td>
                <td>{label('referral.state', referral.state)}</td>
                <td>
                  <Link to="/cases/$caseId" params={{ caseId: referral.caseId }} aria-label={`${t('inbox.openCase')}（${referral.purpose}）`}>
                    {t('inbox.openCase')}
                  </Link>
                </td>
                <td>
                  <ReferralActions referral={referral} />
                </td>
              </tr>
            ))}
          </tbody>
        </table>
      )}
      {referrals.hasNextPage && (
        <button type="button" className="secondary" onClick={() => void referrals.fetchNextPage()} disabled={referrals.isFetchingNextPage}>
          {t('more')}
        </button>
      )}
    </section>
  );
}

function ReferralActions({ referral }: { referral: Referral }) {
  const { t } = useT();
  const label = useLabels();
  const queryClient = useQueryClient();
  const [asking, setAsking] = useState<Action | null>(null);
  const act = useMutation({
    mutationFn: ({ action, reason, outcome }: { action: Action; reason?: string; outcome?: Outcome }) =>
      data(api.POST('/api/v1/referrals/{id}/actions/{action}', { params: { path: { id: referral.id, action } }, body: { version: referral.version, reason, outcome } })),
    onSuccess: () => {
      setAsking(null);
      void queryClient.invalidateQueries({ queryKey: ['referrals'] });
    },
  });
  const actionLabel = (action: Action) => label('referral.event', action.toUpperCase());
  if (asking) return <ActionForm action={asking} title={actionLabel(asking)} pending={act.isPending} onCancel={() => setAsking(null)} onSend={(words) => act.mutate({ action: asking, ...words })} />;
  return (
    <div className="actions">
      {referral.allowedActions.map((action) => (
        <button
          key={action}
          type="button"
          className={action === 'decline' || action === 'withdraw' ? 'secondary' : undefined}
          disabled={act.isPending}
          aria-label={t('inbox.actionFor', { action: actionLabel(action), purpose: referral.purpose })}
          onClick={() => (ASKS[action] ? setAsking(action) : act.mutate({ action }))}
        >
          {actionLabel(action)}
        </button>
      ))}
      {act.isError && <p role="alert" className="error">{t('error', { message: act.error.message })}</p>}
    </div>
  );
}

function ActionForm({ action, title, pending, onSend, onCancel }: { action: Action; title: string; pending: boolean; onSend: (words: { reason?: string; outcome?: Outcome }) => void; onCancel: () => void }) {
  const { t } = useT();
  const label = useLabels();
  const id = useId();
  const [reason, setReason] = useState('');
  const [outcome, setOutcome] = useState<Outcome>('resolved');
  const submit = (event: FormEvent) => {
    event.preventDefault();
    onSend(ASKS[action] === 'reason' ? { reason } : { outcome });
  };
  return (
    <form onSubmit={submit} className="inline-form" aria-label={title}>
      {ASKS[action] === 'reason' ? (
        <>
          <label htmlFor={id}>{t('inbox.reason')}</label>
          <textarea id={id} required maxLength={1000} value={reason} onChange={(e) => setReason(e.target.value)} autoFocus />
        </>
      ) : (
        <>
          <label htmlFor={id}>{t('inbox.outcome')}</label>
          <select id={id} value={outcome} onChange={(e) => setOutcome(e.target.value as Outcome)}>
            {OUTCOMES.map((code) => (
              <option key={code} value={code}>
                {label('referralOutcome', code)}
              </option>
            ))}
          </select>
        </>
      )}
      <button type="submit" disabled={pending}>
        {title} — {t('inbox.send')}
      </button>
      <button type="button" className="secondary" onClick={onCancel}>
        {t('inbox.cancel')}
      </button>
    </form>
  );
}
