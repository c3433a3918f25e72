import { Migration } from '@mikro-orm/migrations';

/**
 * The register's list (避難行動要支援者名簿, by 地区 then as people entered it) at 10⁵ entries: walked in
 * its own order, a page reads about a page of rows instead of sorting every entry of the tenant (or
 * of a 地区, or of a state). One index per filter the list offers: none or 地区, state (with or
 * without 地区), and not eligible (a few percent: walking the whole order for them read 20 rows per
 * row shown). Replaces (tenant_id, district_code, state), whose prefix the first one keeps.
 */
export class Migration20261128120000_register_list_indexes extends Migration {
  override name = 'Migration20261128120000_register_list_indexes';

  override up(): void {
    this.addSql(`create index register_entries_list on register_entries (tenant_id, district_code, created_at, id)`);
    this.addSql(`create index register_entries_state_list on register_entries (tenant_id, state, district_code, created_at, id)`);
    this.addSql(`create index register_entries_ineligible_list on register_entries (tenant_id, district_code, created_at, id) where not eligible`);
    this.addSql(`drop index register_entries_district`);
  }
}
