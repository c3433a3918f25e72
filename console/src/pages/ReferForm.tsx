import { useId, useState, type FormEvent } from 'react';
import { useMutation, useQuery, useQueryClient } from '@tanstack/react-query';
import { api, data } from '../api/client';
import type { components, paths } from '../api/api';
import { useT } from '../i18n';
import { useLabels } from '../labels';

type CaseDetail = components['schemas']['CaseDetail'];
type LegalBasis = paths['/api/v1/cases/{id}/referrals']['post']['requestBody']['content']['application/json']['legalBasis'];
type PersonField = components['schemas']['CasePersonView']['withheldFields'][number];
type Scope = components['schemas']['CaseConsent']['scope'][number];

const BASES: LegalBasis[] = ['CONSENT', 'APPI_INTERNAL', 'APPI_PUBLIC_BODY', 'APPI_SPECIAL'];
/** Fields grouped as consent scopes are (src/modules/referrals/domain/shared-package.ts). */
const GROUPS: Record<Exclude<Scope, 'case'>, PersonField[]> = {
  basic: ['name', 'kana', 'birthDate', 'sex'],
  contact: ['address', 'phone', 'email'],
  sensitive: ['disability', 'medicalHistory', 'handbooks', 'careLevel'],
};
const scopeOf = (field: PersonField) => (Object.keys(GROUPS) as (keyof typeof GROUPS)[]).find((g) => GROUPS[g].includes(field))!;

/**
 * つなぐ (refer): the department, what of each person goes with it, on which legal basis and why. With
 * consent as the basis, it shows per person whether a live consent to that department covers the
 * chosen fields before anything is sent (the API decides; this spares a refusal).
 */
export function ReferForm({ c }: { c: CaseDetail }) {
  const { t } = useT();
  const label = useLabels();
  const id = useId();
  const queryClient = useQueryClient();
  const departments = useQuery({ queryKey: ['departments'], queryFn: () => data(api.GET('/api/v1/departments', { params: { query: { limit: 200 } } })), staleTime: 5 * 60_000 });
  const [to, setTo] = useState('');
  const [purpose, setPurpose] = useState('');
  const [basis, setBasis] = useState<LegalBasis>('CONSENT');
  const [reason, setReason] = useState('');
  const [caseFields, setCaseFields] = useState<('issues' | 'summary')[]>(['issues']);
  const [fields, setFields] = useState<Record<string, PersonField[]>>({});
  const [sent, setSent] = useState(false);
  const refer = useMutation({
    mutationFn: () =>
      data(
        api.POST('/api/v1/cases/{id}/referrals', {
          params: { path: { id: c.id } },
          body: {
            toDepartmentId: to,
            purpose,
            legalBasis: basis,
            ...(basis !== 'CONSENT' && { legalBasisReason: reason }),
            share: { case: caseFields, persons: Object.entries(fields).filter(([, f]) => f.length > 0).map(([personId, f]) => ({ personId, fields: f })) },
          },
        }),
      ),
    onSuccess: () => {
      setSent(true);
      setPurpose('');
      setReason('');
      setFields({});
      void queryClient.invalidateQueries({ queryKey: ['case', c.id] });
      void queryClient.invalidateQueries({ queryKey: ['timeline', c.id] });
    },
  });
  const toggle = <T,>(list: T[], item: T) => (list.includes(item) ? list.filter((x) => x !== item) : [...list, item]);
  const uncovered = (personId: string): Scope[] => {
    const wanted = [...new Set((fields[personId] ?? []).map(scopeOf))];
    const live = c.consents.filter((k) => k.personId === personId && !k.withdrawnOn && k.recipientDepartmentIds.includes(to));
    return wanted.filter((scope) => !live.some((k) => k.scope.includes(scope)));
  };
  const submit = (event: FormEvent) => {
    event.preventDefault();
    setSent(false);
    refer.mutate();
  };
  return (
    <section aria-labelledby={`${id}-title`}>
      <h2 id={`${id}-title`}>{t('refer.title')}</h2>
      <form onSubmit={submit} className="stack">
        <label htmlFor={`${id}-to`}>{t('refer.to')}</label>
        <select id={`${id}-to`} required value={to} onChange={(e) => setTo(e.target.value)}>
          <option value="">{t('refer.choose')}</option>
          {departments.data?.items
            .filter((d) => d.id !== c.leadDepartment.id)
            .map((d) => (
              <option key={d.id} value={d.id}>
                {d.name}
              </option>
            ))}
        </select>
        <label htmlFor={`${id}-purpose`}>{t('inbox.purpose')}</label>
        <textarea id={`${id}-purpose`} required maxLength={1000} value={purpose} onChange={(e) => setPurpose(e.target.value)} />
        <label htmlFor={`${id}-basis`}>{t('refer.basis')}</label>
        <select id={`${id}-basis`} value={basis} onChange={(e) => setBasis(e.target.value as LegalBasis)}>
          {BASES.map((b) => (
            <option key={b} value={b}>
              {label('legalBasis', b)}
            </option>
          ))}
        </select>
        {basis !== 'CONSENT' && (
          <>
            <label htmlFor={`${id}-reason`}>{t('refer.reason')}</label>
            <textarea id={`${id}-reason`} required minLength={5} maxLength={1000} value={reason} onChange={(e) => setReason(e.target.value)} />
          </>
        )}
        <fieldset>
          <legend>{t('refer.caseFields')}</legend>
          {(['issues', 'summary'] as const).map((f) => (
            <label key={f} className="check">
              <input type="checkbox" checked={caseFields.includes(f)} onChange={() => setCaseFields(toggle(caseFields, f))} /> {label('caseField', f)}
            </label>
          ))}
        </fieldset>
        {c.persons.map((person) => {
          const missing = basis === 'CONSENT' && to ? uncovered(person.id) : [];
          return (
            <fieldset key={person.id}>
              <legend>{t('refer.personFields', { relation: person.relation })}</legend>
              {(Object.values(GROUPS).flat() as PersonField[])
                .filter((f) => f in person && !person.withheldFields.includes(f))
                .map((f) => (
                  <label key={f} className="check">
                    <input type="checkbox" checked={(fields[person.id] ?? []).includes(f)} onChange={() => setFields({ ...fields, [person.id]: toggle(fields[person.id] ?? [], f) })} /> {label('personField', f)}
                  </label>
                ))}
              {missing.length > 0 && (
                <p className="error" role="status">
                  {t('refer.notCovered', { scopes: missing.map((s) => label('consentScope', s)).join('、') })}
                </p>
              )}
            </fieldset>
          );
        })}
        <button type="submit" disabled={refer.isPending}>
          {t('refer.send')}
        </button>
        {sent && <p role="status" className="notice">{t('refer.sent')}</p>}
        {refer.isError && <p role="alert" className="error">{t('error', { message: refer.error.message })}</p>}
      </form>
    </section>
  );
}
