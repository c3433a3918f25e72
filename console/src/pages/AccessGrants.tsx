import { useId, useState, type FormEvent } from 'react';
import { useMutation, useQuery, useQueryClient } from '@tanstack/react-query';
import { api, data } from '../api/client';
import type { components } from '../api/api';
import { useDraft } from '../drafts';
import { useT } from '../i18n';
import type { MessageKey } from '../messages';
import { AuditNav } from './Audit';
import { Status, useMe } from './Layout';

type Grant = components['schemas']['AccessGrantView'];
type GrantAction = Grant['allowedActions'][number];
const when = (at: string | null) => (at ? <time dateTime={at}>{new Date(at).toLocaleString('ja-JP', { timeZone: 'Asia/Tokyo' })}</time> : '—');

/**
 * 監査のための閲覧特例 (access grants): an auditor asks to read one case for a few hours, with a reason;
 * an administrator (never the one who asked) approves or declines. Names, not ids, say who did what.
 */
export function AccessGrants() {
  const { t } = useT();
  const me = useMe();
  const grants = useQuery({ queryKey: ['access-grants'], queryFn: () => data(api.GET('/api/v1/audit/access-grants', { params: { query: { limit: 100 } } })) });
  const audits = me.data?.kind === 'staff' && me.data.roles.some((r) => r.role === 'auditor');
  return (
    <section aria-labelledby="grants-title">
      {audits && <AuditNav />}
      <h1 id="grants-title">{t('grant.title')}</h1>
      {audits && <RequestGrantForm />}
      <Status loading={grants.isPending} error={grants.error} />
      {grants.isSuccess && grants.data.items.length === 0 && <p>{t('grant.none')}</p>}
      {grants.isSuccess && grants.data.items.length > 0 && (
        <table className="data-table">
          <thead>
            <tr>
              <th scope="col">{t('grant.case')}</th>
              <th scope="col">{t('grant.requestedBy')}</th>
              <th scope="col">{t('grant.reason')}</th>
              <th scope="col">{t('grant.hours')}</th>
              <th scope="col">{t('inbox.state')}</th>
              <th scope="col">{t('grant.decidedBy')}</th>
              <th scope="col">{t('inbox.actions')}</th>
            </tr>
          </thead>
          <tbody>
            {grants.data.items.map((grant) => (
              <tr key={grant.id}>
                <td>{grant.caseNumber ?? '—'}</td>
                <td>
                  {grant.requestedByName ?? '—'}
                  <div className="hint">{when(grant.requestedAt)}</div>
                </td>
                <td>{grant.reason}</td>
                <td>
                  {grant.hours}
                  {grant.includeSensitive && <div className="hint">{t('grant.sensitive')}</div>}
                </td>
                <td>
                  {t(`grant.state.${grant.state}` as MessageKey)}
                  {grant.expiresAt && <div className="hint">{t('grant.until')} {when(grant.expiresAt)}</div>}
                </td>
                <td>{grant.decidedByName ?? grant.revokedByName ?? '—'}</td>
                <td>
                  <GrantActions grant={grant} />
                </td>
              </tr>
            ))}
          </tbody>
        </table>
      )}
    </section>
  );
}

function RequestGrantForm() {
  const { t } = useT();
  const id = useId();
  const queryClient = useQueryClient();
  const [draft, setDraft, discard] = useDraft('access-grant', { caseId: '', reason: '', hours: 8, includeSensitive: false });
  const request = useMutation({
    mutationFn: () => data(api.POST('/api/v1/audit/access-grants', { body: { caseId: draft.caseId.trim(), reason: draft.reason.trim(), hours: draft.hours, includeSensitive: draft.includeSensitive } })),
    onSuccess: () => {
      discard();
      void queryClient.invalidateQueries({ queryKey: ['access-grants'] });
    },
  });
  const submit = (event: FormEvent) => {
    event.preventDefault();
    request.mutate();
  };
  return (
    <form onSubmit={submit} className="stack" aria-label={t('grant.request')}>
      <h2>{t('grant.request')}</h2>
      <label htmlFor={`${id}-case`}>{t('grant.caseId')}</label>
      <input id={`${id}-case`} required className="mono" size={38} value={draft.caseId} onChange={(e) => setDraft({ ...draft, caseId: e.target.value })} />
      <label htmlFor={`${id}-reason`}>{t('grant.reasonHint')}</label>
      <textarea id={`${id}-reason`} required minLength={10} maxLength={2000} value={draft.reason} onChange={(e) => setDraft({ ...draft, reason: e.target.value })} />
      <label htmlFor={`${id}-hours`}>{t('grant.hours')}</label>
      <input id={`${id}-hours`} type="number" min={1} max={72} required value={draft.hours} onChange={(e) => setDraft({ ...draft, hours: Number(e.target.value) })} />
      <label>
        <input type="checkbox" checked={draft.includeSensitive} onChange={(e) => setDraft({ ...draft, includeSensitive: e.target.checked })} /> {t('grant.sensitive')}
      </label>
      <button type="submit" disabled={request.isPending}>
        {t('grant.send')}
      </button>
      {request.isError && <p role="alert" className="error">{t('error', { message: request.error.message })}</p>}
      {request.isSuccess && <p role="status">{t('grant.sent')}</p>}
    </form>
  );
}

function GrantActions({ grant }: { grant: Grant }) {
  const { t } = useT();
  const queryClient = useQueryClient();
  const [asking, setAsking] = useState<GrantAction | null>(null);
  const [reason, setReason] = useState('');
  const act = useMutation({
    mutationFn: (action: GrantAction) =>
      data(api.POST(`/api/v1/audit/access-grants/{id}/${action}`, { params: { path: { id: grant.id } }, body: { version: grant.version, ...(reason.trim() && { reason: reason.trim() }) } })),
    onSuccess: () => {
      setAsking(null);
      void queryClient.invalidateQueries({ queryKey: ['access-grants'] });
    },
  });
  const name = (action: GrantAction) => t(`grant.action.${action}` as MessageKey);
  if (asking) {
    return (
      <form
        className="inline-form"
        aria-label={name(asking)}
        onSubmit={(event) => {
          event.preventDefault();
          act.mutate(asking);
        }}
      >
        <label>
          {t('grant.actionReason')}
          <input required value={reason} onChange={(e) => setReason(e.target.value)} />
        </label>
        <button type="submit" disabled={act.isPending}>
          {name(asking)}
        </button>
        <button type="button" className="secondary" onClick={() => setAsking(null)}>
          {t('inbox.cancel')}
        </button>
      </form>
    );
  }
  return (
    <div className="actions">
      {grant.allowedActions.map((action) => (
        <button
          key={action}
          type="button"
          className={action === 'approve' ? undefined : 'secondary'}
          aria-label={`${name(action)}（${grant.caseNumber ?? grant.caseId}）`}
          disabled={act.isPending}
          onClick={() => (action === 'approve' ? act.mutate(action) : setAsking(action))}
        >
          {name(action)}
        </button>
      ))}
      {act.isError && <p role="alert" className="error">{t('error', { message: act.error.message })}</p>}
    </div>
  );
}
