import { Migration } from '@mikro-orm/migrations';
import { APP_ROLE } from './support/tenant-table';

/**
 * Writers no longer wait on the tenant's chain head. A row is appended unsealed (封印前): it gets an
 * insert number (`id`) and its time, nothing else; its place in the chain (`seq`), its link and its
 * hash are written later by the tenant's one sealer (`audit_seal`), which takes the committed unsealed
 * rows in insert order and chains them after the head. The head row lock now serialises sealers
 * only. A row's place is given when it is sealed, so a transaction that commits late simply lands
 * later in the chain: no row is ever sealed before it is visible, and none is skipped.
 */
export class Migration20261127180000_audit_sealing extends Migration {
  override name = 'Migration20261127180000_audit_sealing';

  override up(): void {
    const statements = [
      `create sequence audit_log_id_seq as bigint`,
      `grant usage on sequence audit_log_id_seq to ${APP_ROLE}`,
      `alter table audit_log add column id bigint`,
      // Rows written so far keep their chain untouched (`id` is outside the hash); numbered in their order.
      `alter table audit_log disable trigger audit_log_no_update`,
      `update audit_log a set id = n.id from (select tenant_id, seq, row_number() over (order by occurred_at, tenant_id, seq) as id from audit_log) n
        where a.tenant_id = n.tenant_id and a.seq = n.seq`,
      `alter table audit_log enable trigger audit_log_no_update`,
      `select setval('audit_log_id_seq', coalesce((select max(id) from audit_log), 0) + 1, false)`,
      `alter table audit_log alter column id set default nextval('audit_log_id_seq'), alter column id set not null`,
      `alter table audit_log drop constraint audit_log_pkey`,
      `alter table audit_log add primary key (tenant_id, id)`,
      `alter table audit_log alter column seq drop not null, alter column prev_hash drop not null, alter column hash drop not null`,
      `create unique index audit_log_seq on audit_log (tenant_id, seq)`,
      `create index audit_log_unsealed on audit_log (tenant_id, id) where seq is null`,
      // Searches and the person report page by insert number (every row has one, sealed or not).
      `drop index audit_log_person`,
      `create index audit_log_person on audit_log (tenant_id, person_id, id) where person_id is not null`,
      `drop index audit_log_actor`,
      `create index audit_log_actor on audit_log (tenant_id, actor_id, id)`,
      `drop index audit_log_department`,
      `create index audit_log_department on audit_log (tenant_id, actor_department_id, id) where actor_department_id is not null`,
      `drop index audit_log_action`,
      `create index audit_log_action on audit_log (tenant_id, action, id)`,
      `drop index audit_log_basis`,
      `create index audit_log_basis on audit_log (tenant_id, legal_basis, id) where legal_basis is not null`,
      `drop index audit_log_denied`,
      `create index audit_log_denied on audit_log (tenant_id, id) where outcome = 'denied'`,
      `drop trigger audit_log_advance_heads on audit_log`,
      `drop function audit_log_advance_heads()`,
      // No lock, no read of the head: the row is stamped with its time and left for the sealer.
      `create or replace function audit_log_chain() returns trigger language plpgsql security definer set search_path = pg_catalog, public as $$
      begin
        new.occurred_at := clock_timestamp();
        new.seq := null;
        new.prev_hash := null;
        new.hash := null;
        return new;
      end $$`,
      // Sealing is the one change allowed: an unsealed row gets its place, link and hash, and nothing else moves.
      `create or replace function audit_log_append_only() returns trigger language plpgsql as $$
      begin
        if tg_op = 'UPDATE' then
          if old.seq is null and old.hash is null and new.seq is not null and new.hash is not null
             and (new.tenant_id, new.id, new.occurred_at, new.request_id, new.actor_type, new.actor_id, new.actor_roles, new.actor_department_id,
                  new.action, new.subject_type, new.subject_id, new.person_id, new.legal_basis, new.outcome, new.detail)
                 is not distinct from (old.tenant_id, old.id, old.occurred_at, old.request_id, old.actor_type, old.actor_id, old.actor_roles, old.actor_department_id,
                  old.action, old.subject_type, old.subject_id, old.person_id, old.legal_basis, old.outcome, old.detail) then
            return new;
          end if;
        end if;
        raise exception 'audit_log is append-only: % refused', tg_op using errcode = '42501';
      end $$`,
      // The tenant's sealer: up to p_limit committed unsealed rows, in insert order, chained after the head.
      // Owner's rights: the service role can neither update the log nor read the head.
      `create function audit_seal(p_limit integer) returns integer
      language plpgsql security definer set search_path = pg_catalog, public as $$
      declare
        tenant uuid := app_current_tenant();
        head audit_chain_heads%rowtype;
        r audit_log;
        ids bigint[] := '{}';
        seqs bigint[] := '{}';
        prevs text[] := '{}';
        hashes text[] := '{}';
      begin
        -- Nothing to seal costs one index probe, no lock and no commit to flush.
        if not exists (select 1 from audit_log a where a.tenant_id = tenant and a.seq is null) then
          return 0;
        end if;
        insert into audit_chain_heads (tenant_id, last_seq, last_hash) values (tenant, 0, repeat('0', 64)) on conflict do nothing;
        select * into head from audit_chain_heads where tenant_id = tenant for update;
        -- A fresh snapshot, taken after the head is ours: every row another sealer chained is seen sealed.
        for r in select * from audit_log a where a.tenant_id = tenant and a.seq is null order by a.id limit p_limit loop
          r.seq := head.last_seq + 1;
          r.prev_hash := head.last_hash;
          r.hash := audit_hash(r);
          head.last_seq := r.seq;
          head.last_hash := r.hash;
          ids := ids || r.id;
          seqs := seqs || r.seq;
          prevs := prevs || r.prev_hash;
          hashes := hashes || r.hash;
        end loop;
        if cardinality(ids) = 0 then
          return 0;
        end if;
        update audit_log a set seq = s.seq, prev_hash = s.prev_hash, hash = s.hash
          from unnest(ids, seqs, prevs, hashes) as s(id, seq, prev_hash, hash)
         where a.tenant_id = tenant and a.id = s.id and a.seq is null;
        update audit_chain_heads set last_seq = head.last_seq, last_hash = head.last_hash where tenant_id = tenant;
        return cardinality(ids);
      end $$`,
      `grant execute on function audit_seal(integer) to ${APP_ROLE}`,
      // The head beside the sealed rows' count and end, read in one snapshot: what verification in Node holds the chain against.
      `create function audit_chain_end() returns table (head_seq bigint, head_hash text, total bigint, last_seq bigint)
      language sql stable security definer set search_path = pg_catalog, public as $$
        select h.last_seq, h.last_hash,
               (select count(seq) from audit_log where tenant_id = app_current_tenant() and seq is not null),
               (select coalesce(max(seq), 0) from audit_log where tenant_id = app_current_tenant() and seq is not null)
          from (select 1) one left join audit_chain_heads h on h.tenant_id = app_current_tenant()
      $$`,
      `grant execute on function audit_chain_end() to ${APP_ROLE}`,
      // The whole sealed chain is one range; the head the sealer keeps must agree with it. Unsealed rows
      // are not part of the chain yet (the service reports them beside the result).
      `create or replace function audit_verify() returns table (ok boolean, checked bigint, broken_at_seq bigint, reason text)
      language plpgsql stable security definer set search_path = pg_catalog, public as $$
      declare
        tenant uuid := app_current_tenant();
        total bigint;
        last_seq bigint;
        head audit_chain_heads%rowtype;
        result record;
      begin
        select count(seq), coalesce(max(seq), 0) into total, last_seq from audit_log where tenant_id = tenant and seq is not null;
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
    ];
    for (const sql of statements) this.addSql(sql);
  }
}
