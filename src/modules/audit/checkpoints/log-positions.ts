import type { EntityManager } from '@mikro-orm/postgresql';

/** Where the chain breaks, in the words verification uses. */
export interface ChainBreak {
  seq: number;
  reason: 'altered' | 'missing' | 'relinked' | 'truncated' | 'rewritten';
}

/** The tenant's newest sealed entry, as the database has it now (unsealed rows are not in the chain yet). */
export async function logHead(em: EntityManager): Promise<{ seq: number; hash: string } | null> {
  const [head] = await em.execute<{ seq: string; hash: string }[]>(`select seq, hash from audit_log where tenant_id = app_current_tenant() and seq is not null order by seq desc limit 1`);
  return head ? { seq: Number(head.seq), hash: head.hash } : null;
}

export async function hashAt(em: EntityManager, seq: number): Promise<string | null> {
  const [row] = await em.execute<{ hash: string }[]>(`select hash from audit_log where tenant_id = app_current_tenant() and seq = ?`, [seq]);
  return row?.hash ?? null;
}

/** The first break among entries `from`..`to` (each hash, each link to the entry before, no gaps); null when they chain. */
export async function firstBreak(em: EntityManager, from: number, to: number): Promise<ChainBreak | null> {
  if (from > to) return null;
  const [row] = await em.execute<{ broken_at_seq: string | null; reason: ChainBreak['reason'] | null }[]>(`select * from audit_verify_range(?, ?)`, [from, to]);
  return row.reason ? { seq: Number(row.broken_at_seq), reason: row.reason } : null;
}
