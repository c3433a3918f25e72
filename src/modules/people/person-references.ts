import type { EntityManager } from '@mikro-orm/postgresql';

/**
 * Every place a person is referenced, moved from a duplicate to the survivor by a merge and back by its
 * undo. Each move is one `person_merge_moves` row (reference, row id, detail), so an undo restores
 * exactly what moved and leaves references made to the survivor since. A table that starts to name a
 * person joins one of these lists. The audit log is not here: its rows are never rewritten; the
 * auditor's searches follow `person_aliases()` instead.
 */
const COLUMN_REFERENCES = [
  'disclosures',
  'dv_measures',
  'information_requests',
  'person_consents',
  'register_entries',
  'return_tasks',
  'participation_connections',
  'participation_window_visits',
] as const;
/** Frozen shared packages: `persons[].personId` in a JSON column. */
const PACKAGE_REFERENCES = ['referrals', 'meeting_cases'] as const;

export interface Move {
  reference: string;
  rowId: string;
  detail: Record<string, unknown>;
}

export async function moveReferences(em: EntityManager, from: string, to: string): Promise<Move[]> {
  const moves: Move[] = [];
  for (const table of COLUMN_REFERENCES) {
    const rows = await em.execute<{ id: string }[]>(`update ${table} set person_id = ? where person_id = ? returning id::text`, [to, from]);
    moves.push(...rows.map((r) => ({ reference: table, rowId: r.id, detail: {} })));
  }
  // A case naming both keeps the survivor's link; the duplicate's is dropped and its relation kept for the undo.
  const links = await em.execute<{ case_id: string; relation: string; both: boolean }[]>(
    `select l.case_id::text, l.relation, exists (select 1 from case_persons s where s.case_id = l.case_id and s.person_id = ?) as both
       from case_persons l where l.person_id = ?`,
    [to, from],
  );
  for (const link of links) {
    if (link.both) await em.execute(`delete from case_persons where case_id = ? and person_id = ?`, [link.case_id, from]);
    else await em.execute(`update case_persons set person_id = ? where case_id = ? and person_id = ?`, [to, link.case_id, from]);
    moves.push({ reference: 'case_persons', rowId: link.case_id, detail: { relation: link.relation, dropped: link.both } });
  }
  const provisions = await em.execute<{ id: string; positions: number[] }[]>(
    `select id::text, array_positions(person_ids, ?::uuid) as positions from provisions where ?::uuid = any(person_ids)`,
    [from, from],
  );
  for (const row of provisions) {
    await em.execute(`update provisions set person_ids = array_replace(person_ids, ?::uuid, ?::uuid) where id = ?`, [from, to, row.id]);
    moves.push({ reference: 'provisions', rowId: row.id, detail: { positions: row.positions } });
  }
  for (const table of PACKAGE_REFERENCES) {
    const rows = await em.execute<{ id: string; shared: { persons: { personId: string }[] } }[]>(
      `select id::text, shared from ${table} where shared->'persons' @> ?::jsonb`,
      [JSON.stringify([{ personId: from }])],
    );
    for (const row of rows) {
      const indices = row.shared.persons.flatMap((p, i) => (p.personId === from ? [i] : []));
      await writePackage(em, table, row.id, row.shared, indices, to);
      moves.push({ reference: table, rowId: row.id, detail: { indices } });
    }
  }
  return moves;
}

/** Puts back exactly the moves of a merge: the duplicate again where it was, nothing else. */
export async function restoreReferences(em: EntityManager, moves: Move[], from: string, to: string): Promise<void> {
  for (const move of moves) {
    if ((COLUMN_REFERENCES as readonly string[]).includes(move.reference)) {
      await em.execute(`update ${move.reference} set person_id = ? where id = ? and person_id = ?`, [from, move.rowId, to]);
    } else if (move.reference === 'case_persons') {
      if (move.detail.dropped) await em.execute(`insert into case_persons (tenant_id, case_id, person_id, relation) select tenant_id, id, ?, ? from cases where id = ?`, [from, move.detail.relation, move.rowId]);
      else await em.execute(`update case_persons set person_id = ? where case_id = ? and person_id = ?`, [from, move.rowId, to]);
    } else if (move.reference === 'provisions') {
      for (const position of move.detail.positions as number[]) await em.execute(`update provisions set person_ids[${Number(position)}] = ?::uuid where id = ?`, [from, move.rowId]);
    } else {
      const [row] = await em.execute<{ shared: { persons: { personId: string }[] } }[]>(`select shared from ${move.reference} where id = ?`, [move.rowId]);
      await writePackage(em, move.reference, move.rowId, row.shared, move.detail.indices as number[], from);
    }
  }
}

function writePackage(em: EntityManager, table: string, id: string, shared: { persons: { personId: string }[] }, indices: number[], personId: string) {
  const persons = shared.persons.map((p, i) => (indices.includes(i) ? { ...p, personId } : p));
  return em.execute(`update ${table} set shared = ?::jsonb where id = ?`, [JSON.stringify({ ...shared, persons }), id]);
}
