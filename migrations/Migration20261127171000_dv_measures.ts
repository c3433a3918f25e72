import { Migration } from '@mikro-orm/migrations';
import { APP_ROLE, tenantTable } from './support/tenant-table';

/** The states in which a measure protects: from the request on (a protective measure never waits), until lifted, declined or lapsed. */
const PROTECTING = `'requested', 'active', 'extension_requested', 'lift_requested'`;

/**
 * DV等支援措置 as a record with a lifecycle (dv_measures) instead of a flag on the person, and THE rule of
 * who is protected, by whom, decided once in SQL: `person_dv_protectors(person)` is the protectors of every
 * measure in force on that day that names the person, or covers the household they belong to; null when
 * none is. Every reader of person fields goes through it (the Person entity reads it as a formula, lists
 * call it in SQL). Existing flags become active measures of a year from today, so no protection is lost.
 */
export class Migration20261127171000_dv_measures extends Migration {
  override name = 'Migration20261127171000_dv_measures';

  override up(): void {
    this.addSql(
      `create table dv_measures (
        id uuid primary key,
        tenant_id uuid not null references tenants (id) deferrable initially deferred,
        person_id uuid not null,
        department_id uuid not null,
        state text not null,
        machine text not null,
        starts_on date not null,
        ends_on date not null,
        pending_ends_on date,
        covers_household boolean not null default false,
        protector_ids uuid[] not null check (cardinality(protector_ids) > 0),
        reason text not null,
        requested_by uuid not null,
        pending_request text,
        pending_requested_by uuid,
        pending_reason text,
        decided_by uuid,
        decline_reason text,
        renewal_due_on date,
        version int not null default 1,
        created_at timestamptz not null,
        updated_at timestamptz not null,
        check (ends_on >= starts_on),
        foreign key (tenant_id, person_id) references persons (tenant_id, id) deferrable initially deferred
      )`,
    );
    this.addSql(`create index dv_measures_person on dv_measures (tenant_id, person_id, created_at, id)`);
    this.addSql(`create index dv_measures_due on dv_measures (tenant_id, state, ends_on)`);
    this.addSql(`create index dv_measures_renewals on dv_measures (tenant_id, department_id, renewal_due_on, id) where renewal_due_on is not null`);
    for (const sql of tenantTable('dv_measures', 'select, insert, update')) this.addSql(sql);
    this.addSql(
      `create function jp_today() returns date language sql stable parallel safe as $$ select (now() at time zone 'Asia/Tokyo')::date $$`,
    );
    // Runs as the caller (no security definer): row-level security keeps it inside the tenant.
    this.addSql(
      `create function person_dv_protectors(person uuid) returns uuid[] language sql stable as $$
         select array_agg(distinct protector) from dv_measures m cross join unnest(m.protector_ids) protector
          where m.state in (${PROTECTING})
            and m.starts_on <= jp_today()
            and greatest(m.ends_on, coalesce(m.pending_ends_on, m.ends_on)) >= jp_today()
            and (m.person_id = person
                 or (m.covers_household and exists (
                       select 1 from persons named join persons member on member.household_id = named.household_id
                        where named.id = m.person_id and member.id = person)))
       $$`,
    );
    this.addSql(`grant execute on function jp_today() to ${APP_ROLE}`);
    this.addSql(`grant execute on function person_dv_protectors(uuid) to ${APP_ROLE}`);
    this.addSql(
      `insert into dv_measures (id, tenant_id, person_id, department_id, state, machine, starts_on, ends_on, covers_household, protector_ids, reason,
                                requested_by, decided_by, created_at, updated_at)
       select gen_random_uuid(), p.tenant_id, p.id, p.collected_by_department_id, 'active', 'dv-measure.v1', least(p.created_at::date, jp_today()),
              jp_today() + interval '1 year' - interval '1 day', false, p.dv_protector_ids, '既存の支援措置の移行', p.dv_protector_ids[1], null, now(), now()
         from persons p
        where p.dv_protected and p.collected_by_department_id is not null and cardinality(p.dv_protector_ids) > 0`,
    );
    this.addSql(`alter table persons drop column dv_protected, drop column dv_protector_ids`);
  }
}
