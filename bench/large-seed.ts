/**
 * npm run seed:large -- --cases N   (or LARGE_CASES=N; 10⁵ by default, each case with ten audit rows)
 * A realistic tenant for demos and benchmarks, in the service's own database (DATABASE_URL, or the
 * embedded one in DATA_DIR): households, cases, referrals, 多機関協働 records with 支援プラン, tasks and
 * 支援会議, all with their events, written by set-based SQL in batches, and their audit rows streamed
 * with COPY (large-seed-audit.ts), with a progress bar on stderr; then the read models are rebuilt from
 * those events.
 */
import 'reflect-metadata';
import pg from 'pg';
import { loadConfig } from '../src/config/config';
import { prepareDatabase } from '../src/platform/database/prepare-database';
import { tenantId } from '../seeds/demo-data';
import { Projector } from '../src/modules/reporting/projector';
import { createApp } from '../src/platform/http/create-app';
import { createLogger } from '../src/platform/http/logger';
import { coordinationCtes, SEED_ISSUES, seedCriteria } from './seed-coordination';
import { SeedAuditChain, type SeedAuditRow } from './large-seed-audit';
import { registerCtes, SEED_EXTRA_DISTRICTS, seedRegister } from './seed-register';

const BATCH = 10_000;

async function main(): Promise<void> {
  const cases = Number(argument('--cases') ?? process.env.LARGE_CASES ?? 100_000);
  const config = loadConfig({ ...process.env, SEED_DEMO: 'true' });
  const database = await prepareDatabase(config);
  // Bulk rows go in behind the triggers (below), which only a superuser may do.
  if (!database.superuserUrl) throw new Error('seed:large needs a superuser: the embedded database, or a superuser DATABASE_URL');
  const client = new pg.Client({ connectionString: database.superuserUrl });
  await client.connect();
  const tenant = tenantId('tsunagi-city');
  const started = Date.now();
  const criteria = seedCriteria();
  const register = seedRegister();
  try {
    const staff: string[] = (await client.query(`select id from staff where tenant_id = $1 order by login`, [tenant])).rows.map((r) => r.id);
    // The register is kept by 地区: a city of this size has some forty.
    await client.query(
      `insert into districts (id, tenant_id, code, name) select gen_random_uuid(), $1, 'L' || lpad(g::text, 2, '0'), '第' || g || '地区' from generate_series(1, $2::int) g on conflict do nothing`,
      [tenant, SEED_EXTRA_DISTRICTS],
    );
    const [keeper] = (
      await client.query<Keeper>(
        `select ra.staff_id, d.id department_id, 'counselor@' || d.code as role from departments d join role_assignments ra on ra.department_id = d.id and ra.role = 'counselor'
          where d.tenant_id = $1 and 'register' = any(d.responsibilities) order by d.sort_order, ra.staff_id limit 1`,
        [tenant],
      )
    ).rows;
    // The log's secondary indexes are built once at the end instead of row by row (10⁷ random inserts).
    const indexes = await dropSecondaryIndexes(client, 'audit_log');
    try {
      for (let done = 0; done < cases; done += BATCH) {
        const size = Math.min(BATCH, cases - done);
        await client.query('begin');
        try {
          // Bulk rows go in behind the triggers: the chain trigger would take the head's lock once per row.
          await client.query('set local session_replication_role = replica');
          const rows = (await client.query<BatchRow>(batchSql, [tenant, size, criteria.evaluations, criteria.events, register, keeper.staff_id, keeper.department_id])).rows;
          const chain = await SeedAuditChain.open(client, tenant);
          const range = await chain.append(client, auditRows(rows, staff, keeper));
          if (done === 0) await chain.checkSealed(client, range);
          await client.query('commit');
        } catch (error) {
          // Else the indexes' rebuild below fails in the aborted transaction and hides the cause.
          await client.query('rollback');
          throw error;
        }
        progress(done + size, cases, started);
      }
    } finally {
      await restoreIndexes(client, indexes);
    }
    // The read models are built the service's way: a rebuild from the events the batches wrote.
    const app = await createApp({ ...config, outboxPollMs: 0, outboxListen: false, database: { ...config.database, url: database.url } }, createLogger('silent'));
    await app.init();
    const rebuilding = Date.now();
    const counts = await app.get(Projector).rebuild(tenant);
    await app.close();
    process.stderr.write(`\nprojections rebuilt in ${((Date.now() - rebuilding) / 1000).toFixed(1)} s: ${JSON.stringify(counts)}`);
    // Bulk-loaded tables have no statistics until autovacuum gets to them: without these the planner
    // estimates one row per filter and sorts whole departments (seen at 10⁵ cases: 100–400 ms per list).
    const analysing = Date.now();
    await client.query('vacuum analyze');
    process.stderr.write(`\nvacuum analyze in ${((Date.now() - analysing) / 1000).toFixed(1)} s`);
    const [sizes] = (
      await client.query(`select (select count(*) from cases)::int cases, (select count(*) from referrals)::int referrals, (select count(*) from audit_log)::int audit,
        pg_size_pretty(pg_database_size(current_database())) database`)
    ).rows;
    process.stderr.write(`\ndone: ${cases} cases in ${((Date.now() - started) / 1000).toFixed(1)} s; now ${JSON.stringify(sizes)}\n`);
  } finally {
    await client.end();
    await database.embedded?.stop();
  }
}

/** What the deadline sweep's events say (SweepReferralDeadlinesHandler.record). */
const sweepPayload = `jsonb_build_object('fromDepartmentId', r.from_department_id, 'toDepartmentId', r.to_department_id, 'dueOn', r.due_on, 'expiresOn', r.expires_on)`;

/** One batch: households, persons, cases, referrals (proposed, accepted, declined, completed), their events, and reads in the audit log. */
const batchSql = `
with depts as (select array_agg(id order by sort_order) ids from departments where tenant_id = $1),
staff_ids as (select array_agg(id order by login) ids from staff where tenant_id = $1),
-- h1, h2: two hashes of the number in [0, 2³²), so department, state and age vary independently (as
-- functions of n mod 4, 5 and 60 they were locked together: one department had none of the oldest cases).
numbers as (
  select g, n, hashint8(n)::bigint + 2147483648 h1, hashint8(-n)::bigint + 2147483648 h2
  from (select g, nextval('case_number_seq') n from generate_series(1, $2) g) s
),
people as (
  insert into persons (id, tenant_id, family_name, given_name, birth_date, sex, address)
  select gen_random_uuid(), $1, '試験', '太郎' || n, date '1930-01-01' + (n % 25000)::int, 'unknown', 'つなぎ市本町' || n from numbers
  returning id, given_name
),
numbered_people as (select id, row_number() over () rn from people),
new_cases as (
  insert into cases (id, tenant_id, case_number, title, lead_department_id, opened_by_department_id, opened_by, issues, state, machine, coordination_status, created_at, updated_at)
  select gen_random_uuid(), $1, 'L-' || n, '大量データ ' || n, d.ids[1 + (h1 / 5 % 4)::int], d.ids[1 + (h1 / 5 % 4)::int], s.ids[1 + (n % array_length(s.ids, 1))::int],
         case n % 4 ${SEED_ISSUES.map((set, i) => `when ${i} then '{${set.join(',')}}'::text[]`).join(' ')} end,
         (array['intake','assessment','support','monitoring','closed'])[1 + (h1 % 5)::int], 'case.v1',
         -- Every tenth case that is still open is with the 多機関協働 coordinator.
         case when n % 10 = 1 and h1 % 5 <> 4 then 'coordinating' else 'none' end,
         -- Opened within the year, last changed within 60 days of now (never before it was opened), to the second.
         now() - make_interval(secs => h2 % 31536000), now() - make_interval(secs => least(h2 % 31536000, h1 / 20 % 5184000))
  from numbers, depts d, staff_ids s
  returning id, case_number, lead_department_id, state, coordination_status, issues, created_at, updated_at
),
numbered_cases as (select c.*, row_number() over () rn from new_cases c),
links as (
  insert into case_persons (tenant_id, case_id, person_id, relation)
  select $1, c.id, p.id, '本人' from numbered_cases c join numbered_people p on p.rn = c.rn
  returning case_id, person_id
),
-- Referral states as the deadline sweep would have left them by now: a proposal is answered within its
-- week, so one still waiting was made in the last six days (due ahead) or, a few, is overdue; one in
-- forty of the older proposals went unanswered past its grace and expired (ReferralOverdue, then
-- ReferralExpired, by the system). The service's sweep then finds next to nothing to do.
referral_input as (
  select c.*, k.kind, case
      when c.created_at > now() - interval '6 days' then 'proposed'
      when k.kind = 0 and (c.rn / 8) % 10 = 0 then case
        when c.created_at <= now() - interval '14 days' then 'expired'
        -- Past its due date by a day or more (in Japan too), not yet past its grace.
        when c.created_at <= now() - interval '8 days' and c.created_at > now() - interval '11 days' then 'overdue'
        else 'accepted' end
      -- Work takes time: nothing made in the last two weeks is completed yet.
      when k.kind = 3 and c.created_at > now() - interval '14 days' then 'accepted'
      else (array['accepted','accepted','declined','completed'])[1 + k.kind]
    end as fate
  from numbered_cases c, lateral (select ((c.rn / 2) % 4)::int as kind) k where c.rn % 2 = 0 -- every other case; rn / 2 spreads states and receivers over them
),
new_referrals as (
  insert into referrals (id, tenant_id, case_id, from_department_id, to_department_id, created_by, purpose, state, machine, shared, legal_basis, legal_basis_reason, due_on, expires_on, overdue_at, version, created_at, updated_at)
  select gen_random_uuid(), $1, c.id, c.lead_department_id, d.ids[1 + ((array_position(d.ids, c.lead_department_id) + (c.rn / 2) % 3) % 4)::int], s.ids[1], 'つなぎ',
         case c.fate when 'overdue' then 'proposed' else c.fate end, 'referral.v1', '{"case":{"fields":[],"values":{},"version":1},"persons":[]}',
         'APPI_INTERNAL', '庁内の支援調整', (c.created_at + interval '7 days')::date, (c.created_at + interval '12 days')::date,
         case when c.fate in ('overdue', 'expired') then (c.created_at + interval '8 days')::date::timestamptz end,
         case c.fate when 'proposed' then 1 when 'overdue' then 2 when 'expired' then 3 when 'completed' then 4 else 2 end,
         c.created_at, c.created_at
  from referral_input c, depts d, staff_ids s
  returning id, case_id, from_department_id, to_department_id, state, due_on, expires_on, overdue_at, created_at
),
referral_events as (
  insert into domain_events (tenant_id, aggregate_type, aggregate_id, aggregate_version, case_id, type, payload, actor_type, occurred_at, published_at)
  select $1, 'Referral', r.id, 1, r.case_id, 'ReferralProposed', jsonb_build_object('fromDepartmentId', r.from_department_id, 'toDepartmentId', r.to_department_id, 'dueOn', r.due_on), 'staff', r.created_at, now() from new_referrals r
  union all
  select $1, 'Referral', r.id, 2, r.case_id, case r.state when 'declined' then 'ReferralDeclined' else 'ReferralAccepted' end, '{}', 'staff', r.created_at + interval '30 hours', now() from new_referrals r where r.state in ('accepted', 'declined', 'completed')
  union all
  select $1, 'Referral', r.id, 3, r.case_id, 'ReferralStarted', '{}', 'staff', r.created_at + interval '31 hours', now() from new_referrals r where r.state = 'completed'
  union all
  select $1, 'Referral', r.id, 4, r.case_id, 'ReferralCompleted', '{"outcome": "resolved"}', 'staff', r.created_at + interval '12 days', now() from new_referrals r where r.state = 'completed'
  union all
  -- The sweep's own events (SweepReferralDeadlinesHandler): the system notes the referral overdue, then expires it.
  select $1, 'Referral', r.id, 2, r.case_id, 'ReferralOverdue', ${sweepPayload}, 'system', r.overdue_at, now() from new_referrals r where r.overdue_at is not null
  union all
  select $1, 'Referral', r.id, 3, r.case_id, 'ReferralExpired', ${sweepPayload}, 'system', r.expires_on + interval '1 day', now() from new_referrals r where r.state = 'expired'
  returning id
),
referral_audit as (
  select 'referral.overdue' as action, r.id::text as subject_id, 'proposed' as state, r.overdue_at as at from new_referrals r where r.overdue_at is not null
  union all
  select 'referral.expire', r.id::text, 'expired', r.expires_on + interval '1 day' from new_referrals r where r.state = 'expired'
),
${coordinationCtes},
${registerCtes}
-- The cases' people (their audit rows are written in Node), then every other audit row the service would have written.
select case_id::text, person_id, null as actor, null as action, null as subject_type, null as subject_id, null as legal_basis, null::jsonb as detail, null::timestamptz as at from links
union all
select null, null, 'system', action, 'Referral', subject_id, null, jsonb_build_object('state', state), at from referral_audit
union all
select null, a.person_id, 'keeper', a.action, a.subject_type, a.subject_id, a.legal_basis, a.detail, a.at from register_audit a
order by at nulls first
`;

/** The counselor of the department that keeps the register: who entered and moved its entries. */
interface Keeper {
  staff_id: string;
  department_id: string;
  role: string;
}

/** A case's person (action null), or an audit row the batch's statement describes: the system's or the register keeper's. */
interface BatchRow {
  case_id: string | null;
  person_id: string | null;
  actor: 'system' | 'keeper' | null;
  action: string | null;
  subject_type: string;
  subject_id: string;
  legal_basis: string | null;
  detail: Record<string, unknown>;
}

/**
 * Ten audit rows for each case's person (an opening, a share, eight reads), by staff in turn; then
 * the deadline sweep's rows and the register keeper's, as the statement gave them.
 */
function* auditRows(rows: BatchRow[], staff: string[], keeper: Keeper): Generator<SeedAuditRow> {
  const actions = ['case.open', 'case.read', 'case.read', 'case.read', 'referral.share', 'case.read', 'case.read', 'case.read', 'case.read', 'case.read'];
  for (const [i, row] of rows.entries()) {
    if (row.action === null) {
      for (const action of actions) yield { actorId: staff[(i + 1) % staff.length], action, subjectType: 'Case', subjectId: row.case_id!, personId: row.person_id };
      continue;
    }
    // As the service names a staff member's roles in the log (auditContextFor): role@department.
    const actor = row.actor === 'keeper' ? { actorId: keeper.staff_id, actorRoles: [keeper.role], actorDepartmentId: keeper.department_id } : { actorId: null };
    yield { ...actor, action: row.action, subjectType: row.subject_type, subjectId: row.subject_id, personId: row.person_id, legalBasis: row.legal_basis, detail: row.detail };
  }
}

/** Drops a table's indexes other than its primary key and returns their definitions. */
async function dropSecondaryIndexes(client: pg.Client, table: string): Promise<string[]> {
  const { rows } = await client.query<{ name: string; definition: string }>(
    `select c.relname as name, pg_get_indexdef(i.indexrelid) as definition from pg_index i join pg_class c on c.oid = i.indexrelid
      where i.indrelid = $1::regclass and not i.indisprimary and not i.indisunique`,
    [table],
  );
  for (const { name } of rows) await client.query(`drop index ${client.escapeIdentifier(name)}`);
  return rows.map((r) => r.definition);
}

async function restoreIndexes(client: pg.Client, definitions: string[]): Promise<void> {
  const building = Date.now();
  await client.query(`set maintenance_work_mem = '512MB'`);
  for (const definition of definitions) await client.query(definition);
  process.stderr.write(`\n${definitions.length} audit_log indexes built in ${((Date.now() - building) / 1000).toFixed(1)} s`);
}

function argument(name: string): string | undefined {
  const index = process.argv.indexOf(name);
  return index >= 0 ? process.argv[index + 1] : undefined;
}

function progress(done: number, total: number, started: number): void {
  const width = 30;
  const filled = Math.round((done / total) * width);
  const rate = done / Math.max(1, (Date.now() - started) / 1000);
  process.stderr.write(`\r[${'#'.repeat(filled)}${'.'.repeat(width - filled)}] ${done}/${total} cases  ${rate.toFixed(0)}/s`);
}

void main().catch((error) => {
  process.stderr.write(`\n${error instanceof Error ? error.message : String(error)}\n`);
  process.exit(1);
});
