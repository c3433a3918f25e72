import { Migration } from '@mikro-orm/migrations';
import { tenantTable } from './support/tenant-table';

/**
 * 情報照会: one department asks the department holding a person for named field groups. An approval
 * writes disclosure receipts that point back at the request, so PersonHoldings can count them.
 */
export class Migration20261127145500_information_requests extends Migration {
  override name = 'Migration20261127145500_information_requests';

  override up(): void {
    this.addSql(
      `create table information_requests (
        id uuid primary key,
        tenant_id uuid not null references tenants (id) deferrable initially deferred,
        person_id uuid not null,
        case_id uuid,
        relation text,
        from_department_id uuid not null,
        to_department_id uuid not null,
        requested_by uuid not null,
        requested_groups text[] not null,
        approved_groups text[],
        purpose text not null,
        legal_basis text not null,
        legal_basis_reason text,
        state text not null,
        machine text not null,
        expires_on date not null,
        decided_by uuid,
        decline_reason text,
        withdraw_reason text,
        version int not null default 1,
        created_at timestamptz not null,
        updated_at timestamptz not null,
        foreign key (tenant_id, person_id) references persons (tenant_id, id) deferrable initially deferred
      )`,
    );
    this.addSql(`create index information_requests_incoming on information_requests (tenant_id, to_department_id, created_at, id)`);
    this.addSql(`create index information_requests_outgoing on information_requests (tenant_id, from_department_id, created_at, id)`);
    this.addSql(`create index information_requests_expiry on information_requests (tenant_id, state, expires_on)`);
    for (const sql of tenantTable('information_requests', 'select, insert, update')) this.addSql(sql);
    this.addSql(`alter table disclosures add column information_request_id uuid references information_requests (id) deferrable initially deferred`);
  }
}
