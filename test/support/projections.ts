import { CandidateWatcher } from '../../src/modules/coordination/criteria/candidate-watcher';
import { Projector } from '../../src/modules/reporting/projector';
import { Db } from '../../src/platform/database/db';
import { OutboxRelay } from '../../src/platform/events/outbox-relay';
import type { TestApp } from './test-app';

/** Relays the outbox until it is empty: criteria evaluations write events of their own, which go out too. */
export async function settle(t: TestApp): Promise<void> {
  for (;;) {
    const relayed = await t.app.get(OutboxRelay).relayOnce();
    await t.app.get(CandidateWatcher).idle();
    await t.app.get(Projector).idle();
    if (relayed === 0) return;
  }
}

/** Every read model as stored and as recomputed from the raw events, by name. */
export async function projectionsAndRecomputation(t: TestApp, tenantId: string) {
  return t.app.get(Db).inTenant(tenantId, async (em) => {
    const result: Record<string, { stored: Map<string, unknown>; recomputed: Map<string, unknown> }> = {};
    for (const store of t.app.get(Projector).stores) result[store.projection.name] = { stored: await store.stored(em), recomputed: await store.recompute(em) };
    return result;
  });
}

/** Each trigger-kept counter next to the same figures grouped from its fact table (as the owner: all tenants). */
export async function countersAndFacts(t: TestApp) {
  const pairs = {
    coordination: [
      `select tenant_id, state, opened_on::text as day, lead_department_id, cases, opened_epoch_sum::numeric(20, 3) as epochs from coordination_stage_counts`,
      `select tenant_id, state, (opened_at at time zone 'Asia/Tokyo')::date::text as day, lead_department_id, count(*)::int as cases, sum(extract(epoch from opened_at))::numeric(20, 3) as epochs from coordination_facts group by 1, 2, 3, 4`,
    ],
    tasks: [
      `select tenant_id, department_id, due_on::text as day, tasks from open_task_counts`,
      `select tenant_id, department_id, due_on::text as day, count(*)::int as tasks from task_facts where status = 'open' group by 1, 2, 3`,
    ],
    referrals: [
      `select tenant_id, month::text as month, from_department_id, to_department_id, referrals, accepted, declined from referral_month_counts`,
      `select tenant_id, date_trunc('month', proposed_at at time zone 'Asia/Tokyo')::date::text as month, from_department_id, to_department_id,
              count(*)::int as referrals, count(accepted_at)::int as accepted, (count(*) filter (where state = 'declined'))::int as declined
         from referral_facts group by 1, 2, 3, 4`,
    ],
    referralDurations: [
      `select tenant_id, month::text as month, from_department_id, to_department_id, measure, bucket, n from referral_month_durations`,
      `select tenant_id, date_trunc('month', proposed_at at time zone 'Asia/Tokyo')::date::text as month, from_department_id, to_department_id, measure, bucket, count(*)::int as n
         from (select *, 'accept' as measure, referral_duration_bucket(extract(epoch from accepted_at - proposed_at)) as bucket from referral_facts where accepted_at is not null
               union all
               select *, 'complete', referral_duration_bucket(extract(epoch from completed_at - proposed_at)) from referral_facts where completed_at is not null) d
        group by 1, 2, 3, 4, 5, 6`,
    ],
    referralsOpen: [
      `select tenant_id, month::text as month, from_department_id, to_department_id, due_on::text as due_on, referrals from referral_open_counts`,
      `select tenant_id, date_trunc('month', proposed_at at time zone 'Asia/Tokyo')::date::text as month, from_department_id, to_department_id, due_on::text as due_on, count(*)::int as referrals
         from referral_facts where state = 'proposed' and due_on is not null group by 1, 2, 3, 4, 5`,
    ],
    criteria: [
      `select tenant_id, code, label, triggered_on::text as day, lead_department_id, triggers from criteria_counts`,
      `select tenant_id, code, label->>'ja' as label, (triggered_at at time zone 'Asia/Tokyo')::date::text as day, lead_department_id, count(*)::int as triggers from criteria_triggers group by 1, 2, 3, 4, 5`,
    ],
  };
  const sorted = async (sql: string) => (await t.sql(sql)).map((r) => Object.values(r).map(String).join('|')).sort();
  const result: Record<string, { counters: string[]; facts: string[] }> = {};
  for (const [name, [counters, facts]] of Object.entries(pairs)) result[name] = { counters: await sorted(counters), facts: await sorted(facts) };
  return result;
}
