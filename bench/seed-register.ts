import { todayInJapan } from '../src/platform/calendar/today';
import { transitionOrRefuse } from '../src/platform/workflow/versioned-transition';
import { ConsentRecorded } from '../src/modules/people/consents/consent-book';
import { DEFAULT_ELIGIBILITY_RULES, evaluateEligibility, type EligibilityFacts } from '../src/modules/evacuation-support/domain/eligibility';
import { REGISTER_EVENTS, registerMachine, type RegisterEvent, type RegisterState } from '../src/modules/evacuation-support/domain/register.machine';
import { REGISTER_CONSENT_GROUPS, REGISTER_CONSENT_PURPOSE } from '../src/modules/evacuation-support/register-book';

/**
 * The 避難行動要支援者名簿 (register) of the large tenant: one entry for every tenth case number, seven in
 * ten a new person from the yearly extract (取込, with a 宛名番号), three in ten the person of that case
 * (a survey found them). Each entry went the way the service takes it, in the state the year left it.
 */

/** How many 地区 the large city has beyond the demo's A, B and C (about 2,500 entries each at 10⁶ cases). */
export const SEED_EXTRA_DISTRICTS = 37;

/** Where the year left the register's entries, in percent of the eligible ones (the ineligible stay 候補). */
const STATE_SHARES: [RegisterState, number][] = [
  ['candidate', 4],
  ['notice_sent', 2],
  ['awaiting_answer', 6],
  ['declined', 8],
  ['removed', 10],
  ['renewal_notice_sent', 8],
  ['registered', 62],
];

/** The events that led to each state, in order; REGISTER and REMOVE take their answer and reason per entry. */
const PATHS: Record<RegisterState, RegisterEvent['type'][]> = {
  candidate: [],
  notice_sent: ['SEND_NOTICE'],
  awaiting_answer: ['SEND_NOTICE', 'MARK_MAILED'],
  declined: ['SEND_NOTICE', 'MARK_MAILED', 'DECLINE'],
  registered: ['SEND_NOTICE', 'MARK_MAILED', 'REGISTER'],
  renewal_notice_sent: ['SEND_NOTICE', 'MARK_MAILED', 'REGISTER', 'SEND_RENEWAL'],
  removed: ['SEND_NOTICE', 'MARK_MAILED', 'REGISTER', 'REMOVE'],
};

/**
 * Days after the entry was made that each event came: notices a week after the extract, the mail
 * merge two days later, answers within the month, the renewal a year on; a removal (REMOVE) comes
 * `removalDay` days after the answer. An entry is older than its last event (see `AGES`).
 */
const EVENT_DAY: Partial<Record<RegisterEvent['type'], number>> = { SEND_NOTICE: 7, MARK_MAILED: 9, REGISTER: 30, DECLINE: 30, SEND_RENEWAL: 365, REMOVE: 31 };
/** Age of an entry in each state: [at least, spread] in days. */
const AGES: Record<RegisterState, [number, number]> = {
  candidate: [1, 30],
  notice_sent: [8, 1],
  awaiting_answer: [10, 18],
  declined: [31, 300],
  registered: [31, 300],
  renewal_notice_sent: [366, 20],
  removed: [400, 300],
};

/** Fact patterns the extract finds, judged by the service's own eligibility rules on today's date. */
const FACTS: EligibilityFacts[] = [
  { birthDate: null, careLevel: '要介護3', physicalHandbookGrade: null, ryoikuGrade: null, mentalHandbookGrade: null, intractableDisease: false, livingAlone: false },
  { birthDate: null, careLevel: '要介護5', physicalHandbookGrade: 1, ryoikuGrade: null, mentalHandbookGrade: null, intractableDisease: false, livingAlone: true },
  { birthDate: null, careLevel: null, physicalHandbookGrade: 2, ryoikuGrade: null, mentalHandbookGrade: null, intractableDisease: false, livingAlone: false },
  { birthDate: null, careLevel: null, physicalHandbookGrade: null, ryoikuGrade: 'A1', mentalHandbookGrade: null, intractableDisease: false, livingAlone: false },
  { birthDate: null, careLevel: null, physicalHandbookGrade: null, ryoikuGrade: null, mentalHandbookGrade: 1, intractableDisease: false, livingAlone: true },
  { birthDate: null, careLevel: null, physicalHandbookGrade: null, ryoikuGrade: null, mentalHandbookGrade: null, intractableDisease: true, livingAlone: false },
  { birthDate: null, careLevel: '要介護1', physicalHandbookGrade: null, ryoikuGrade: null, mentalHandbookGrade: null, intractableDisease: false, livingAlone: false },
];
/** People of the extract aged 75 or more living alone (a new person only: their birth date is the fact). */
const AGED_ALONE: EligibilityFacts = { birthDate: '1944-05-01', careLevel: null, physicalHandbookGrade: null, ryoikuGrade: null, mentalHandbookGrade: null, intractableDisease: false, livingAlone: true };

/** The JSON the batch statement reads as $5: fact profiles, state shares and each state's path with its steps. */
export function seedRegister(): string {
  const today = todayInJapan();
  const profile = (facts: EligibilityFacts) => {
    const verdict = evaluateEligibility(DEFAULT_ELIGIBILITY_RULES, facts, today);
    return { facts, eligible: verdict.eligible, eligibility: verdict.matched, reason: verdict.matched.map((m) => m.because.ja).join('、') || null };
  };
  let bound = 0;
  const shares = STATE_SHARES.map(([state, percent]) => ({ state, below: (bound += percent), age: AGES[state] }));
  if (bound !== 100) throw new Error('register state shares must add up to 100');
  const steps = Object.entries(PATHS).flatMap(([final, path]) => {
    let from = registerMachine.config.initial as string;
    return path.map((type, i) => {
      // The machine decides each step, so a path the service could not take fails the seed.
      const to = transitionOrRefuse(registerMachine, from, {}, { type, provision: 'consent', reason: 'moved_out' } as RegisterEvent);
      const step = { final, ord: i + 1, type, event: REGISTER_EVENTS[type], action: `register.${type.toLowerCase()}`, from, to, day: EVENT_DAY[type] };
      from = to;
      return step;
    });
  });
  return JSON.stringify({
    known: FACTS.map(profile),
    extract: [...FACTS, AGED_ALONE].map(profile),
    shares,
    steps,
    consent: { groups: REGISTER_CONSENT_GROUPS, purpose: REGISTER_CONSENT_PURPOSE, event: ConsentRecorded },
  });
}

const EVENT_COLUMNS = 'tenant_id, aggregate_type, aggregate_id, aggregate_version, case_id, type, payload, actor_type, actor_id, actor_department_id, occurred_at, published_at';

/**
 * CTEs for one batch, after large-seed's `numbers` (n, h1, h2) and `people` (id, given_name): the
 * register's people, entries, their events and 同意 (person_consents), and `register_audit`, the audit
 * rows the service writes for them (action, subject_type, subject_id, person_id, legal_basis, detail).
 * $5: seedRegister(); $6, $7: the keeper (the counselor of the department that keeps the register) and that department.
 */
export const registerCtes = `
register as (select $5::jsonb r),
keeper as (select $6::uuid as staff_id, $7::uuid as department_id),
district_codes as (select array_agg(code order by code) codes from districts where tenant_id = $1),
register_numbers as (
  select n, h1, h2, (n / 10) % 10 < 3 as known,
         -- The share of an entry's state, from a third hash-derived number, then how old it is within that state.
         (h2 / 7) % 100 as pick, h1 / 11 as spread
    from numbers where n % 10 = 0
),
register_profiles as (
  select x.*, p.value as profile, s.value ->> 'state' as share_state, s.value -> 'age' as age
    from register_numbers x, register reg,
         lateral (select value from jsonb_array_elements(reg.r -> case when x.known then 'known' else 'extract' end) with ordinality e(value, i)
                   where i = 1 + x.h1 % jsonb_array_length(reg.r -> case when x.known then 'known' else 'extract' end)) p,
         lateral (select value from jsonb_array_elements(reg.r -> 'shares') where x.pick < (value ->> 'below')::int limit 1) s
),
register_input as (
  select x.n, x.known, x.profile, gen_random_uuid() as entry_id,
         coalesce(known.id, gen_random_uuid()) as person_id,
         case when (x.profile ->> 'eligible')::boolean then x.share_state else 'candidate' end as state,
         case when (x.profile ->> 'eligible')::boolean then x.age else '[1, 30]'::jsonb end as age,
         x.spread, d.codes[1 + (x.h2 % array_length(d.codes, 1))::int] as district_code,
         case when (x.h2 / 300) % 5 = 0 then 'refused' else 'consent' end as answer,
         (array['death', 'moved_out', 'facility', 'own_request'])[1 + ((x.h2 / 1500) % 4)::int] as reason
    from register_profiles x cross join district_codes d left join people known on x.known and known.given_name = '太郎' || x.n
),
register_timed as (
  -- Milliseconds, like the service's own times, so a page's cursor names its last entry exactly.
  select i.*, date_trunc('milliseconds', now()) - make_interval(days => (i.age ->> 0)::int + (i.spread % ((i.age ->> 1)::int + 1))::int, secs => i.spread % 86400) as created_at,
         1 + ((i.spread / 97) % 360)::int as removal_day
    from register_input i
),
register_steps as (
  select t.entry_id, t.person_id, t.state as final_state, (s ->> 'ord')::int + 1 as version, s ->> 'type' as type, s ->> 'event' as event, s ->> 'action' as action,
         s ->> 'from' as from_state, s ->> 'to' as to_state,
         case s ->> 'type' when 'REGISTER' then t.answer end as provision, case s ->> 'type' when 'REMOVE' then t.reason end as reason,
         t.created_at + make_interval(days => (s ->> 'day')::int + case s ->> 'type' when 'REMOVE' then t.removal_day else 0 end) as at
    from register_timed t, register reg, jsonb_array_elements(reg.r -> 'steps') s where s ->> 'final' = t.state
),
register_summary as (
  select entry_id, count(*)::int as steps, max(at) as last_at, max(provision) as provision, max(reason) as reason,
         max((at at time zone 'Asia/Tokyo')::date) filter (where type = 'REGISTER') as registered_on
    from register_steps group by entry_id
),
register_people as (
  insert into persons (id, tenant_id, collected_by_department_id, resident_number, family_name, given_name, family_name_kana, given_name_kana, birth_date, sex, address, sensitive)
  select t.person_id, $1, k.department_id, 'R' || lpad(t.n::text, 12, '0'), '名簿', '花子' || t.n, 'メイボ', 'ハナコ',
         coalesce((t.profile -> 'facts' ->> 'birthDate')::date, date '1925-01-01' + (t.n % 11000)::int), 'unknown', 'つなぎ市' || t.district_code || '町' || t.n, '{}'
    from register_timed t, keeper k where not t.known
),
register_rows as (
  insert into register_entries (id, tenant_id, person_id, resident_number, district_code, state, machine, source, eligible, eligibility, needs_help_reason, facts,
                                provision, removal_reason, registered_on, version, created_at, updated_at)
  select t.entry_id, $1, t.person_id, case when not t.known then 'R' || lpad(t.n::text, 12, '0') end, t.district_code, t.state, '${registerMachine.id}',
         case when t.known then 'survey' else 'import' end, (t.profile ->> 'eligible')::boolean, t.profile -> 'eligibility', t.profile ->> 'reason', t.profile -> 'facts',
         s.provision, s.reason, s.registered_on, 1 + coalesce(s.steps, 0), t.created_at, coalesce(s.last_at, t.created_at)
    from register_timed t left join register_summary s on s.entry_id = t.entry_id
),
register_consents as (
  insert into person_consents (id, tenant_id, person_id, recipients, field_groups, purpose, given_on, method, recorded_by, created_at)
  select gen_random_uuid(), $1, s.person_id, '[{"type": "supporters", "districtCode": null}]', array(select jsonb_array_elements_text(reg.r -> 'consent' -> 'groups')),
         reg.r -> 'consent' ->> 'purpose', (s.at at time zone 'Asia/Tokyo')::date, 'written', k.staff_id, s.at
    from register_steps s, register reg, keeper k where s.type = 'REGISTER' and s.provision = 'consent'
  returning id, person_id, recipients, field_groups, method, given_on, created_at
),
register_consent_payloads as (
  select c.id, c.person_id, c.created_at,
         jsonb_build_object('consentId', c.id, 'personId', c.person_id, 'fieldGroups', to_jsonb(c.field_groups), 'recipients', c.recipients, 'method', c.method, 'givenOn', c.given_on, 'endsOn', null) as payload
    from register_consents c
),
register_events as (
  insert into domain_events (${EVENT_COLUMNS})
  select $1, 'RegisterEntry', t.entry_id, 1, null::uuid, 'RegisterEntryAdded',
         jsonb_build_object('source', case when t.known then 'survey' else 'import' end, 'eligible', (t.profile ->> 'eligible')::boolean, 'districtCode', t.district_code),
         'staff', k.staff_id, k.department_id, t.created_at, now()
    from register_timed t, keeper k
  union all
  select $1, 'RegisterEntry', s.entry_id, s.version, null, s.event,
         jsonb_strip_nulls(jsonb_build_object('from', s.from_state, 'to', s.to_state, 'provision', s.provision, 'reason', s.reason)), 'staff', k.staff_id, k.department_id, s.at, now()
    from register_steps s, keeper k
  union all
  select $1, 'PersonConsent', c.id, 1, null, reg.r -> 'consent' ->> 'event', c.payload, 'staff', k.staff_id, k.department_id, c.created_at, now()
    from register_consent_payloads c, register reg, keeper k
),
register_audit as (
  select 'register.add' as action, 'RegisterEntry' as subject_type, t.entry_id::text as subject_id, t.person_id, 'DMA_ROSTER_INTERNAL' as legal_basis,
         jsonb_build_object('source', case when t.known then 'survey' else 'import' end) as detail, t.created_at as at
    from register_timed t
  union all
  select s.action, 'RegisterEntry', s.entry_id::text, s.person_id, 'DMA_ROSTER_INTERNAL',
         jsonb_build_object('from', s.from_state, 'to', s.to_state, 'provision', s.provision, 'reason', s.reason), s.at
    from register_steps s
  union all
  select 'consent.record', 'PersonConsent', c.id::text, c.person_id, null, c.payload, c.created_at from register_consent_payloads c
)
`;
