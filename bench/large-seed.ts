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
  try {
    const staff: string[] = (await client.query(`select id from staff where tenant_id = $1 order by login`, [tenant])).rows.map((r) => r.id);
    // The log's secondary indexes are built once at the end instead of row by row (10⁷ random inserts).
    const indexes = await dropSecondaryIndexes(client, 'audit_log');
    try {
      for (let done = 0; done < cases; done += BATCH) {
        const size = Math.min(BATCH, cases - done);
        await client.query('begin');
        // Bulk rows go in behind the triggers: the chain trigger would take the head's lock once per row.
        await client.query('set local session_replication_role = replica');
        const links = (await client.query<{ case_id: string; person_id: string }>(batchSql, [tenant, size, criteria.evaluations, criteria.events])).rows;
        const chain = await SeedAuditChain.open(client, tenant);
        const range = await chain.append(client, auditRows(links, staff));
        if (done === 0) await chain.checkSealed(client, range);
        await client.query('commit');
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
new_referrals as (
  insert into referrals (id, tenant_id, case_id, from_department_id, to_department_id, created_by, purpose, state, machine, shared, legal_basis, legal_basis_reason, due_on, expires_on, created_at, updated_at)
  select gen_random_uuid(), $1, c.id, c.lead_department_id, d.ids[1 + ((array_position(d.ids, c.lead_department_id) + (c.rn / 2) % 3) % 4)::int], s.ids[1], 'つなぎ',
         (array['proposed','accepted','declined','completed'])[1 + ((c.rn / 2) % 4)::int], 'referral.v1', '{"case":{"fields":[],"values":{},"version":1},"persons":[]}',
         'APPI_INTERNAL', '庁内の支援調整', (c.created_at + interval '7 days')::date, (c.created_at + interval '12 days')::date, c.created_at, c.created_at
  from numbered_cases c, depts d, staff_ids s where c.rn % 2 = 0 -- every other case; rn / 2 spreads states and receivers over them
  returning id, case_id, from_department_id, to_department_id, state, due_on, created_at
),
referral_events as (
  insert into domain_events (tenant_id, aggregate_type, aggregate_id, aggregate_version, case_id, type, payload, actor_type, occurred_at, published_at)
  select $1, 'Referral', r.id, 1, r.case_id, 'ReferralProposed', jsonb_build_object('fromDepartmentId', r.from_department_id, 'toDepartmentId', r.to_department_id, 'dueOn', r.due_on), 'staff', r.created_at, now() from new_referrals r
  union all
  select $1, 'Referral', r.id, 2, r.case_id, case r.state when 'declined' then 'ReferralDeclined' else 'ReferralAccepted' end, '{}', 'staff', r.created_at + interval '30 hours', now() from new_referrals r where r.state <> 'proposed'
  union all
  select $1, 'Referral', r.id, 3, r.case_id, 'ReferralStarted', '{}', 'staff', r.created_at + interval '31 hours', now() from new_referrals r where r.state = 'completed'
  union all
  select $1, 'Referral', r.id, 4, r.case_id, 'ReferralCompleted', '{"outcome": "resolved"}', 'staff', r.created_at + interval '12 days', now() from new_referrals r where r.state = 'completed'
  returning id
),
${coordinationCtes}
select case_id, person_id from links
`;

/** Ten audit rows for each case's person (an opening, a share, eight reads), by staff in turn. */
function* auditRows(links: { case_id: string; person_id: string }[], staff: string[]): Generator<SeedAuditRow> {
  const actions = ['case.open', 'case.read', 'case.read', 'case.read', 'referral.share', 'case.read', 'case.read', 'case.read', 'case.read', 'case.read'];
  for (const [i, link] of links.entries()) {
    for (const action of actions) yield { actorId: staff[(i + 1) % staff.length], action, subjectType: 'Case', subjectId: link.case_id, personId: link.person_id };
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
