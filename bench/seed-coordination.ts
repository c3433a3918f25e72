import { DEFAULT_RULE_SET, evaluateCriteria } from '../src/modules/coordination/domain/escalation-criteria';

/** The issue sets large-seed gives its cases, in its order (case number mod 4). */
export const SEED_ISSUES = [['care', 'poverty'], ['hikikomori', '8050'], ['childcare'], ['disability', 'housing']] as const;

/**
 * What the default criteria match for each issue set, keyed by the set joined with commas: the
 * evaluation row's form (with reasons) and the event's (code and label), so the seed's criteria
 * are the service's own, never a copy.
 */
export function seedCriteria(): { evaluations: string; events: string } {
  const evaluations: Record<string, unknown> = {};
  const events: Record<string, unknown> = {};
  for (const issues of SEED_ISSUES) {
    const { matched } = evaluateCriteria(DEFAULT_RULE_SET, { issues: [...issues], declinedReferrals: 0, daysSinceLastEvent: 0 });
    evaluations[issues.join(',')] = matched;
    events[issues.join(',')] = matched.map((m) => ({ code: m.code, label: m.label }));
  }
  return { evaluations: JSON.stringify(evaluations), events: JSON.stringify(events) };
}

const EVENT_COLUMNS = 'tenant_id, aggregate_type, aggregate_id, aggregate_version, case_id, type, payload, actor_type, occurred_at, published_at';
/** The coordination stage of every tenth open case, and the event that moved it there from screening. */
const STAGES = `(values ('screening', null), ('shien_kaigi', 'CoordinationShienKaigiTrackStarted'), ('assessment', 'CoordinationConsentTrackStarted'),
  ('planning', 'SupportPlanDraftingStarted'), ('support', 'SupportPlanApproved'), ('monitoring', 'CoordinationMonitoringStarted')) as stage(state, event)`;
const PLANNED = `('planning', 'support', 'monitoring')`;

/**
 * CTEs for one batch, after large-seed's `numbered_cases` (id, case_number, lead_department_id,
 * state, coordination_status, issues, created_at, updated_at, rn): the cases' own events and matched
 * criteria, and for coordinated cases 多機関協働 records with 支援プラン, tasks and 支援会議, each with
 * the events the service would have written. $3: evaluations by issue set, $4: criteria events.
 */
export const coordinationCtes = `
case_events as (
  insert into domain_events (${EVENT_COLUMNS})
  select $1, 'Case', c.id, 1, c.id, 'CaseOpened', jsonb_build_object('caseNumber', c.case_number, 'issues', c.issues, 'leadDepartmentId', c.lead_department_id, 'state', 'intake', 'persons', 1), 'staff', c.created_at, now() from numbered_cases c
  union all
  select $1, 'Case', c.id, 2, c.id, case c.state when 'assessment' then 'CaseAssessmentStarted' when 'support' then 'CaseSupportStarted' when 'monitoring' then 'CaseMonitoringStarted' else 'CaseClosed' end,
         jsonb_build_object('from', 'intake', 'to', c.state), 'staff', greatest(c.updated_at, c.created_at + interval '1 hour'), now()
    from numbered_cases c where c.state <> 'intake'
  returning id
),
evaluations as (
  insert into escalation_evaluations (tenant_id, case_id, rule_set_version, candidate, urgent, matched, evaluated_at)
  select $1, c.id, 0, jsonb_array_length(m.matched) > 0, false, m.matched, c.created_at + interval '1 minute'
    from numbered_cases c cross join lateral (select ($3::jsonb) -> array_to_string(c.issues, ',') as matched) m
  returning id
),
criteria_events as (
  insert into domain_events (${EVENT_COLUMNS})
  select $1, 'CaseCriteria', c.id, 1, null, 'EscalationCriteriaMatched', jsonb_build_object('ruleSetVersion', 0, 'matched', m.matched, 'leadDepartmentId', c.lead_department_id), 'system', c.created_at + interval '1 minute', now()
    from numbered_cases c cross join lateral (select ($4::jsonb) -> array_to_string(c.issues, ',') as matched) m
   where jsonb_array_length(m.matched) > 0
  returning id
),
new_coordination as (
  insert into coordination_cases (id, tenant_id, case_id, lead_department_id, state, machine, coordinator_id, created_at, updated_at)
  select gen_random_uuid(), $1, c.id, c.lead_department_id, (array['screening', 'shien_kaigi', 'assessment', 'planning', 'support', 'monitoring'])[1 + (c.rn / 10 % 6)::int], 'coordination.v1', s.ids[1],
         c.created_at + interval '5 days', c.created_at + interval '12 days'
    from numbered_cases c, staff_ids s where c.coordination_status = 'coordinating'
  returning id, case_id, state, created_at
),
numbered_coordination as (select k.*, row_number() over () - 1 as rn from new_coordination k),
new_tasks as (
  insert into plan_tasks (id, tenant_id, coordination_case_id, plan_version, goal_id, department_id, title, kind, due_on, status, reported_at, created_at)
  select gen_random_uuid(), $1, k.id, 1, 'g1', d.ids[1 + ((k.rn + j) % array_length(d.ids, 1))::int], '支援タスク', 'standard', (k.created_at + make_interval(days => 20 + 40 * j))::date,
         case when k.state = 'monitoring' and j = 0 then 'done' else 'open' end, case when k.state = 'monitoring' and j = 0 then k.created_at + interval '20 days' end, k.created_at + interval '10 days'
    from numbered_coordination k, depts d, generate_series(0, 1) j where k.state in ${PLANNED}
  returning id, coordination_case_id, department_id, due_on, status, reported_at
),
new_plans as (
  insert into support_plans (id, tenant_id, coordination_case_id, version, goals, state, created_by, created_at)
  select gen_random_uuid(), $1, k.id, 1, '[{"id": "g1", "text": "生活の安定"}]', case when k.state = 'planning' then 'draft' else 'approved' end, s.ids[1], k.created_at + interval '10 days'
    from new_coordination k, staff_ids s where k.state in ${PLANNED}
  returning id
),
task_lists as (
  select coordination_case_id, jsonb_agg(jsonb_build_object('id', id, 'departmentId', department_id, 'dueOn', due_on) order by due_on) as tasks from new_tasks group by 1
),
new_meetings as (
  insert into meetings (id, tenant_id, kind, title, held_on, access_until, created_by)
  select gen_random_uuid(), $1, 'shien_kaigi', '支援会議 第' || g || '回', current_date - 7, current_date + 23, s.ids[1] from generate_series(1, greatest(1, $2 / 250)) g, staff_ids s
  returning id, kind, held_on, access_until
),
numbered_meetings as (select m.*, row_number() over () - 1 as rn, count(*) over () as total from new_meetings m),
shared as (
  insert into meeting_cases (id, tenant_id, meeting_id, coordination_case_id, case_id, legal_basis, shared, shared_by, shared_at)
  select gen_random_uuid(), $1, m.id, k.id, k.case_id, 'SWA_SHIEN_KAIGI', '{"case": {"fields": ["issues"]}}', s.ids[1], k.created_at + interval '7 days'
    from numbered_coordination k join numbered_meetings m on m.rn = k.rn % m.total, staff_ids s
  returning id, meeting_id, case_id, shared_at
),
coordination_events as (
  insert into domain_events (${EVENT_COLUMNS})
  select $1, 'Meeting', m.id, 1, null, 'MeetingConvened', jsonb_build_object('kind', m.kind, 'heldOn', m.held_on, 'accessUntil', m.access_until), 'staff', now() - interval '7 days', now() from new_meetings m
  union all
  select $1, 'CoordinationCase', k.id, 1, k.case_id, 'CoordinationOpened', jsonb_build_object('coordinationCaseId', k.id, 'escalationId', null, 'state', 'screening', 'leadDepartmentId', c.lead_department_id), 'staff', k.created_at, now() from new_coordination k join numbered_cases c on c.id = k.case_id
  union all
  select $1, 'MeetingCase', x.id, 1, x.case_id, 'CaseSharedWithMeeting', jsonb_build_object('meetingId', x.meeting_id, 'kind', 'shien_kaigi', 'legalBasis', 'SWA_SHIEN_KAIGI', 'members', 1), 'staff', x.shared_at, now() from shared x
  union all
  select $1, 'CoordinationCase', k.id, 2, k.case_id, stage.event, jsonb_build_object('from', 'screening', 'to', k.state), 'staff', k.created_at + interval '8 days', now()
    from new_coordination k join ${STAGES} on stage.state = k.state where stage.event is not null
  union all
  select $1, 'CoordinationCase', k.id, 3, k.case_id, 'SupportPlanDrafted', jsonb_build_object('planVersion', 1, 'goals', 1, 'tasks', 2, 'participation', 0, 'planTasks', l.tasks), 'staff', k.created_at + interval '10 days', now()
    from new_coordination k join task_lists l on l.coordination_case_id = k.id
  union all
  select $1, 'PlanTask', t.id, 2, k.case_id, 'PlanTaskCompleted', jsonb_build_object('taskId', t.id, 'title', '支援タスク', 'departmentId', t.department_id), 'staff', t.reported_at, now()
    from new_tasks t join new_coordination k on k.id = t.coordination_case_id where t.status = 'done'
  returning id
)`;
