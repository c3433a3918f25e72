import { Migration } from '@mikro-orm/migrations';
import { tenantTable } from './support/tenant-table';

/**
 * 本人同意 per person (個保法69条②1): consents move from cases to people. Each case consent becomes the
 * person's consent naming the same departments and field groups, with its case as context (same id, so
 * referrals keep pointing at it); each register entry answered with 同意 becomes the person's consent to
 * the 避難支援等関係者 for the register's items. The case table goes.
 */
export class Migration20261127170000_person_consents extends Migration {
  override name = 'Migration20261127170000_person_consents';

  override up(): void {
    this.addSql(
      `create table person_consents (
        id uuid primary key,
        tenant_id uuid not null,
        person_id uuid not null,
        recipients jsonb not null,
        field_groups text[] not null,
        purpose text not null,
        given_on date not null,
        ends_on date,
        method text not null check (method in ('written', 'oral', 'electronic')),
        context_case_id uuid,
        recorded_by uuid,
        withdrawn_on date,
        withdrawal_reason text,
        withdrawn_by uuid,
        withdrawn_at timestamptz,
        version int not null default 1,
        created_at timestamptz not null default now(),
        check (ends_on is null or ends_on >= given_on),
        foreign key (tenant_id, person_id) references persons (tenant_id, id) deferrable initially deferred,
        foreign key (tenant_id, context_case_id) references cases (tenant_id, id) deferrable initially deferred
      )`,
    );
    this.addSql(`create index person_consents_person on person_consents (tenant_id, person_id, created_at, id)`);
    for (const sql of tenantTable('person_consents', 'select, insert, update')) this.addSql(sql);
    this.addSql(
      `insert into person_consents (id, tenant_id, person_id, recipients, field_groups, purpose, given_on, method, context_case_id, recorded_by, withdrawn_on, withdrawal_reason, withdrawn_by, withdrawn_at, version, created_at)
       select c.id, c.tenant_id, c.person_id,
              coalesce((select jsonb_agg(jsonb_build_object('type', 'department', 'departmentId', d)) from unnest(c.recipient_department_ids) d), '[]'::jsonb),
              c.scope, 'ケースでの支援のため（移行）', c.given_on, c.method, c.case_id, c.recorded_by,
              c.withdrawn_on, c.withdrawal_reason, case when c.withdrawn_on is null then null else c.recorded_by end,
              case when c.withdrawn_on is null then null else c.withdrawn_on::timestamptz end,
              case when c.withdrawn_on is null then 1 else 2 end, c.created_at
         from consents c`,
    );
    this.addSql(
      `insert into person_consents (id, tenant_id, person_id, recipients, field_groups, purpose, given_on, method, version, created_at)
       select gen_random_uuid(), e.tenant_id, e.person_id, '[{"type":"supporters","districtCode":null}]'::jsonb, '{basic,contact,sensitive}',
              '避難支援等関係者への平常時の名簿提供（災対法49条の11②）（移行）', coalesce(e.registered_on, e.created_at::date), 'written', 1, now()
         from register_entries e where e.provision = 'consent' and e.state <> 'removed'`,
    );
    // Dropping the case table drops the referrals' key onto it; the same key now names the person's consent.
    this.addSql(`drop table consents cascade`);
    this.addSql(`alter table referrals add constraint referrals_consent_id_fkey foreign key (consent_id) references person_consents (id) deferrable initially deferred`);
  }
}
