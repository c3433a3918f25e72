import { Migration } from '@mikro-orm/migrations';

/**
 * 参加支援 connections rest on the person's own consent (本人同意, recipient: the host) instead of a copy
 * kept with the connection: each recorded copy becomes the person's consent naming the resource, for the
 * field groups of the fields agreed. Connections also name the 人財 who accompany or host the person.
 */
export class Migration20261127177000_participation_people_consent extends Migration {
  override name = 'Migration20261127177000_participation_people_consent';

  override up(): void {
    this.addSql(`alter table participation_connections add column volunteer_ids uuid[] not null default '{}'`);
    this.addSql(`create index participation_connections_volunteers on participation_connections using gin (volunteer_ids)`);
    this.addSql(`alter table participation_connections add column person_consent_id uuid references person_consents (id) deferrable initially deferred`);
    this.addSql(
      `with made as (
         insert into person_consents (id, tenant_id, person_id, recipients, field_groups, purpose, given_on, method, recorded_by, version, created_at)
         select c.id, c.tenant_id, c.person_id, jsonb_build_array(jsonb_build_object('type', 'participationHost', 'resourceId', c.resource_id)),
                array(select distinct case when f in ('address', 'phone', 'email') then 'contact' else 'basic' end
                        from jsonb_array_elements_text(c.consent->'fields') f where f not in ('disability', 'medicalHistory', 'handbooks', 'careLevel')),
                '参加支援のつなぎ先への紹介のため（移行）', (c.consent->>'givenOn')::date, c.consent->>'method', c.created_by, 1, c.created_at
           from participation_connections c
         returning id)
       update participation_connections c set person_consent_id = made.id from made where made.id = c.id`,
    );
    this.addSql(`alter table participation_connections alter column person_consent_id set not null`);
    this.addSql(`alter table participation_connections drop column consent`);
  }
}
