import { Migration } from '@mikro-orm/migrations';
import { tenantTable } from './support/tenant-table';

/**
 * 参加支援: a directory of 社会資源 (places, activities, employers and hosts) and the connections
 * (つなぎ先) of people to them, followed up until they hold or end. A connection's share with the host
 * is a disclosure receipt (recipient: the resource) the connection points at.
 */
export class Migration20261127176000_participation extends Migration {
  override name = 'Migration20261127176000_participation';

  override up(): void {
    this.addSql(
      `create table participation_resources (
        id uuid primary key,
        tenant_id uuid not null references tenants (id) deferrable initially deferred,
        name text not null,
        kind text not null,
        owner_department_id uuid not null,
        district_code text not null,
        address text,
        days text[] not null default '{}',
        hours text,
        capacity int check (capacity >= 0),
        free_places int check (free_places >= 0),
        costs text,
        accessibility text,
        languages text[] not null default '{}',
        run_by text,
        contact text,
        tags text[] not null default '{}',
        conditions text,
        state text not null,
        closed_reason text,
        as_of date not null,
        version int not null default 1,
        created_by uuid not null,
        created_at timestamptz not null,
        updated_at timestamptz not null
      )`,
    );
    this.addSql(`create index participation_resources_search on participation_resources (tenant_id, district_code, name, id)`);
    this.addSql(`create index participation_resources_tags on participation_resources using gin (tags)`);
    for (const sql of tenantTable('participation_resources', 'select, insert, update')) this.addSql(sql);
    this.addSql(
      `create table participation_connections (
        id uuid primary key,
        tenant_id uuid not null references tenants (id) deferrable initially deferred,
        resource_id uuid not null references participation_resources (id) deferrable initially deferred,
        person_id uuid not null,
        case_id uuid not null,
        plan_task_id uuid,
        department_id uuid not null,
        wish text not null,
        shared_fields text[] not null,
        consent jsonb not null,
        disclosure_id uuid references disclosures (id) deferrable initially deferred,
        state text not null,
        machine text not null,
        follow_up_on date,
        started_on date,
        ended_on date,
        end_reason text,
        note text,
        version int not null default 1,
        created_by uuid not null,
        created_at timestamptz not null,
        updated_at timestamptz not null,
        foreign key (tenant_id, person_id) references persons (tenant_id, id) deferrable initially deferred
      )`,
    );
    this.addSql(`create index participation_connections_department on participation_connections (tenant_id, department_id, created_at, id)`);
    this.addSql(`create index participation_connections_follow_up on participation_connections (tenant_id, state, follow_up_on)`);
    for (const sql of tenantTable('participation_connections', 'select, insert, update')) this.addSql(sql);
  }
}
