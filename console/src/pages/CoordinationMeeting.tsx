import { useId, useState, type FormEvent } from 'react';
import { useMutation, useQuery } from '@tanstack/react-query';
import { Link, useParams, useSearch } from '@tanstack/react-router';
import { api, data } from '../api/client';
import type { components } from '../api/api';
import { useT } from '../i18n';
import { useDepartmentNames, useLabels } from '../labels';
import { Status, useMe } from './Layout';
import { SharedCaseView } from './CoordinationMeetings';
import { Members, useRefresh, type Meeting } from './CoordinationMeetingMembers';
import { liveConsents, MutationError, useCodes, useDepartments } from './coordination-shared';

type PersonField = components['schemas']['CasePersonView']['withheldFields'][number];
type CaseField = 'issues' | 'summary';


/** 支援会議・重層的支援会議: members and their 守秘義務, the cases shared and on which ground, decisions, minutes. */
export function CoordinationMeeting() {
  const { t } = useT();
  const label = useLabels();
  const me = useMe();
  const { meetingId } = useParams({ from: '/signed-in/coordination/meetings/$meetingId' });
  const { coordinationId } = useSearch({ from: '/signed-in/coordination/meetings/$meetingId' });
  const meeting = useQuery({ queryKey: ['meeting', meetingId], queryFn: () => data(api.GET('/api/v1/meetings/{id}', { params: { path: { id: meetingId } } })) });
  if (!meeting.data) return <Status loading={meeting.isPending} error={meeting.error} />;
  const m = meeting.data;
  // The coordinator runs the meeting; other members read it (the API decides; this spares them refusals).
  const runs = me.data?.kind === 'staff' && me.data.roles.some((r) => r.role === 'coordinator');
  return (
    <article aria-labelledby="meeting-title">
      <h1 id="meeting-title">{t('meeting.title', { kind: label('meetingKind', m.kind), title: m.title ?? '' })}</h1>
      {coordinationId && (
        <p>
          <Link to="/coordination/cases/$coordinationId" params={{ coordinationId }}>
            {t('meeting.back')}
          </Link>
        </p>
      )}
      <dl className="facts">
        <dt>{t('coord.heldOn')}</dt>
        <dd>{m.heldOn}</dd>
        <dt>{t('meeting.accessUntil')}</dt>
        <dd>{m.accessUntil}</dd>
      </dl>
      <p className="notice">{m.kind === 'shien_kaigi' ? t('meeting.basisShien') : t('meeting.basisJuso')}</p>
      <Members m={m} runs={runs} />
      <SharedCases m={m} runs={runs} reads={runs || m.members.some((member) => member.staffId === me.data?.id)} coordinationId={coordinationId} />
      {m.decisions && <Decisions m={m} runs={runs} />}
      {m.minutes !== undefined && runs && <Minutes m={m} />}
      {m.minutes && !runs && (
        <section aria-labelledby="minutes-title">
          <h2 id="minutes-title">{t('meeting.minutes')}</h2>
          <p className="notes">{m.minutes}</p>
        </section>
      )}
    </article>
  );
}

function SharedCases({ m, runs, reads, coordinationId }: { m: Meeting; runs: boolean; reads: boolean; coordinationId?: string }) {
  const { t } = useT();
  const label = useLabels();
  const shared = coordinationId && m.cases.some((c) => c.coordinationCaseId === coordinationId);
  return (
    <section aria-labelledby="shared-title">
      <h2 id="shared-title">{t('meeting.cases')}</h2>
      {m.cases.length === 0 ? (
        <p>{t('meeting.noCases')}</p>
      ) : (
        <ul className="plain-list">
          {m.cases.map((c) => (
            <li key={c.caseId}>
              {runs ? (
                <Link to="/coordination/cases/$coordinationId" params={{ coordinationId: c.coordinationCaseId }}>
                  {label('legalBasis', c.legalBasis)}
                </Link>
              ) : (
                label('legalBasis', c.legalBasis)
              )}{' '}
              <span className="hint">{t('coord.sharedAt', { time: new Date(c.sharedAt).toLocaleString('ja-JP') })}</span>
              {reads && <SharedCaseView meetingId={m.id} caseId={c.caseId} />}
            </li>
          ))}
        </ul>
      )}
      {runs && coordinationId && !shared && <ShareForm m={m} coordinationId={coordinationId} />}
    </section>
  );
}

/** 共有: chosen items of the case and of each person; the ground follows from the meeting's kind. */
function ShareForm({ m, coordinationId }: { m: Meeting; coordinationId: string }) {
  const { t } = useT();
  const label = useLabels();
  const refresh = useRefresh(m.id);
  const personFields = useCodes<PersonField>('personField');
  const coordination = useQuery({ queryKey: ['coordination', 'case', coordinationId], queryFn: () => data(api.GET('/api/v1/coordination/cases/{id}', { params: { path: { id: coordinationId } } })) });
  const caseId = coordination.data?.caseId;
  const record = useQuery({ queryKey: ['case', caseId], enabled: !!caseId, queryFn: () => data(api.GET('/api/v1/cases/{id}', { params: { path: { id: caseId! } } })) });
  const [caseFields, setCaseFields] = useState<CaseField[]>(['issues']);
  const [fields, setFields] = useState<Record<string, PersonField[]>>({});
  const share = useMutation({
    mutationFn: () =>
      data(
        api.POST('/api/v1/meetings/{id}/cases', {
          params: { path: { id: m.id } },
          body: { coordinationCaseId: coordinationId, share: { case: caseFields, persons: Object.entries(fields).filter(([, f]) => f.length > 0).map(([personId, f]) => ({ personId, fields: f })) } },
        }),
      ),
    onSuccess: refresh,
  });
  const toggle = <T,>(list: T[], item: T, on: boolean) => (on ? [...list, item] : list.filter((x) => x !== item));
  // What the server would refuse is not offered: a meeting without members, a 支援会議 member without the
  // acknowledgment, a 重層的支援会議 on a case without a live consent.
  const consented = liveConsents(record.data).length > 0;
  const blocker =
    m.members.length === 0 || (m.kind === 'shien_kaigi' && m.members.some((member) => !member.confidentialityAcknowledgedAt))
      ? t('meeting.needsMembers')
      : m.kind === 'juso_kaigi' && record.data && !consented
        ? t('meeting.needsConsent')
        : null;
  const submit = (event: FormEvent) => {
    event.preventDefault();
    share.mutate();
  };
  return (
    <form onSubmit={submit} className="stack" aria-label={t('meeting.share')}>
      <h3>{t('meeting.share')}</h3>
      <fieldset>
        <legend>{t('meeting.shareCase')}</legend>
        {(['issues', 'summary'] as CaseField[]).map((field) => (
          <label key={field} className="check">
            <input type="checkbox" checked={caseFields.includes(field)} onChange={(e) => setCaseFields(toggle(caseFields, field, e.target.checked))} /> {label('caseField', field)}
          </label>
        ))}
      </fieldset>
      {record.data?.persons.map((person) => (
        <fieldset key={person.id}>
          <legend>{t('meeting.sharePerson', { relation: person.relation })}</legend>
          {/* The meeting's own ground (社会福祉法106条の6) decides what goes, not what the coordinator may read;
              the server builds the package and keeps DV-protected contacts out of it. */}
          {personFields.map((field) => (
            <label key={field} className="check">
              <input type="checkbox" checked={(fields[person.id] ?? []).includes(field)} onChange={(e) => setFields({ ...fields, [person.id]: toggle(fields[person.id] ?? [], field, e.target.checked) })} /> {label('personField', field)}
            </label>
          ))}
        </fieldset>
      ))}
      {blocker ? (
        <p className="notice">{blocker}</p>
      ) : (
        <button type="submit" disabled={share.isPending || caseFields.length + Object.values(fields).flat().length === 0}>
          {t('meeting.shareSend')}
        </button>
      )}
      <MutationError error={share.error} />
    </form>
  );
}

function Decisions({ m, runs }: { m: Meeting; runs: boolean }) {
  const { t } = useT();
  const id = useId();
  const department = useDepartmentNames();
  const departments = useDepartments();
  const refresh = useRefresh(m.id);
  const [text, setText] = useState('');
  const [assignee, setAssignee] = useState('');
  const caseId = m.cases.length === 1 ? m.cases[0].caseId : undefined;
  const record = useMutation({
    mutationFn: () => data(api.POST('/api/v1/meetings/{id}/decisions', { params: { path: { id: m.id } }, body: { text, ...(caseId && { caseId }), ...(assignee && { assigneeDepartmentId: assignee }) } })),
    onSuccess: () => {
      setText('');
      setAssignee('');
      refresh();
    },
  });
  const submit = (event: FormEvent) => {
    event.preventDefault();
    record.mutate();
  };
  return (
    <section aria-labelledby="decisions-title">
      <h2 id="decisions-title">{t('meeting.decisions')}</h2>
      {m.decisions!.length === 0 ? (
        <p>{t('meeting.noDecisions')}</p>
      ) : (
        <ul className="plain-list">
          {m.decisions!.map((decision) => (
            <li key={decision.id}>
              {decision.text}
              {decision.assigneeDepartmentId && `（${department(decision.assigneeDepartmentId)}）`}
            </li>
          ))}
        </ul>
      )}
      {runs && (
        <form onSubmit={submit} className="stack" aria-label={t('meeting.recordDecision')}>
          <label htmlFor={`${id}-text`}>{t('meeting.decisionText')}</label>
          <textarea id={`${id}-text`} required maxLength={2000} value={text} onChange={(e) => setText(e.target.value)} />
          <label htmlFor={`${id}-dept`}>{t('meeting.assignee')}</label>
          <select id={`${id}-dept`} value={assignee} onChange={(e) => setAssignee(e.target.value)}>
            <option value="">{t('meeting.noAssignee')}</option>
            {departments.map((d) => (
              <option key={d.id} value={d.id}>
                {d.name}
              </option>
            ))}
          </select>
          <button type="submit" disabled={record.isPending || !text.trim()}>
            {t('meeting.recordDecision')}
          </button>
          <MutationError error={record.error} />
        </form>
      )}
    </section>
  );
}

function Minutes({ m }: { m: Meeting }) {
  const { t } = useT();
  const id = useId();
  const refresh = useRefresh(m.id);
  const [minutes, setMinutes] = useState(m.minutes ?? '');
  const save = useMutation({
    mutationFn: () => data(api.PUT('/api/v1/meetings/{id}/minutes', { params: { path: { id: m.id } }, body: { version: m.version, minutes } })),
    onSuccess: refresh,
  });
  const submit = (event: FormEvent) => {
    event.preventDefault();
    save.mutate();
  };
  return (
    <section aria-labelledby="minutes-title">
      <h2 id="minutes-title">{t('meeting.minutes')}</h2>
      <form onSubmit={submit} className="stack">
        <label htmlFor={id}>{t('meeting.minutes')}</label>
        <textarea id={id} required maxLength={20000} value={minutes} onChange={(e) => setMinutes(e.target.value)} />
        <button type="submit" disabled={save.isPending || !minutes.trim()}>
          {t('meeting.saveMinutes')}
        </button>
        {save.isSuccess && <p role="status">{t('coord.recorded')}</p>}
        <MutationError error={save.error} />
      </form>
    </section>
  );
}
