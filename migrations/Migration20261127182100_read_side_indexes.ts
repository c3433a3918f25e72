import { Migration } from '@mikro-orm/migrations';

/**
 * Indexes for the read side at 10⁶ cases. People search by name or kana (氏名・フリガナ) looks for a
 * substring of `search_name`: a trigram index (pg_trgm) answers it without reading every person. The
 * extension is created by the provisioning superuser (database-roles.ts) or here when the owner may;
 * where neither could, the search still answers, by a scan. The case list pages by (updated_at, id)
 * under the caller's filter (a department, or a department or granted cases): walked in that order, a
 * page reads about a page of rows divided by the caller's share instead of sorting a whole department.
 */
export class Migration20261127182100_read_side_indexes extends Migration {
  override name = 'Migration20261127182100_read_side_indexes';

  override up(): void {
    this.addSql(`create index cases_updated on cases (tenant_id, updated_at, id)`);
    // Replaces cases_lead (tenant_id, lead_department_id, updated_at desc): the same prefix, and the id breaks ties.
    this.addSql(`create index cases_lead_updated on cases (tenant_id, lead_department_id, updated_at, id)`);
    this.addSql(`drop index cases_lead`);
    this.addSql(`do $$
      begin
        begin
          create extension if not exists pg_trgm;
        exception when insufficient_privilege or undefined_file then
          raise notice 'pg_trgm not available: people search by name scans';
        end;
        if exists (select from pg_extension where extname = 'pg_trgm') then
          create index persons_search_name on persons using gin (search_name gin_trgm_ops);
        end if;
      end $$`);
  }
}
