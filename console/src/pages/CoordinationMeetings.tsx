import { useState } from 'react';
import { useQuery } from '@tanstack/react-query';
import { Link } from '@tanstack/react-router';
import { api, data } from '../api/client';
import type { components } from '../api/api';
import { useT } from '../i18n';
import { useLabels } from '../labels';
import type { MessageKey } from '../messages';
import { Status } from './Layout';
import { MoreButton, usePagedList } from './coordination-shared';

type SharedPerson = components['schemas']['SharedPerson'];
type PersonField = SharedPerson['withheldFields'][number];

/** 会議: the meetings I may see (a member until access lapses), by the day held. */
export function CoordinationMeetings() {
  const { t } = useT();
  const label = useLabels();
  const { query, items } = usePagedList<components['schemas']['MeetingSummary']>(['meetings'], (cursor) => data(api.GET('/api/v1/meetings', { params: { query: { limit: 50, ...(cursor && { cursor }) } } })));
  return (
    <section aria-labelledby="meetings-list-title">
      <h1 id="meetings-list-title">{t('meetings.title')}</h1>
      <Status loading={query.isPending} error={query.error} />
      {query.isSuccess && items.length === 0 && <p>{t('meetings.empty')}</p>}
      {items.length > 0 && (
        <table className="data-table">
          <thead>
            <tr>
              <th scope="col">{t('coord.heldOn')}</th>
              <th scope="col">{t('coord.kind')}</th>
              <th scope="col">{t('coord.meetingTitle')}</th>
              <th scope="col">{t('meeting.accessUntil')}</th>
            </tr>
          </thead>
          <tbody>
            {items.map((m) => (
              <tr key={m.id}>
                <td>{m.heldOn}</td>
                <td>{label('meetingKind', m.kind)}</td>
                <td>
                  <Link to="/coordination/meetings/$meetingId" params={{ meetingId: m.id }} search={{}}>
                    {m.title ?? label('meetingKind', m.kind)}
                  </Link>
                </td>
                <td>{m.accessUntil}</td>
              </tr>
            ))}
          </tbody>
        </table>
      )}
      <MoreButton query={query} />
    </section>
  );
}

const SHOWN: PersonField[] = ['name', 'kana', 'birthDate', 'sex', 'address', 'phone', 'email', 'careLevel', 'disability', 'medicalHistory'];

/**
 * What was shared about a case at the meeting, as it was when shared: read by a member on request
 * (each read is audited, so nothing is fetched until asked), withheld fields said as withheld.
 */
export function SharedCaseView({ meetingId, caseId }: { meetingId: string; caseId: string }) {
  const { t } = useT();
  const label = useLabels();
  const [open, setOpen] = useState(false);
  const shared = useQuery({ queryKey: ['meeting', meetingId, 'case', caseId], enabled: open, queryFn: () => data(api.GET('/api/v1/meetings/{id}/cases/{caseId}', { params: { path: { id: meetingId, caseId } } })) });
  if (!open) {
    return (
      <button type="button" className="secondary" onClick={() => setOpen(true)}>
        {t('meetings.read')}
      </button>
    );
  }
  if (!shared.data) return <Status loading={shared.isPending} error={shared.error} />;
  const { case: values, persons } = shared.data;
  const value = (person: SharedPerson, field: PersonField): string | null => {
    if (field === 'name') return person.name ? `${person.name.family} ${person.name.given}` : null;
    if (field === 'kana') return person.kana ? `${person.kana.family ?? ''} ${person.kana.given ?? ''}`.trim() : null;
    if (field === 'sex') return person.sex ? label('sex', person.sex) : null;
    return (person[field] as string | null | undefined) ?? null;
  };
  return (
    <div className="card">
      <dl className="facts">
        {values.issues && (
          <>
            <dt>{t('case.issues')}</dt>
            <dd>{values.issues.map((code) => label('issueTag', code)).join('、')}</dd>
          </>
        )}
        {values.summary !== undefined && (
          <>
            <dt>{label('caseField', 'summary')}</dt>
            <dd>{values.summary}</dd>
          </>
        )}
      </dl>
      {persons.map((person) => (
        <section key={person.personId} aria-label={`${t('case.relation')}: ${person.relation}`}>
          <h3>{person.relation}</h3>
          <dl className="facts">
            {SHOWN.filter((field) => field in person || person.withheldFields.includes(field)).map((field) => (
              <div key={field} className="fact">
                <dt>{t(`field.${field}` as MessageKey)}</dt>
                <dd>{person.withheldFields.includes(field) ? <span className="withheld">{t('case.withheld')}</span> : (value(person, field) ?? <span className="not-held">{t('case.notHeld')}</span>)}</dd>
              </div>
            ))}
          </dl>
        </section>
      ))}
    </div>
  );
}
