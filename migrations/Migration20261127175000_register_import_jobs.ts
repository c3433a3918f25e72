import { Migration } from '@mikro-orm/migrations';

/**
 * Confirming a candidate import becomes a background job: it remembers who confirmed (to resume after
 * a restart) and why it failed. The audit chain's head is written once per statement instead of once
 * per row, so one statement appending 10⁵ rows stays linear: per row, the trigger links to the newest
 * row (which the same statement may just have written) or the head, whichever is further on.
 */
export class Migration20261127175000_register_import_jobs extends Migration {
  override name = 'Migration20261127175000_register_import_jobs';

  override up(): void {
    const statements = [
      `alter table register_imports drop constraint register_imports_state_check`,
      `alter table register_imports add constraint register_imports_state_check check (state in ('parsed', 'importing', 'imported', 'cancelled', 'failed'))`,
      `alter table register_imports add column job jsonb, add column failure jsonb`,
      // Every row of one tenant still waits on the head's row lock, so sequence numbers stay gapless.
      // A head behind the newest row: rows this statement wrote. A head ahead of it: rows were cut off
      // the end, and the next row links to the head, leaving the gap for verification to find.
      `create or replace function audit_log_chain() returns trigger language plpgsql security definer set search_path = pg_catalog, public as $$
      declare
        head audit_chain_heads%rowtype;
        newest record;
      begin
        insert into audit_chain_heads (tenant_id, last_seq, last_hash)
          values (new.tenant_id, 0, repeat('0', 64)) on conflict do nothing;
        select * into head from audit_chain_heads where tenant_id = new.tenant_id for update;
        select a.seq, a.hash into newest from audit_log a where a.tenant_id = new.tenant_id order by a.seq desc limit 1;
        if newest.seq is not null and newest.seq > head.last_seq then
          new.seq := newest.seq + 1;
          new.prev_hash := newest.hash;
        else
          new.seq := head.last_seq + 1;
          new.prev_hash := head.last_hash;
        end if;
        new.occurred_at := clock_timestamp();
        new.hash := audit_hash(new);
        return new;
      end $$`,
      `create function audit_log_advance_heads() returns trigger language plpgsql security definer set search_path = pg_catalog, public as $$
      begin
        update audit_chain_heads h set last_seq = n.seq, last_hash = n.hash
          from (select distinct on (tenant_id) tenant_id, seq, hash from appended order by tenant_id, seq desc) n
         where h.tenant_id = n.tenant_id and n.seq > h.last_seq;
        return null;
      end $$`,
      `create trigger audit_log_advance_heads after insert on audit_log referencing new table as appended
         for each statement execute function audit_log_advance_heads()`,
    ];
    for (const sql of statements) this.addSql(sql);
  }
}
