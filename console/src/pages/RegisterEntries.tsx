import { useId, useState, type FormEvent } from 'react';
import { useInfiniteQuery, useMutation, useQuery, useQueryClient } from '@tanstack/react-query';
import { Link, useNavigate, useSearch } from '@tanstack/react-router';
import { api, data } from '../api/client';
import type { components, paths } from '../api/api';
import { useT } from '../i18n';
import { useLabels } from '../labels';
import { Status } from './Layout';
import { fullName } from './provision-sheets';
import { ENTRY_STATES as STATES, type EntryState } from './entries-search';

type Entry = components['schemas']['RegisterEntry'];
type EntryAction = Exclude<Entry['allowedActions'][number], 'save-plan'>;
type Provision = NonNullable<Entry['provision']>;
type Reason = NonNullable<Entry['removalReason']>;
const PROVISIONS: Provision[] = ['consent', 'refused', 'ordinance'];
const REASONS: Reason[] = ['death', 'moved_out', 'facility', 'not_eligible', 'own_request'];
/** The actions that need an answer first: the provision answer (登録・更新) or the removal reason (削除). */
const ASKS: Partial<Record<EntryAction, 'provision' | 'reason'>> = { register: 'provision', renew: 'provision', remove: 'reason' };

const ENTRIES = '/api/v1/evacuation-support/entries' satisfies keyof paths;

/** 登録案内 (notices): send them to every eligible candidate, print the mail merge, mark the batch mailed. */
function Notices() {
  const { t } = useT();
  const queryClient = useQueryClient();
  const [said, setSaid] = useState('');
  const done = (message: string) => {
    setSaid(message);
    void queryClient.invalidateQueries({ queryKey: ['register'] });
  };
  const send = useMutation({ mutationFn: () => data(api.POST('/api/v1/evacuation-support/notices', { body: {} })), onSuccess: (r) => done(t('notices.sent', { n: r.sent })) });
  const mailed = useMutation({ mutationFn: () => data(api.POST('/api/v1/evacuation-support/notices/actions/mark-mailed')), onSuccess: (r) => done(t('notices.mailed', { n: r.sent })) });
  // The CSV needs the bearer token, so it is fetched and handed to the browser as a file.
  const csv = useMutation({
    mutationFn: async () => {
      const blob = await data(api.GET('/api/v1/evacuation-support/notices.csv', { parseAs: 'blob' }));
      const link = Object.assign(document.createElement('a'), { href: URL.createObjectURL(blob as Blob), download: 'notices.csv' });
      link.click();
      URL.revokeObjectURL(link.href);
    },
  });
  const pending = send.isPending || mailed.isPending || csv.isPending;
  return (
    <section aria-labelledby="notices-title">
      <h2 id="notices-title">{t('notices.title')}</h2>
      <p className="hint">{t('notices.hint')}</p>
      <div className="actions">
        <button type="button" disabled={pending} onClick={() => send.mutate()}>
          {t('notices.send')}
        </button>
        <button type="button" className="secondary" disabled={pending} onClick={() => csv.mutate()}>
          {t('notices.csv')}
        </button>
        <button type="button" className="secondary" disabled={pending} onClick={() => mailed.mutate()}>
          {t('notices.markMailed')}
        </button>
      </div>
      <p role="status">{said}</p>
      <Status loading={false} error={send.error ?? mailed.error ?? csv.error} />
    </section>
  );
}

/** The answer an action needs (同意・不同意・条例 for 登録, 削除事由 for 削除), then sent. */
function AnswerForm({ entry, action, title, onSend, onCancel, pending }: { entry: Entry; action: EntryAction; title: string; onSend: (body: { provision?: Provision; reason?: Reason }) => void; onCancel: () => void; pending: boolean }) {
  const { t } = useT();
  const label = useLabels();
  const id = useId();
  const asks = ASKS[action]!;
  // 条例による提供 is an answer only where the tenant's provision model is the ordinance.
  const settings = useQuery({ queryKey: ['register', 'settings'], queryFn: () => data(api.GET('/api/v1/evacuation-support/settings')), staleTime: 5 * 60_000 });
  const answers = PROVISIONS.filter((code) => code !== 'ordinance' || settings.data?.provisionModel === 'ordinance');
  const [provision, setProvision] = useState<Provision>('consent');
  const [reason, setReason] = useState<Reason>('own_request');
  const submit = (event: FormEvent) => {
    event.preventDefault();
    onSend(asks === 'provision' ? { provision } : { reason });
  };
  return (
    <form onSubmit={submit} className="inline-form" aria-label={t('entries.actionFor', { action: title, name: fullName(entry.name) ?? entry.residentNumber ?? '' })}>
      <label htmlFor={id}>{asks === 'provision' ? t('entries.provision') : t('entries.reason')}</label>
      {asks === 'provision' ? (
        <select id={id} value={provision} onChange={(e) => setProvision(e.target.value as Provision)} autoFocus>
          {answers.map((code) => (
            <option key={code} value={code}>
              {label('provisionAnswer', code)}
            </option>
          ))}
        </select>
      ) : (
        <select id={id} value={reason} onChange={(e) => setReason(e.target.value as Reason)} autoFocus>
          {REASONS.map((code) => (
            <option key={code} value={code}>
              {label('removalReason', code)}
            </option>
          ))}
        </select>
      )}
      <div className="actions">
        <button type="submit" disabled={pending}>
          {t('entries.record', { action: title })}
        </button>
        <button type="button" className="secondary" onClick={onCancel}>
          {t('inbox.cancel')}
        </button>
      </div>
    </form>
  );
}

/** An entry's buttons, drawn from its allowedActions: never one the server would refuse. */
function EntryActions({ entry }: { entry: Entry }) {
  const { t } = useT();
  const label = useLabels();
  const queryClient = useQueryClient();
  const [asking, setAsking] = useState<EntryAction | null>(null);
  const act = useMutation({
    mutationFn: ({ action, ...body }: { action: EntryAction; provision?: Provision; reason?: Reason }) =>
      data(api.POST('/api/v1/evacuation-support/entries/{id}/actions/{action}', { params: { path: { id: entry.id, action } }, body: { version: entry.version, ...body } })),
    onSuccess: () => {
      setAsking(null);
      void queryClient.invalidateQueries({ queryKey: ['register'] });
    },
  });
  const title = (action: EntryAction) => label('register.event', action.replaceAll('-', '_').toUpperCase());
  const who = fullName(entry.name) ?? entry.residentNumber ?? '';
  if (asking) return <AnswerForm entry={entry} action={asking} title={title(asking)} pending={act.isPending} onCancel={() => setAsking(null)} onSend={(body) => act.mutate({ action: asking, ...body })} />;
  return (
    <div className="actions">
      {entry.allowedActions.map((action) =>
        action === 'save-plan' ? (
          <Link key={action} to="/register/entries/$entryId/plan" params={{ entryId: entry.id }} aria-label={t('entries.actionFor', { action: t('plan.edit'), name: who })}>
            {t('plan.edit')}
          </Link>
        ) : (
          <button
            key={action}
            type="button"
            className={action === 'remove' || action === 'decline' ? 'secondary' : undefined}
            disabled={act.isPending}
            aria-label={t('entries.actionFor', { action: title(action), name: who })}
            onClick={() => (ASKS[action] ? setAsking(action) : act.mutate({ action }))}
          >
            {title(action)}
          </button>
        ),
      )}
      {act.isError && <p role="alert" className="error">{t('error', { message: act.error.message })}</p>}
    </div>
  );
}

/** 名簿の登録と同意: every entry with its state, the criteria it met, the answer recorded, and what can be done next. */
export function RegisterEntries() {
  const { t, lang } = useT();
  const label = useLabels();
  const search = useSearch({ from: '/signed-in/register/entries' });
  const navigate = useNavigate({ from: '/register/entries' });
  const figures = useQuery({ queryKey: ['register', 'figures'], queryFn: () => data(api.GET('/api/v1/evacuation-support/figures')) });
  const entries = useInfiniteQuery({
    queryKey: ['register', 'entries', 'all', search],
    queryFn: ({ pageParam }) => data(api.GET(ENTRIES, { params: { query: { limit: 50, ...(search.district && { districtCode: search.district }), ...(search.state && { state: search.state }), ...(pageParam && { cursor: pageParam }) } } })),
    initialPageParam: '',
    getNextPageParam: (last) => last.next ?? undefined,
  });
  const rows = entries.data?.pages.flatMap((p) => p.items) ?? [];
  const districts = figures.data?.filter((f) => f.district !== 'all').map((f) => f.district) ?? [];
  const withheld = <span className="withheld">{t('case.withheld')}</span>;
  return (
    <section aria-labelledby="entries-title">
      <h1 id="entries-title">{t('entries.title')}</h1>
      <Notices />
      <h2>{t('entries.list')}</h2>
      <form className="filters" onSubmit={(e) => e.preventDefault()}>
        <label>
          {t('register.district')}
          <select value={search.district ?? ''} onChange={(e) => void navigate({ search: { ...search, district: e.target.value || undefined } })}>
            <option value="">{t('cases.all')}</option>
            {districts.map((code) => (
              <option key={code} value={code}>
                {t('roster.district', { code })}
              </option>
            ))}
          </select>
        </label>
        <label>
          {t('inbox.state')}
          <select value={search.state ?? ''} onChange={(e) => void navigate({ search: { ...search, state: (e.target.value || undefined) as EntryState | undefined } })}>
            <option value="">{t('cases.all')}</option>
            {STATES.map((code) => (
              <option key={code} value={code}>
                {label('register.state', code)}
              </option>
            ))}
          </select>
        </label>
      </form>
      <Status loading={entries.isPending} error={entries.error} />
      {entries.isSuccess && rows.length === 0 && <p>{t('cases.empty')}</p>}
      {rows.length > 0 && (
        <table className="data-table">
          <thead>
            <tr>
              <th scope="col">{t('register.residentNumber')}</th>
              <th scope="col">{t('field.name')}</th>
              <th scope="col">{t('field.address')}</th>
              <th scope="col">{t('register.district')}</th>
              <th scope="col">{t('inbox.state')}</th>
              <th scope="col">{t('entries.eligibility')}</th>
              <th scope="col">{t('entries.provision')}</th>
              <th scope="col">{t('register.plans')}</th>
              <th scope="col">{t('inbox.actions')}</th>
            </tr>
          </thead>
          <tbody>
            {rows.map((entry) => (
              <tr key={entry.id}>
                <td>{entry.residentNumber ?? '—'}</td>
                <td>{entry.withheldFields.includes('name') ? withheld : (fullName(entry.name) ?? <span className="not-held">{t('case.notHeld')}</span>)}</td>
                <td>{entry.contactWithheld || entry.withheldFields.includes('address') ? withheld : (entry.address ?? <span className="not-held">{t('case.notHeld')}</span>)}</td>
                <td className="nowrap">{t('roster.district', { code: entry.districtCode })}</td>
                <td className="nowrap">{label('register.state', entry.state)}</td>
                <td>{entry.eligibility.map((e) => e.label[lang]).join('、') || t('entries.notEligible')}</td>
                <td>{entry.provision ? label('provisionAnswer', entry.provision) : '—'}</td>
                <td>{entry.plan ? t('entries.planMade') : '—'}</td>
                <td>
                  <EntryActions entry={entry} />
                </td>
              </tr>
            ))}
          </tbody>
        </table>
      )}
      {entries.hasNextPage && (
        <button type="button" className="secondary" onClick={() => void entries.fetchNextPage()} disabled={entries.isFetchingNextPage}>
          {t('more')}
        </button>
      )}
    </section>
  );
}
