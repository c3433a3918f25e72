import { randomUUID } from 'node:crypto';
import { defineEntity, p, type InferEntity } from '@mikro-orm/core';
import { vocabulary } from '../../../platform/vocabulary/vocabulary';

/** 名寄せの状態 — a merge stands until it is undone (within the undo period). */
export const MERGE_STATE_LABELS = vocabulary('personMergeState', {
  merged: { ja: '統合済み', en: 'Merged' },
  undone: { ja: '統合の取消済み', en: 'Undone' },
});
export const MERGE_STATES = MERGE_STATE_LABELS.codes;

/** How long a merge can be undone: the moves are kept for exactly this restore. */
export const MERGE_UNDO_DAYS = 30;

/**
 * 名寄せ — two records found to be one person: the duplicate (`mergedPersonId`) became a tombstone and
 * its references moved to the survivor; `person_merge_moves` lists each moved reference for the undo.
 */
export const PersonMergeSchema = defineEntity({
  name: 'PersonMerge',
  tableName: 'person_merges',
  properties: {
    id: p.uuid().primary().onCreate(() => randomUUID()),
    tenantId: p.uuid(),
    survivingPersonId: p.uuid(),
    mergedPersonId: p.uuid(),
    /** The department whose manager decided it: it held both records. */
    departmentId: p.uuid(),
    mergedBy: p.uuid(),
    reason: p.text(),
    /** The survivor's DV等支援措置 before the merge, when the duplicate's protection was carried over to it. */
    state: p.enum(MERGE_STATES),
    undoUntil: p.datetime(),
    undoneBy: p.uuid().nullable(),
    undoReason: p.text().nullable(),
    undoneAt: p.datetime().nullable(),
    version: p.integer().version(),
    createdAt: p.datetime().onCreate(() => new Date()),
  },
});
export type PersonMerge = InferEntity<typeof PersonMergeSchema>;
