import { Migration } from '@mikro-orm/migrations';
import { tenantTable } from './support/tenant-table';

/**
 * Chain verification over a range of the log, run as a resumable job with its progress; indexes that
 * turn a period into a sequence range and keep every search filter an index walk.
 */
export class Migration20261123070000_audit_verification extends Migration {
  override name = 'Migration20261123070000_audit_verification';

  override up(): void {
    const statements = [
      // to_char is stable, not immutable: declared honestly, the planner inlines both functions into
      // the verifying query instead of calling them row by row (same output, about seven times faster).
      // All three are parallel safe (current_setting reaches the workers), so hashing spreads over cores.
      `alter function audit_canonical(audit_log) stable parallel safe`,
      `alter function audit_hash(audit_log) stable parallel safe`,
      `alter function app_current_tenant() parallel safe`,
      `create index audit_log_time on audit_log (tenant_id, occurred_at)`,
      // Keyset search by each filter an auditor leads with stays an index walk on 10⁷ rows; the rare
      // ones (refusals, shares with a legal basis) get partial indexes so they cost the writers little.
      `create index audit_log_department on audit_log (tenant_id, actor_department_id, seq) where actor_department_id is not null`,
      `create index audit_log_action on audit_log (tenant_id, action, seq)`,
      `create index audit_log_basis on audit_log (tenant_id, legal_basis, seq) where legal_basis is not null`,
      `create index audit_log_denied on audit_log (tenant_id, seq) where outcome = 'denied'`,
      // One range of the caller's tenant: every row's hash, its link to the row before (the row just
      // before the range included) and gapless sequence numbers; per row a gap counts first, then an
      // altered hash, then a broken link. Runs as the caller, under RLS.
      `create function audit_verify_range(p_from bigint, p_to bigint) returns table (checked bigint, broken_at_seq bigint, reason text)
      language plpgsql stable set search_path = pg_catalog, public as $$
      declare
        window_start bigint := greatest(p_from - 1, 1);
        altered_at bigint;
        link record;
        last_seq bigint;
        counted bigint;
      begin
        -- Hashing is the expensive part and needs no order. Run dynamically, so PL/pgSQL does not
        -- cap the rows it fetches, which would rule out a parallel plan (seq + 0: no min() shortcut).
        execute 'select min(a.seq + 0) from audit_log a where a.tenant_id = app_current_tenant() and a.seq between $1 and $2 and a.hash <> audit_hash(a)'
          into altered_at using p_from, p_to;
        -- Links and gaps need the rows in order, and no hashing.
        select x.seq, x.expected_seq, x.reason into link from (
          select w.seq, coalesce(w.prev_seq + 1, window_start) as expected_seq,
            case
              when w.seq <> coalesce(w.prev_seq + 1, window_start) then 'missing'
              when w.prev_hash <> coalesce(w.prev_row_hash, repeat('0', 64)) then 'relinked'
            end as reason
          from (
            select a.seq, a.prev_hash, lag(a.seq) over o as prev_seq, lag(a.hash) over o as prev_row_hash
              from audit_log a
             where a.tenant_id = app_current_tenant() and a.seq between window_start and p_to
            window o as (order by a.seq)
          ) w
        ) x where x.seq >= p_from and x.reason is not null order by x.seq limit 1;
        select count(*), max(a.seq) into counted, last_seq from audit_log a
         where a.tenant_id = app_current_tenant() and a.seq between p_from and p_to;
        if link.seq is not null and (altered_at is null or link.seq < altered_at or (link.seq = altered_at and link.reason = 'missing')) then
          return query select counted, case when link.reason = 'missing' then link.expected_seq else link.seq end, link.reason::text;
        elsif altered_at is not null then
          return query select counted, altered_at, 'altered'::text;
        elsif coalesce(last_seq, p_from - 1) < p_to then
          return query select counted, coalesce(last_seq, p_from - 1) + 1, 'missing'::text;
        else
          return query select counted, null::bigint, null::text;
        end if;
      end $$`,
      // The whole chain is one range, then the head the database keeps must agree with it.
      `create or replace function audit_verify() returns table (ok boolean, checked bigint, broken_at_seq bigint, reason text)
      language plpgsql stable security definer set search_path = pg_catalog, public as $$
      declare
        tenant uuid := app_current_tenant();
        total bigint;
        last_seq bigint;
        head audit_chain_heads%rowtype;
        result record;
      begin
        select count(*), coalesce(max(seq), 0) into total, last_seq from audit_log where tenant_id = tenant;
        select * into result from audit_verify_range(1, last_seq);
        if result.reason is not null then
          return query select false, total, result.broken_at_seq, result.reason;
          return;
        end if;
        select * into head from audit_chain_heads where tenant_id = tenant;
        if found and head.last_seq <> total then
          return query select false, total, total + 1, 'truncated'::text;
          return;
        end if;
        if found and head.last_hash <> (select hash from audit_log where tenant_id = tenant and seq = total) then
          return query select false, total, total, 'altered'::text;
          return;
        end if;
        return query select true, total, null::bigint, null::text;
      end $$`,
      `create table audit_verifications (
        id uuid primary key,
        tenant_id uuid not null references tenants (id),
        requested_by uuid not null,
        period_from timestamptz,
        period_to timestamptz,
        from_seq bigint not null,
        to_seq bigint not null,
        next_seq bigint not null,
        checked bigint not null default 0,
        state text not null check (state in ('running', 'ok', 'broken')),
        broken_at_seq bigint,
        reason text,
        started_at timestamptz not null,
        finished_at timestamptz,
        report jsonb
      )`,
      `create index audit_verifications_recent on audit_verifications (tenant_id, started_at desc)`,
      ...tenantTable('audit_verifications', 'select, insert, update'),
    ];
    for (const sql of statements) this.addSql(sql);
  }
}
