import fs from 'node:fs/promises';
import path from 'node:path';
import type { CheckpointSink } from './checkpoint-sink';

const READ_CHUNK = 64 * 1024;
const NEWLINE = 0x0a;

/**
 * An append-only file, one checkpoint per line. Each line goes out in one write on a descriptor opened
 * with O_APPEND, so lines from several processes land whole, one after another, never interleaved;
 * the file and its folder are the service's alone (0600 / 0700).
 */
export class FileCheckpointSink implements CheckpointSink {
  constructor(private readonly file: string) {}

  async append(line: string): Promise<void> {
    if (line.includes('\n')) throw new Error('a checkpoint line must not contain a newline');
    const bytes = Buffer.from(`${line}\n`, 'utf8');
    await fs.mkdir(path.dirname(this.file), { recursive: true, mode: 0o700 });
    const handle = await fs.open(this.file, 'a', 0o600);
    try {
      const { bytesWritten } = await handle.write(bytes);
      if (bytesWritten !== bytes.length) throw new Error(`short write to ${this.file}`);
      await handle.datasync();
    } finally {
      await handle.close();
    }
  }

  /** Reads the file backwards in chunks: the newest lines, the ones verification needs, come first and cheaply. */
  async *newestFirst(): AsyncIterable<string> {
    const handle = await fs.open(this.file, 'r').catch((error: NodeJS.ErrnoException) => {
      if (error.code === 'ENOENT') return null;
      throw error;
    });
    if (!handle) return;
    try {
      let position = (await handle.stat()).size;
      let tail = Buffer.alloc(0);
      while (position > 0) {
        const size = Math.min(READ_CHUNK, position);
        position -= size;
        const chunk = Buffer.alloc(size);
        await handle.read(chunk, 0, size, position);
        const data = Buffer.concat([chunk, tail]);
        let end = data.length;
        for (let i = data.length - 1; i >= 0; i--) {
          if (data[i] !== NEWLINE) continue;
          if (end > i + 1) yield data.toString('utf8', i + 1, end);
          end = i;
        }
        tail = data.subarray(0, end);
      }
      if (tail.length > 0) yield tail.toString('utf8');
    } finally {
      await handle.close();
    }
  }
}
