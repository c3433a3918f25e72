import { Migration } from '@mikro-orm/migrations';
import { APP_ROLE } from './support/tenant-table';

/**
 * The persons of the caller's tenant whose search_name contains a key, by the trigram index. Under
 * row-level security the planner may not use an index for LIKE (the operator is not leakproof, so it
 * must run after the policy's filter): a seq scan of every person. As the owner, with the tenant
 * filter written out, the index serves it; the caller gets ids only, and reads the persons under RLS.
 */
export class Migration20261127182200_person_name_candidates extends Migration {
  override name = 'Migration20261127182200_person_name_candidates';

  override up(): void {
    this.addSql(`create function person_name_candidates(key text) returns table (id uuid)
      language plpgsql stable security definer set search_path = pg_catalog, public as $$
      begin
        -- A literal pattern: planned for this key, so the trigram index is used when it has trigrams.
        return query execute format('select p.id from persons p where p.tenant_id = app_current_tenant() and p.search_name like %L',
          '%' || replace(replace(replace(key, '\\', '\\\\'), '%', '\\%'), '_', '\\_') || '%');
      end $$`);
    this.addSql(`revoke execute on function person_name_candidates(text) from public`);
    this.addSql(`grant execute on function person_name_candidates(text) to ${APP_ROLE}`);
  }
}
