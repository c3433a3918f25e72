import { Migration } from '@mikro-orm/migrations';
import { APP_ROLE, tenantTable } from './support/tenant-table';

const range = (from: number, to: number, shift = 0) => Array.from({ length: to - from + 1 }, (_, i) => String.fromCharCode(from + i + shift)).join('');
/** ぁ…ゖ → ァ…ヶ: kana are searched in one script. */
const HIRAGANA = range(0x3041, 0x3096);
const KATAKANA = range(0x3041, 0x3096, 0x60);
/** The dash forms names and addresses are written with (after NFKC: ASCII hyphen, ‐ ‑ ‒ – — ― −), read as the long vowel mark. */
const DASHES = '-\u2010\u2011\u2012\u2013\u2014\u2015\u2212';

/**
 * People as a governed record: the 宛名番号 (unique per tenant), a search key maintained by the database
 * on every write (so no writer can forget it), and the history of every correction.
 */
export class Migration20261127143000_people_record extends Migration {
  override name = 'Migration20261127143000_people_record';

  override up(): void {
    this.addSql(`alter table persons add column resident_number text`);
    this.addSql(`create unique index persons_resident_number on persons (tenant_id, resident_number) where resident_number is not null`);
    // One normalisation for stored keys and search terms: NFKC (full/half width), hiragana → katakana,
    // every dash form → ー, no spaces, lower case.
    this.addSql(
      `create function person_search_key(value text) returns text language sql immutable parallel safe as $$
         select lower(regexp_replace(translate(translate(normalize(coalesce(value, ''), NFKC), '${HIRAGANA}', '${KATAKANA}'), '${DASHES}', '${'ー'.repeat(DASHES.length)}'), '\\s', '', 'g'))
       $$`,
    );
    this.addSql(`grant execute on function person_search_key(text) to ${APP_ROLE}`);
    // Name and kana, apart so a term cannot match across the two.
    this.addSql(
      `alter table persons add column search_name text generated always as (
         person_search_key(family_name || given_name) || '|' || person_search_key(coalesce(family_name_kana, '') || coalesce(given_name_kana, ''))
       ) stored`,
    );
    this.addSql(`create index persons_created on persons (tenant_id, created_at desc, id desc)`);
    this.addSql(
      `create table person_changes (
        id uuid primary key,
        tenant_id uuid not null,
        person_id uuid not null,
        person_version int not null,
        field text not null,
        old_value jsonb,
        new_value jsonb,
        reason text not null,
        changed_by uuid not null,
        department_id uuid not null,
        changed_at timestamptz not null default now(),
        foreign key (tenant_id, person_id) references persons (tenant_id, id) deferrable initially deferred
      )`,
    );
    this.addSql(`create index person_changes_person on person_changes (tenant_id, person_id, changed_at)`);
    for (const sql of tenantTable('person_changes', 'select, insert')) this.addSql(sql);
    // Household members can leave a case later (the event keeps who and why).
    this.addSql(`grant delete on case_persons to ${APP_ROLE}`);
  }
}
