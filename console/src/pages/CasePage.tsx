import { useId, type FormEvent } from 'react';
import { useInfiniteQuery, useMutation, useQuery, useQueryClient } from '@tanstack/react-query';
import { useParams } from '@tanstack/react-router';
import { api, data } from '../api/client';
import type { components } from '../api/api';
import { useT } from '../i18n';
import { useDepartmentNames, useLabels } from '../labels';
import type { MessageKey } from '../messages';
import { useDraft } from '../drafts';
import { Status } from './Layout';
import { ReferForm } from './ReferForm';
import { PersonConsents } from './PersonConsents';

type Person = components['schemas']['CasePersonView'];
type PersonField = Person['withheldFields'][number];
const SHOWN_FIELDS: PersonField[] = ['name', 'kana', 'birthDate', 'sex', 'address', 'phone', 'email', 'careLevel', 'disability', 'medicalHistory'];

export function CasePage() {
  const { t } = useT();
  const label = useLabels();
  const { caseId } = useParams({ from: '/signed-in/cases/$caseId' });
  const detail = useQuery({ queryKey: ['case', caseId], queryFn: () => data(api.GET('/api/v1/cases/{id}', { params: { path: { id: caseId } } })) });
  if (!detail.data) return <Status loading={detail.isPending} error={detail.error} />;
  const c = detail.data;
  return (
    <article aria-labelledby="case-title">
      <h1 id="case-title">
        {c.caseNumber} {c.title}
      </h1>
      <dl className="facts">
        <dt>{t('inbox.state')}</dt>
        <dd>{label('case.state', c.state)}</dd>
        <dt>{t('case.lead')}</dt>
        <dd>{c.leadDepartment.name}</dd>
        {c.household && (
          <>
            <dt>{t('case.household')}</dt>
            <dd>{c.household.name}</dd>
          </>
        )}
        <dt>{t('case.issues')}</dt>
        <dd>{c.issues.map((issue) => label('issueTag', issue.code)).join('、')}</dd>
      </dl>
      <section aria-labelledby="persons-title">
        <h2 id="persons-title">{t('case.persons')}</h2>
        <div className="cards">
          {c.persons.map((person) => (
            <PersonCard key={person.id} person={person} />
          ))}
        </div>
      </section>
      {c.allowedActions.includes('record-consent') && <PersonConsents persons={c.persons} />}
      <Referrals referrals={c.referrals} />
      {c.allowedActions.includes('refer') && <ReferForm c={c} />}
      <section aria-labelledby="notes-title">
        <h2 id="notes-title">{t('case.notes')}</h2>
        {c.notes.length === 0 ? (
          <p>{t('case.noNotes')}</p>
        ) : (
          <ul className="notes">
            {c.notes.map((note) => (
              <li key={note.id}>
                <time dateTime={note.createdAt}>{new Date(note.createdAt).toLocaleString('ja-JP')}</time>
                <p>{note.body}</p>
              </li>
            ))}
          </ul>
        )}
        {c.allowedActions.includes('add-note') && <NoteForm caseId={caseId} />}
      </section>
      <Timeline caseId={caseId} />
    </article>
  );
}

function PersonCard({ person }: { person: Person }) {
  const { t } = useT();
  const label = useLabels();
  const value = (field: PersonField): string | null => {
    switch (field) {
      case 'name':
        return person.name ? `${person.name.family} ${person.name.given}` : null;
      case 'kana':
        return person.kana && (person.kana.family || person.kana.given) ? `${person.kana.family ?? ''} ${person.kana.given ?? ''}`.trim() : null;
      case 'sex':
        return person.sex ? label('sex', person.sex) : null;
      case 'handbooks':
        return person.handbooks?.join('、') || null;
      default:
        return (person[field] as string | null | undefined) ?? null;
    }
  };
  return (
    <section className="card" aria-label={`${t('case.relation')}: ${person.relation}`}>
      <h3>{person.relation}</h3>
      {person.contactWithheld && <p className="notice">{t('case.contactWithheld')}</p>}
      <dl className="facts">
        {/* A field neither answered nor withheld is not part of this reader's view at all: no row. */}
        {SHOWN_FIELDS.filter((field) => field in person || person.withheldFields.includes(field)).map((field) => (
          <div key={field} className="fact">
            <dt>{t(`field.${field}` as MessageKey)}</dt>
            <dd>
              {/* Withheld is said as withheld, never shown as an empty field. */}
              {person.withheldFields.includes(field) ? (
                <span className="withheld">{t('case.withheld')}</span>
              ) : (
                (value(field) ?? <span className="not-held">{t('case.notHeld')}</span>)
              )}
            </dd>
          </div>
        ))}
      </dl>
    </section>
  );
}

function Referrals({ referrals }: { referrals: components['schemas']['CaseDetail']['referrals'] }) {
  const { t } = useT();
  const label = useLabels();
  const department = useDepartmentNames();
  if (referrals.length === 0) return null;
  return (
    <section aria-labelledby="referrals-title">
      <h2 id="referrals-title">{t('case.referrals')}</h2>
      <ul className="plain-list">
        {referrals.map((referral) => (
          <li key={referral.id}>
            {department(referral.fromDepartmentId)} → {department(referral.toDepartmentId)}（{label('referral.state', referral.state)}、{t('inbox.due')} {referral.dueOn}）
          </li>
        ))}
      </ul>
    </section>
  );
}

function NoteForm({ caseId }: { caseId: string }) {
  const { t } = useT();
  const id = useId();
  const queryClient = useQueryClient();
  const [body, setBody, discardBody] = useDraft(`note.${caseId}`, '');
  const add = useMutation({
    mutationFn: () => data(api.POST('/api/v1/cases/{id}/notes', { params: { path: { id: caseId } }, body: { body } })),
    onSuccess: () => {
      discardBody();
      void queryClient.invalidateQueries({ queryKey: ['case', caseId] });
      void queryClient.invalidateQueries({ queryKey: ['timeline', caseId] });
    },
  });
  const submit = (event: FormEvent) => {
    event.preventDefault();
    add.mutate();
  };
  return (
    <form onSubmit={submit} className="stack">
      <label htmlFor={id}>{t('case.noteBody')}</label>
      <textarea
        id={id}
        required
        maxLength={5000}
        value={body}
        aria-describedby={`${id}-hint`}
        onChange={(e) => setBody(e.target.value)}
      />
      <p id={`${id}-hint`} className="hint">
        {t('case.noteDraft')}
      </p>
      <button type="submit" disabled={add.isPending || !body.trim()}>
        {t('case.addNote')}
      </button>
      {add.isError && <p role="alert" className="error">{t('error', { message: add.error.message })}</p>}
    </form>
  );
}

function Timeline({ caseId }: { caseId: string }) {
  const { t, lang } = useT();
  const timeline = useInfiniteQuery({
    queryKey: ['timeline', caseId],
    queryFn: ({ pageParam }) => data(api.GET('/api/v1/cases/{id}/timeline', { params: { path: { id: caseId }, query: { limit: 50, ...(pageParam && { cursor: pageParam }) } } })),
    initialPageParam: '',
    getNextPageParam: (page) => page.next ?? undefined,
  });
  const entries = timeline.data?.pages.flatMap((page) => page.items) ?? [];
  return (
    <section aria-labelledby="timeline-title">
      <h2 id="timeline-title">{t('case.timeline')}</h2>
      <Status loading={timeline.isPending} error={timeline.error} />
      <ol className="timeline">
        {entries.map((entry) => (
          <li key={entry.id}>
            <time dateTime={entry.at}>{new Date(entry.at).toLocaleString('ja-JP')}</time> {entry.text[lang]}
            {entry.actor.name && <span className="hint">（{[entry.department, entry.actor.name].filter(Boolean).join(' ')}）</span>}
          </li>
        ))}
      </ol>
      {timeline.hasNextPage && (
        <button type="button" className="secondary" onClick={() => void timeline.fetchNextPage()} disabled={timeline.isFetchingNextPage}>
          {t('more')}
        </button>
      )}
    </section>
  );
}
