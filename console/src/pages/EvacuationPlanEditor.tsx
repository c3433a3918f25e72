import { useState, type FormEvent } from 'react';
import { useMutation, useQuery, useQueryClient } from '@tanstack/react-query';
import { Link, useParams } from '@tanstack/react-router';
import { api, data } from '../api/client';
import type { components } from '../api/api';
import { useT } from '../i18n';
import type { MessageKey } from '../messages';
import { Status } from './Layout';
import { fullName } from './provision-sheets';

type Entry = components['schemas']['RegisterEntry'];
type Details = NonNullable<NonNullable<Entry['plan']>['details']>;
type Contact = Details['emergencyContacts'][number];
/** The API takes up to five emergency contacts; the form offers this many rows, blank ones are left out. */
const CONTACT_ROWS = 3;

const blank: Details = { helper: { name: '', address: '', phone: '' }, helperConsent: false, shelter: '', route: '', emergencyContacts: [] };

function TextField({ name, label, value, onChange, long, required, max }: { name: string; label: string; value: string; onChange: (v: string) => void; long?: boolean; required?: boolean; max: number }) {
  const id = `plan-${name}`;
  return (
    <div className="stack">
      <label htmlFor={id}>{label}</label>
      {long ? <textarea id={id} value={value} maxLength={max} required={required} onChange={(e) => onChange(e.target.value)} /> : <input id={id} value={value} maxLength={max} required={required} onChange={(e) => onChange(e.target.value)} />}
    </div>
  );
}

/** The form itself, once the entry (and any plan already made) is read. */
function PlanForm({ entry }: { entry: Entry }) {
  const { t } = useT();
  const queryClient = useQueryClient();
  const [plan, setPlan] = useState<Details>(entry.plan?.details ?? blank);
  const [personConsent, setPersonConsent] = useState(!!entry.plan);
  const [contacts, setContacts] = useState<Contact[]>(() => Array.from({ length: CONTACT_ROWS }, (_, i) => plan.emergencyContacts[i] ?? { name: '', relation: '', phone: '' }));
  const [version, setVersion] = useState(entry.plan?.version ?? 0);
  const save = useMutation({
    mutationFn: () => {
      const optional = (v: string | undefined) => (v?.trim() ? v : undefined);
      const body = {
        ...plan,
        version,
        personConsent: true as const,
        careNotes: optional(plan.careNotes),
        medicalDevices: optional(plan.medicalDevices),
        medication: optional(plan.medication),
        emergencyContacts: contacts.filter((c) => c.name.trim()),
      };
      return data(api.PUT('/api/v1/evacuation-support/entries/{id}/plan', { params: { path: { id: entry.id } }, body }));
    },
    onSuccess: (saved) => {
      setVersion(saved.version);
      void queryClient.invalidateQueries({ queryKey: ['register'] });
    },
  });
  const set = <K extends keyof Details>(key: K) => (value: Details[K]) => setPlan((p) => ({ ...p, [key]: value }));
  const helper = (key: keyof Details['helper']) => (value: string) => setPlan((p) => ({ ...p, helper: { ...p.helper, [key]: value } }));
  const contact = (i: number, key: keyof Contact) => (value: string) => setContacts((all) => all.map((c, j) => (j === i ? { ...c, [key]: value } : c)));
  const submit = (event: FormEvent) => {
    event.preventDefault();
    if (personConsent) save.mutate();
  };
  const text = (key: 'shelter' | 'route' | 'careNotes' | 'medicalDevices' | 'medication', max: number, long = false, required = false) => (
    <TextField name={key} label={t(`plan.${key}` as MessageKey)} value={plan[key] ?? ''} onChange={set(key)} long={long} required={required} max={max} />
  );
  return (
    <form onSubmit={submit} className="stack">
      <label className="check">
        <input type="checkbox" checked={personConsent} required onChange={(e) => setPersonConsent(e.target.checked)} />
        {t('plan.personConsent')}
      </label>
      <fieldset className="stack">
        <legend>{t('plan.helper')}</legend>
        <TextField name="helper-name" label={t('plan.helperName')} value={plan.helper.name} onChange={helper('name')} required max={100} />
        <TextField name="helper-address" label={t('plan.helperAddress')} value={plan.helper.address} onChange={helper('address')} required max={200} />
        <TextField name="helper-phone" label={t('plan.helperPhone')} value={plan.helper.phone} onChange={helper('phone')} required max={30} />
        <label className="check">
          <input type="checkbox" checked={plan.helperConsent} onChange={(e) => set('helperConsent')(e.target.checked)} />
          {t('plan.helperConsent')}
        </label>
      </fieldset>
      {text('shelter', 200, false, true)}
      {text('route', 1000, true, true)}
      {text('careNotes', 2000, true)}
      {text('medicalDevices', 500)}
      {text('medication', 1000, true)}
      <fieldset className="stack">
        <legend>{t('plan.contacts')}</legend>
        {contacts.map((c, i) => (
          <div key={i} className="filters" role="group" aria-label={t('plan.contactN', { n: i + 1 })}>
            <TextField name={`contact-${i}-name`} label={t('plan.contactName', { n: i + 1 })} value={c.name} onChange={contact(i, 'name')} max={100} required={!!(c.relation || c.phone)} />
            <TextField name={`contact-${i}-relation`} label={t('plan.contactRelation', { n: i + 1 })} value={c.relation} onChange={contact(i, 'relation')} max={50} required={!!c.name} />
            <TextField name={`contact-${i}-phone`} label={t('plan.contactPhone', { n: i + 1 })} value={c.phone} onChange={contact(i, 'phone')} max={30} required={!!c.name} />
          </div>
        ))}
      </fieldset>
      <div className="actions">
        <button type="submit" disabled={save.isPending || !personConsent}>
          {t('plan.save')}
        </button>
      </div>
      <p role="status">{save.isSuccess ? t('plan.saved', { version }) : ''}</p>
      <Status loading={false} error={save.error} />
    </form>
  );
}

/** 個別避難計画の作成・編集 (per register entry): made only with the person's consent; the helper's consent decides normal-time sharing. */
export function EvacuationPlanEditor() {
  const { t } = useT();
  const { entryId } = useParams({ from: '/signed-in/register/entries/$entryId/plan' });
  const entry = useQuery({ queryKey: ['register', 'entry', entryId], queryFn: () => data(api.GET('/api/v1/evacuation-support/entries/{id}', { params: { path: { id: entryId } } })), staleTime: Infinity });
  const who = entry.data ? (entry.data.withheldFields.includes('name') ? t('case.withheld') : (fullName(entry.data.name) ?? '')) : '';
  return (
    <section aria-labelledby="plan-title">
      <p>
        <Link to="/register/entries" search={{}}>
          {t('plan.back')}
        </Link>
      </p>
      <h1 id="plan-title">{t('plan.title', { name: who })}</h1>
      <p className="notice">{t('plan.hint')}</p>
      <Status loading={entry.isPending} error={entry.error} />
      {entry.data && !entry.data.allowedActions.includes('save-plan') && <p role="alert">{t('plan.notNow')}</p>}
      {entry.data?.allowedActions.includes('save-plan') && <PlanForm entry={entry.data} />}
    </section>
  );
}
