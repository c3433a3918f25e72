import type { PersonMerge } from './domain/person-merge.entity';
import type { Move } from './person-references';

export interface PersonMergeView {
  id: string;
  survivingPersonId: string;
  mergedPersonId: string;
  departmentId: string;
  mergedBy: string;
  reason: string;
  state: PersonMerge['state'];
  undoUntil: string;
  undoneBy: string | null;
  undoReason: string | null;
  undoneAt: string | null;
  version: number;
  /** How many references of each kind moved. */
  moved: Record<string, number>;
  createdAt: string;
}

export function mergeView(merge: PersonMerge, moves: Pick<Move, 'reference'>[]): PersonMergeView {
  const moved: Record<string, number> = {};
  for (const move of moves) moved[move.reference] = (moved[move.reference] ?? 0) + 1;
  return {
    id: merge.id,
    survivingPersonId: merge.survivingPersonId,
    mergedPersonId: merge.mergedPersonId,
    departmentId: merge.departmentId,
    mergedBy: merge.mergedBy,
    reason: merge.reason,
    state: merge.state,
    undoUntil: merge.undoUntil.toISOString(),
    undoneBy: merge.undoneBy ?? null,
    undoReason: merge.undoReason ?? null,
    undoneAt: merge.undoneAt?.toISOString() ?? null,
    version: merge.version,
    moved,
    createdAt: merge.createdAt.toISOString(),
  };
}
