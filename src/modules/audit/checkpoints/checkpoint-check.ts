import { Injectable } from '@nestjs/common';
import type { EntityManager } from '@mikro-orm/postgresql';
import { CheckpointStore, type Checkpoint } from './checkpoint-store';
import { firstBreak, hashAt, logHead, type ChainBreak } from './log-positions';

/** What the checkpoints say about the log, in the shape chain verification reports. */
export interface CheckpointFinding {
  /** The checkpoint the log was held against (null: none kept yet). */
  checkpoint: { seq: number; at: string } | null;
  /** Lines met on the way that are not validly signed checkpoints: the sink itself was tampered with. */
  badCheckpointLines: number;
  brokenAtSeq: number | null;
  reason: ChainBreak['reason'] | 'bad_checkpoint' | null;
}

/**
 * Whether the log still holds what `checkpoint` pinned, the entries up to `verifiedTo` being checked
 * already: the log must reach it, the entries after `verifiedTo` up to it must chain, and the entry
 * at its position must have the hash it signed. null when all holds.
 */
export async function disagreement(em: EntityManager, checkpoint: Checkpoint, verifiedTo: number): Promise<ChainBreak | null> {
  const headSeq = (await logHead(em))?.seq ?? 0;
  if (headSeq < checkpoint.seq) return { seq: headSeq + 1, reason: 'truncated' };
  const broken = await firstBreak(em, verifiedTo + 1, checkpoint.seq);
  if (broken) return broken;
  return (await hashAt(em, checkpoint.seq)) === checkpoint.hash ? null : { seq: checkpoint.seq, reason: 'rewritten' };
}

/**
 * Holds the log against the checkpoints kept outside the database. The chain alone cannot tell a log
 * rewritten and re-hashed from the original; a signed checkpoint can, and through the chain one
 * checkpoint vouches for every entry before it. So the log must reach the newest checkpoint, and the
 * first checkpoint at or after the checked range (or the newest before it) must still match.
 */
@Injectable()
export class CheckpointCheck {
  constructor(private readonly store: CheckpointStore) {}

  /** `checkedTo`: the entries up to here were verified as a chain by the caller. */
  async confirm(em: EntityManager, tenantId: string, checkedTo: number): Promise<CheckpointFinding> {
    let badCheckpointLines = 0;
    let newest: Checkpoint | undefined;
    let cover: Checkpoint | undefined;
    for await (const checkpoint of this.store.walk(tenantId)) {
      if (!checkpoint) {
        badCheckpointLines++;
        continue;
      }
      newest ??= checkpoint;
      if (checkpoint.seq >= checkedTo) {
        cover = checkpoint;
        continue;
      }
      cover ??= checkpoint;
      break;
    }
    if (!newest || !cover) return { checkpoint: null, badCheckpointLines, ...badLines(badCheckpointLines) };
    const headSeq = (await logHead(em))?.seq ?? 0;
    const broken = headSeq < newest.seq ? { seq: headSeq + 1, reason: 'truncated' as const } : await disagreement(em, cover, checkedTo);
    const checkpoint = { seq: cover.seq, at: cover.at };
    if (!broken) return { checkpoint, badCheckpointLines, ...badLines(badCheckpointLines) };
    const brokenAtSeq = broken.reason === 'rewritten' ? (await this.lastAgreeing(em, tenantId, cover.seq)) + 1 : broken.seq;
    return { checkpoint, badCheckpointLines, brokenAtSeq, reason: broken.reason };
  }

  /** A rewrite began after the newest older checkpoint the log still matches (0: none does). */
  private async lastAgreeing(em: EntityManager, tenantId: string, before: number): Promise<number> {
    for await (const checkpoint of this.store.walk(tenantId)) {
      if (checkpoint && checkpoint.seq < before && (await hashAt(em, checkpoint.seq)) === checkpoint.hash) return checkpoint.seq;
    }
    return 0;
  }
}

function badLines(count: number): Pick<CheckpointFinding, 'brokenAtSeq' | 'reason'> {
  return { brokenAtSeq: null, reason: count > 0 ? 'bad_checkpoint' : null };
}
