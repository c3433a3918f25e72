import { Inject, Injectable } from '@nestjs/common';
import { AuditSigner } from '../audit-signer';
import { vocabulary } from '../../../platform/vocabulary/vocabulary';
import { CHECKPOINT_SINK, type CheckpointSink } from './checkpoint-sink';

export const CHECKPOINT_TYPE = 'tsunagi-audit-checkpoint';

/** Why a checkpoint was taken. */
export const CHECKPOINT_TRIGGER_LABELS = vocabulary('auditCheckpointTrigger', {
  count: { ja: '一定件数ごと', en: 'Every so many entries' },
  time: { ja: '一定時間ごと', en: 'Every so often' },
  shutdown: { ja: '停止時', en: 'At shutdown' },
  manual: { ja: '監査担当者の指示', en: 'On demand' },
});
export type CheckpointTrigger = (typeof CHECKPOINT_TRIGGER_LABELS.codes)[number];

/**
 * A tenant's log head at one moment, signed. `count` is the number of entries up to it (sequence numbers
 * have no gaps, so it equals `seq`); `at` is when it was taken.
 */
export interface Checkpoint {
  tid: string;
  seq: number;
  hash: string;
  count: number;
  at: string;
  trigger: CheckpointTrigger;
}

const FIELDS = ['tid', 'seq', 'hash', 'count', 'at', 'trigger'] as const;

/** A checkpoint as kept: its fields readable, and `checkpoint`, the JWS over them that auditors can verify elsewhere. */
export type SignedCheckpoint = Checkpoint & { checkpoint: string };

/** Signed checkpoints in and out of the sink. A line counts only if its signature covers exactly what it says. */
@Injectable()
export class CheckpointStore {
  constructor(
    private readonly signer: AuditSigner,
    @Inject(CHECKPOINT_SINK) private readonly sink: CheckpointSink,
  ) {}

  async write(checkpoint: Checkpoint): Promise<SignedCheckpoint> {
    const fields = pick(checkpoint);
    const signed = { ...fields, checkpoint: await this.signer.sign(fields, CHECKPOINT_TYPE) };
    await this.sink.append(JSON.stringify(signed));
    return signed;
  }

  /**
   * The tenant's checkpoints, newest first. `null` stands for a line that may be the tenant's but is no
   * valid checkpoint: unreadable, signed by another key, or saying something other than what was signed.
   */
  async *walk(tenantId: string): AsyncGenerator<Checkpoint | null> {
    for await (const line of this.sink.newestFirst()) {
      const readable = parseObject(line);
      if (readable && readable.tid !== tenantId) continue;
      const signed = readable && (await this.signer.open<Checkpoint>(readable.checkpoint, CHECKPOINT_TYPE));
      yield signed && FIELDS.every((f) => signed[f] === readable[f]) ? pick(signed) : null;
    }
  }

  async newest(tenantId: string): Promise<Checkpoint | null> {
    for await (const checkpoint of this.walk(tenantId)) if (checkpoint) return checkpoint;
    return null;
  }
}

function pick(c: Checkpoint): Checkpoint {
  return { tid: c.tid, seq: c.seq, hash: c.hash, count: c.count, at: c.at, trigger: c.trigger };
}

function parseObject(line: string): Record<string, unknown> | null {
  try {
    const value: unknown = JSON.parse(line);
    return value !== null && typeof value === 'object' && !Array.isArray(value) ? (value as Record<string, unknown>) : null;
  } catch {
    return null;
  }
}
