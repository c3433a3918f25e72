import { useId, useState, type FormEvent } from 'react';
import { useMutation, useQuery, useQueryClient } from '@tanstack/react-query';
import { api, data } from '../api/client';
import type { components } from '../api/api';
import { useDraft } from '../drafts';
import { useT } from '../i18n';
import { useDepartmentNames, useLabels } from '../labels';
import { useCodes } from './coordination-shared';
import { Status } from './Layout';

type Person = components['schemas']['CasePersonView'];
type Consent = components['schemas']['PersonConsent'];
type Scope = Consent['fieldGroups'][number];
type Method = Consent['method'];
type MeetingKind = Extract<Consent['recipients'][number], { type: 'meeting' }>['meetingKind'];
const SCOPES: Scope[] = ['basic', 'contact', 'sensitive', 'case'];
const METHODS: Method[] = ['written', 'oral', 'electronic'];
const today = () => new Date().toLocaleDateString('sv-SE'); // YYYY-MM-DD, local

/** 本人同意 on the case page: each person's consents (GET /people/:id/consents) and recording a new one. */
export function PersonConsents({ persons }: { persons: Person[] }) {
  const { t } = useT();
  return (
    <section aria-labelledby="consents-title">
      <h2 id="consents-title">{t('consent.title')}</h2>
      {persons.map((person) => (
        <PersonConsentList key={person.id} person={person} />
      ))}
    </section>
  );
}

function PersonConsentList({ person }: { person: Person }) {
  const { t } = useT();
  const label = useLabels();
  const department = useDepartmentNames();
  const [recording, setRecording] = useState(false);
  const consents = useQuery({ queryKey: ['consents', person.id], queryFn: () => data(api.GET('/api/v1/people/{id}/consents', { params: { path: { id: person.id }, query: { limit: 100 } } })) });
  const recipient = (r: Consent['recipients'][number]) =>
    r.type === 'department' ? department(r.departmentId) : r.type === 'meeting' ? label('meetingKind', r.meetingKind) : label('consentRecipientType', r.type);
  const heading = t('consent.of', { relation: person.relation });
  return (
    <section aria-label={heading} className="card">
      <h3>{heading}</h3>
      <Status loading={consents.isPending} error={consents.error} />
      {consents.data && consents.data.items.length === 0 && <p>{t('consent.none')}</p>}
      {consents.data && consents.data.items.length > 0 && (
        <table className="data-table">
          <thead>
            <tr>
              <th scope="col">{t('consent.recipients')}</th>
              <th scope="col">{t('consent.scopes')}</th>
              <th scope="col">{t('consent.purpose')}</th>
              <th scope="col">{t('consent.period')}</th>
              <th scope="col">{t('consent.method')}</th>
              <th scope="col">{t('inbox.state')}</th>
            </tr>
          </thead>
          <tbody>
            {consents.data.items.map((consent) => (
              <tr key={consent.id}>
                <td>{consent.recipients.map(recipient).join('、')}</td>
                <td>{consent.fieldGroups.map((scope) => label('consentScope', scope)).join('、')}</td>
                <td>{consent.purpose}</td>
                <td>
                  {consent.givenOn} 〜 {consent.endsOn ?? ''}
                </td>
                <td>{label('consentMethod', consent.method)}</td>
                <td>{label('consentStatus', consent.status)}</td>
              </tr>
            ))}
          </tbody>
        </table>
      )}
      {recording ? (
        <RecordConsentForm person={person} onDone={() => setRecording(false)} />
      ) : (
        <button type="button" className="secondary" onClick={() => setRecording(true)}>
          {t('consent.record', { relation: person.relation })}
        </button>
      )}
    </section>
  );
}

interface ConsentDraft {
  departmentIds: string[];
  /** A consent may name a kind of meeting (the 重層的支援会議) rather than each member's department. */
  meetingKinds: MeetingKind[];
  scopes: Scope[];
  purpose: string;
  givenOn: string;
  endsOn: string;
  method: Method;
}

function RecordConsentForm({ person, onDone }: { person: Person; onDone: () => void }) {
  const { t } = useT();
  const label = useLabels();
  const id = useId();
  const queryClient = useQueryClient();
  const departments = useQuery({ queryKey: ['departments'], queryFn: () => data(api.GET('/api/v1/departments', { params: { query: { limit: 200 } } })), staleTime: 5 * 60_000 });
  const meetingKinds = useCodes<MeetingKind>('meetingKind');
  const [stored, setDraft, discard] = useDraft<ConsentDraft>(`consent.${person.id}`, { departmentIds: [], meetingKinds: [], scopes: ['basic'], purpose: '', givenOn: today(), endsOn: '', method: 'written' });
  const draft = { ...stored, meetingKinds: stored.meetingKinds ?? [] }; // a draft kept before meetings were offered
  const edit = (next: Partial<ConsentDraft>) => setDraft({ ...draft, ...next });
  const toggle = <T,>(list: T[], item: T) => (list.includes(item) ? list.filter((x) => x !== item) : [...list, item]);
  const record = useMutation({
    mutationFn: () =>
      data(
        api.POST('/api/v1/people/{id}/consents', {
          params: { path: { id: person.id } },
          body: {
            recipients: [
              ...draft.departmentIds.map((departmentId) => ({ type: 'department' as const, departmentId })),
              ...draft.meetingKinds.map((meetingKind) => ({ type: 'meeting' as const, meetingKind })),
            ],
            fieldGroups: draft.scopes,
            purpose: draft.purpose.trim(),
            givenOn: draft.givenOn,
            ...(draft.endsOn && { endsOn: draft.endsOn }),
            method: draft.method,
          },
        }),
      ),
    onSuccess: () => {
      discard();
      void queryClient.invalidateQueries({ queryKey: ['consents', person.id] });
      void queryClient.invalidateQueries({ queryKey: ['case'] });
      onDone();
    },
  });
  const submit = (event: FormEvent) => {
    event.preventDefault();
    record.mutate();
  };
  const title = t('consent.record', { relation: person.relation });
  return (
    <form onSubmit={submit} className="stack" aria-label={title}>
      <fieldset>
        <legend>{t('consent.departments')}</legend>
        {departments.data?.items.map((d) => (
          <label key={d.id}>
            <input type="checkbox" checked={draft.departmentIds.includes(d.id)} onChange={() => edit({ departmentIds: toggle(draft.departmentIds, d.id) })} /> {d.name}
          </label>
        ))}
      </fieldset>
      <fieldset>
        <legend>{t('consent.meetings')}</legend>
        {meetingKinds.map((kind) => (
          <label key={kind}>
            <input type="checkbox" checked={draft.meetingKinds.includes(kind)} onChange={() => edit({ meetingKinds: toggle(draft.meetingKinds, kind) })} /> {label('meetingKind', kind)}
          </label>
        ))}
      </fieldset>
      <fieldset>
        <legend>{t('consent.scopes')}</legend>
        {SCOPES.map((scope) => (
          <label key={scope}>
            <input type="checkbox" checked={draft.scopes.includes(scope)} onChange={() => edit({ scopes: toggle(draft.scopes, scope) })} /> {label('consentScope', scope)}
          </label>
        ))}
      </fieldset>
      <label htmlFor={`${id}-purpose`}>{t('consent.purpose')}</label>
      <input id={`${id}-purpose`} required maxLength={500} value={draft.purpose} onChange={(e) => edit({ purpose: e.target.value })} />
      <label htmlFor={`${id}-given`}>{t('consent.givenOn')}</label>
      <input id={`${id}-given`} type="date" required value={draft.givenOn} onChange={(e) => edit({ givenOn: e.target.value })} />
      <label htmlFor={`${id}-ends`}>{t('consent.endsOn')}</label>
      <input id={`${id}-ends`} type="date" value={draft.endsOn} onChange={(e) => edit({ endsOn: e.target.value })} />
      <label htmlFor={`${id}-method`}>{t('consent.method')}</label>
      <select id={`${id}-method`} value={draft.method} onChange={(e) => edit({ method: e.target.value as Method })}>
        {METHODS.map((method) => (
          <option key={method} value={method}>
            {label('consentMethod', method)}
          </option>
        ))}
      </select>
      <div className="actions">
        <button type="submit" disabled={record.isPending || draft.departmentIds.length + draft.meetingKinds.length === 0 || draft.scopes.length === 0}>
          {t('consent.save')}
        </button>
        <button type="button" className="secondary" onClick={onDone}>
          {t('inbox.cancel')}
        </button>
      </div>
      {record.isError && <p role="alert" className="error">{t('error', { message: record.error.message })}</p>}
    </form>
  );
}
