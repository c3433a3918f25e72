import { useId, useState, type FormEvent } from 'react';
import { useMutation } from '@tanstack/react-query';
import { useNavigate } from '@tanstack/react-router';
import { api, data } from '../api/client';
import type { components, paths } from '../api/api';
import { useDraft } from '../drafts';
import { useT } from '../i18n';
import { useLabels } from '../labels';
import { ISSUES } from './Caseload';

type OpenCaseBody = paths['/api/v1/cases']['post']['requestBody']['content']['application/json'];
type Issue = OpenCaseBody['issues'][number];
type Sex = 'female' | 'male' | 'other';
type IntakeAnswer = components['schemas']['IntakeCheckAnswer'];
interface PersonDraft {
  relation: string;
  familyName: string;
  givenName: string;
  birthDate: string;
  sex: Sex | '';
  address: string;
  phone: string;
}
interface CaseDraft {
  title: string;
  household: string;
  issues: Issue[];
  persons: PersonDraft[];
  reason: string;
}
const blankPerson = (relation: string): PersonDraft => ({ relation, familyName: '', givenName: '', birthDate: '', sex: '', address: '', phone: '' });
const BLANK: CaseDraft = { title: '', household: '', issues: [], persons: [blankPerson('本人')], reason: '' };
const SEXES: Sex[] = ['female', 'male', 'other'];
const PERSON_FIELDS = ['relation', 'familyName', 'givenName', 'birthDate', 'address', 'phone'] as const;
const optional = (value: string) => value.trim() || undefined;

/**
 * ケースを開く (open a case): household, persons and issue tags. Before it is opened, the intake check
 * (断らない相談の重複確認) asks, per person with a name and birth date, which departments already hold
 * them — only that, audited with the reason. What is typed stays a draft until the case is opened.
 */
export function OpenCase() {
  const { t } = useT();
  const label = useLabels();
  const navigate = useNavigate();
  const id = useId();
  const [draft, setDraft, discard] = useDraft<CaseDraft>('open-case', BLANK);
  // The check's answers stay in memory only: what the API says is never written to storage.
  const [checked, setChecked] = useState<(IntakeAnswer | null)[] | null>(null);
  const forgetChecks = () => setChecked(null);
  const edit = (next: Partial<CaseDraft>) => {
    setDraft({ ...draft, ...next });
    forgetChecks(); // what was checked is no longer what is on the form
  };
  const editPerson = (index: number, next: Partial<PersonDraft>) => edit({ persons: draft.persons.map((p, i) => (i === index ? { ...p, ...next } : p)) });

  const check = useMutation({
    mutationFn: () =>
      Promise.all(
        draft.persons.map((p) =>
          p.familyName.trim() && p.givenName.trim() && p.birthDate
            ? data(api.POST('/api/v1/people/intake-checks', { body: { familyName: p.familyName.trim(), givenName: p.givenName.trim(), birthDate: p.birthDate, reason: draft.reason.trim() } }))
            : Promise.resolve(null),
        ),
      ),
    onSuccess: (answers) => setChecked(answers),
  });
  const open = useMutation({
    mutationFn: () =>
      data(
        api.POST('/api/v1/cases', {
          body: {
            title: draft.title.trim(),
            issues: draft.issues,
            ...(draft.household.trim() && { household: { name: draft.household.trim() } }),
            persons: draft.persons.map((p) => ({
              relation: p.relation.trim(),
              familyName: p.familyName.trim(),
              givenName: p.givenName.trim(),
              birthDate: optional(p.birthDate),
              sex: p.sex || undefined,
              address: optional(p.address),
              phone: optional(p.phone),
            })),
          },
        }),
      ),
    onSuccess: (opened) => {
      discard();
      forgetChecks();
      void navigate({ to: '/cases/$caseId', params: { caseId: opened.id } });
    },
  });
  const submit = (event: FormEvent) => {
    event.preventDefault();
    if (checked) open.mutate();
    else check.mutate();
  };
  const toggleIssue = (issue: Issue) => edit({ issues: draft.issues.includes(issue) ? draft.issues.filter((i) => i !== issue) : [...draft.issues, issue] });

  return (
    <section aria-labelledby={`${id}-title`}>
      <h1 id={`${id}-title`}>{t('open.title')}</h1>
      <p className="hint">{t('case.noteDraft')}</p>
      <form onSubmit={submit} className="stack">
        <label>
          {t('open.caseTitle')}
          <input required maxLength={100} value={draft.title} onChange={(e) => edit({ title: e.target.value })} />
        </label>
        <label>
          {t('open.household')}
          <input maxLength={100} value={draft.household} onChange={(e) => edit({ household: e.target.value })} />
        </label>
        <fieldset>
          <legend>{t('open.issues')}</legend>
          <div className="checkbox-grid">
            {ISSUES.map((issue) => (
              <label key={issue}>
                <input type="checkbox" checked={draft.issues.includes(issue)} onChange={() => toggleIssue(issue)} /> {label('issueTag', issue)}
              </label>
            ))}
          </div>
        </fieldset>
        {draft.persons.map((person, index) => (
          <fieldset key={index}>
            <legend>{t('open.person', { n: index + 1 })}</legend>
            <div className="form-grid">
              {PERSON_FIELDS.map((field) => (
                <label key={field}>
                  {t(`open.${field}`)}
                  <input
                    type={field === 'birthDate' ? 'date' : 'text'}
                    required={field === 'relation' || field === 'familyName' || field === 'givenName'}
                    value={person[field]}
                    onChange={(e) => editPerson(index, { [field]: e.target.value })}
                  />
                </label>
              ))}
              <label>
                {t('open.sex')}
                <select value={person.sex} onChange={(e) => editPerson(index, { sex: e.target.value as Sex | '' })}>
                  <option value="">{t('open.unknown')}</option>
                  {SEXES.map((sex) => (
                    <option key={sex} value={sex}>
                      {label('sex', sex)}
                    </option>
                  ))}
                </select>
              </label>
            </div>
            {checked && <IntakeResult answer={checked[index] ?? null} />}
            {draft.persons.length > 1 && (
              <button type="button" className="secondary" onClick={() => edit({ persons: draft.persons.filter((_, i) => i !== index) })}>
                {t('open.removePerson', { n: index + 1 })}
              </button>
            )}
          </fieldset>
        ))}
        <button type="button" className="secondary" onClick={() => edit({ persons: [...draft.persons, blankPerson('')] })}>
          {t('open.addPerson')}
        </button>
        <label>
          {t('open.reason')}
          <input required maxLength={500} value={draft.reason} onChange={(e) => edit({ reason: e.target.value })} />
        </label>
        {checked ? (
          <button type="submit" disabled={open.isPending || draft.issues.length === 0}>
            {t('open.submit')}
          </button>
        ) : (
          <button type="submit" disabled={check.isPending || draft.issues.length === 0}>
            {t('open.check')}
          </button>
        )}
        {draft.issues.length === 0 && <p className="hint">{t('open.needIssue')}</p>}
        {(check.error ?? open.error) && <p role="alert" className="error">{t('error', { message: (check.error ?? open.error)!.message })}</p>}
      </form>
    </section>
  );
}

function IntakeResult({ answer }: { answer: IntakeAnswer | null }) {
  const { t } = useT();
  if (!answer) return <p className="hint">{t('open.notChecked')}</p>;
  return (
    <p role="status" className={answer.known ? 'notice' : 'hint'}>
      {answer.known ? t('open.known', { departments: answer.departments.map((d) => d.name).join('、') }) : t('open.unknownPerson')}
    </p>
  );
}
