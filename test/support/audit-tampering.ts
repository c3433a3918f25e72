import type { TestApp } from './test-app';

/**
 * Changes the audit log as an intruder with the owner's rights would: the append-only triggers are
 * bypassed (session_replication_role), so only the hash chain can tell.
 */
export async function tamperWithAuditLog(t: TestApp, statement: string, params: unknown[] = []): Promise<void> {
  await t.sql('begin');
  await t.sql('set local session_replication_role = replica');
  await t.sql(statement, params);
  await t.sql('commit');
}
