import { AuditSealer } from '../../src/modules/audit/audit-sealer';
import type { TestApp } from './test-app';

/**
 * Seals every tenant's committed audit rows now, as the sealer does moments after each commit: what
 * a test then reads by sequence number is the whole chain.
 */
export async function sealAuditLog(t: TestApp): Promise<void> {
  const sealer = t.app.get(AuditSealer);
  for (const { id } of await t.sql<{ id: string }>('select id from tenants order by id')) await sealer.seal(id);
}

/**
 * Changes the sealed audit log as an intruder with the owner's rights would: the append-only triggers
 * are bypassed (session_replication_role), so only the hash chain can tell. Rows committed so far are
 * sealed first: the chain vouches for sealed rows (an unsealed one is sealed moments after its commit).
 */
export async function tamperWithAuditLog(t: TestApp, statement: string, params: unknown[] = []): Promise<void> {
  await sealAuditLog(t);
  await t.sql('begin');
  await t.sql('set local session_replication_role = replica');
  await t.sql(statement, params);
  await t.sql('commit');
}

/**
 * Rewrites a tenant's log as an intruder with the owner's rights could, so that the chain alone shows
 * nothing: `changes` run with the rows' sequence numbers spread ten apart (entry n at 10n, so a row can
 * be moved or put between two others; `$1` is the tenant), then the rows are numbered 1, 2, … again in
 * that order, every link and hash is recomputed and the tenant's chain head reset to the new end.
 */
export async function rewriteAuditLog(t: TestApp, tenantId: string, changes: string[]): Promise<void> {
  if (!/^[0-9a-f-]{36}$/.test(tenantId)) throw new Error(`not a tenant id: ${tenantId}`);
  const run = (statement: string) => t.sql(statement, statement.includes('$1') ? [tenantId] : []);
  await sealAuditLog(t);
  await t.sql('begin');
  try {
    await t.sql('set local session_replication_role = replica');
    await run('update audit_log set seq = -seq * 10 where tenant_id = $1');
    await run('update audit_log set seq = -seq where tenant_id = $1');
    for (const change of changes) await run(change);
    await run(`update audit_log a set seq = -n.position from (select seq, row_number() over (order by seq) as position from audit_log where tenant_id = $1) n where a.tenant_id = $1 and a.seq = n.seq`);
    await run('update audit_log set seq = -seq where tenant_id = $1');
    await t.sql(`do $$
      declare
        previous text := repeat('0', 64);
        entry record;
      begin
        for entry in select seq from audit_log where tenant_id = '${tenantId}' order by seq loop
          update audit_log set prev_hash = previous where tenant_id = '${tenantId}' and seq = entry.seq;
          update audit_log a set hash = audit_hash(a) where tenant_id = '${tenantId}' and seq = entry.seq returning hash into previous;
        end loop;
        update audit_chain_heads set last_seq = (select coalesce(max(seq), 0) from audit_log where tenant_id = '${tenantId}'), last_hash = previous
         where tenant_id = '${tenantId}';
      end $$`);
    await t.sql('commit');
  } catch (error) {
    await t.sql('rollback');
    throw error;
  }
}
