/**
 * Where signed audit checkpoints are kept: somewhere the database login cannot write, so a rewrite of
 * the log inside the database cannot rewrite its checkpoints too. Each checkpoint is one line that
 * carries its own signature; a sink only stores and returns lines, it never interprets them.
 */
export interface CheckpointSink {
  /** Appends one line (no newline inside) durably; several processes may append at once. */
  append(line: string): Promise<void>;
  /** Every line kept, newest first. */
  newestFirst(): AsyncIterable<string>;
}

/** Injection token for the configured sink. */
export const CHECKPOINT_SINK = Symbol('CHECKPOINT_SINK');
