import { Migration } from '@mikro-orm/migrations';
import { APP_ROLE, tenantTable } from './support/tenant-table';

/**
 * 名寄せ (merging duplicate person records): the duplicate stays as a tombstone (`merged_into_id`), every
 * reference that moved is kept in `person_merge_moves` so an undo restores exactly those, and the audit
 * log — hash-chained, never rewritten — is followed through `person_aliases()` instead.
 */
export class Migration20261127172000_person_merges extends Migration {
  override name = 'Migration20261127172000_person_merges';

  override up(): void {
    this.addSql(`alter table persons add column merged_into_id uuid, add column merged_at timestamptz`);
    this.addSql(
      `create table person_merges (
        id uuid primary key,
        tenant_id uuid not null references tenants (id) deferrable initially deferred,
        surviving_person_id uuid not null,
        merged_person_id uuid not null,
        department_id uuid not null,
        merged_by uuid not null,
        reason text not null,
        state text not null check (state in ('merged', 'undone')),
        undo_until timestamptz not null,
        undone_by uuid,
        undo_reason text,
        undone_at timestamptz,
        version int not null default 1,
        created_at timestamptz not null,
        check (surviving_person_id <> merged_person_id),
        foreign key (tenant_id, surviving_person_id) references persons (tenant_id, id) deferrable initially deferred,
        foreign key (tenant_id, merged_person_id) references persons (tenant_id, id) deferrable initially deferred
      )`,
    );
    this.addSql(`create unique index person_merges_one_standing on person_merges (tenant_id, merged_person_id) where state = 'merged'`);
    this.addSql(`create index person_merges_surviving on person_merges (tenant_id, surviving_person_id) where state = 'merged'`);
    for (const sql of tenantTable('person_merges', 'select, insert, update')) this.addSql(sql);
    this.addSql(
      `create table person_merge_moves (
        id bigserial primary key,
        tenant_id uuid not null references tenants (id) deferrable initially deferred,
        merge_id uuid not null references person_merges (id) deferrable initially deferred,
        reference text not null,
        row_id text not null,
        detail jsonb not null default '{}'
      )`,
    );
    this.addSql(`create index person_merge_moves_merge on person_merge_moves (merge_id)`);
    for (const sql of tenantTable('person_merge_moves', 'select, insert')) this.addSql(sql);
    this.addSql(`grant usage on sequence person_merge_moves_id_seq to ${APP_ROLE}`);
    // References follow the survivor: only the person column may change on receipts and links.
    this.addSql(`grant update (person_id) on case_persons, disclosures to ${APP_ROLE}`);
    this.addSql(`grant update (person_ids) on provisions to ${APP_ROLE}`);
    this.addSql(`grant update (shared) on meeting_cases to ${APP_ROLE}`);
    // A person's ids in the audit log: itself and every record standing merged into it, through chains
    // (row-level security keeps the service to its tenant's merges).
    this.addSql(
      `create function person_aliases(person uuid) returns uuid[] language sql stable parallel safe as $$
         with recursive aliases(id) as (
           select person
           union
           select m.merged_person_id from person_merges m join aliases a on m.surviving_person_id = a.id
            where m.state = 'merged'
         )
         select array_agg(id) from aliases
       $$`,
    );
    this.addSql(`grant execute on function person_aliases(uuid) to ${APP_ROLE}`);
  }
}
